package dev.bulwark.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Placing an order with the default settings (inventory token {@code exchanged}, delivery flow {@code direct})
 * against real HTTPS stubs of the ecomm STS, the inventory, the logistics STS and the delivery service, and what
 * happens when each of them fails: no order row unless every call succeeded, a released reservation when the
 * delivery failed, fixed error bodies.
 */
class OrderPlacementIT {

    static final String ORDER = """
            {"items":[{"itemCode":"IT0001","quantity":3},{"itemCode":"IT0002","quantity":1}],\
            "shippingAddress":"201, Galle Road, Colombo 03"}""";

    static PlacementFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new PlacementFixture();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void reset() {
        fixture.reset();
    }

    static String customer() {
        return "customer-" + UUID.randomUUID();
    }

    @Test
    void orderIsReservedWithAnExchangedTokenDeliveredThroughTheLogisticsStsAndStored() {
        String peter = customer();

        ApiClient.Response created = fixture.place(peter, ORDER);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode order = created.json();
        String orderId = order.get("orderId").asString();

        // (1) the ecomm STS exchanged the user-context JWT for the inventory, which got that token and the items
        HttpsStub.Request reserve = fixture.inventory.requests().getFirst();
        assertThat(reserve.method()).isEqualTo("PUT");
        assertThat(reserve.path()).isEqualTo("/inventory");
        assertThat(PlacementFixture.json(reserve.body())).isEqualTo(PlacementFixture
            .json("[{\"code\":\"IT0001\",\"qty\":3},{\"code\":\"IT0002\",\"qty\":1}]"));
        JWTClaimsSet inventoryToken = PlacementFixture.claims(PlacementFixture.bearer(reserve));
        assertThat(inventoryToken.getIssuer()).isEqualTo(PlacementFixture.ECOMM_ISSUER);
        assertThat(inventoryToken.getAudience()).containsExactly("inventory-service");
        assertThat(inventoryToken.getSubject()).isEqualTo(peter);
        assertThat(inventoryToken.getClaim("scope")).isEqualTo("inventory:write");
        assertThat(inventoryToken.getClaim("client_id")).isEqualTo("order-service");

        // (2) exchange for the logistics STS, jwt-bearer there, then the delivery service with that token
        List<java.util.Map<String, String>> stsForms = fixture.sts.requests().stream()
            .map(r -> PlacementFixture.form(r.body())).toList();
        assertThat(stsForms).extracting(f -> f.get("grant_type"))
            .containsOnly("urn:ietf:params:oauth:grant-type:token-exchange");
        assertThat(stsForms).extracting(f -> f.get("audience"))
            .containsExactly("inventory-service", PlacementFixture.LOGISTICS_ISSUER);
        java.util.Map<String, String> bearerGrant = PlacementFixture.form(fixture.logisticsSts.requests().getFirst().body());
        assertThat(bearerGrant.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
        assertThat(bearerGrant.get("client_id")).isEqualTo("ecomm-order");
        assertThat(bearerGrant.get("audience")).isEqualTo("delivery-service");
        JWTClaimsSet assertion = PlacementFixture.claims(bearerGrant.get("assertion"));
        assertThat(assertion.getAudience()).containsExactly(PlacementFixture.LOGISTICS_ISSUER);
        assertThat(assertion.getSubject()).isEqualTo(peter);

        HttpsStub.Request schedule = fixture.delivery.requests().getFirst();
        assertThat(schedule.method()).isEqualTo("POST");
        assertThat(schedule.path()).isEqualTo("/deliveries");
        JsonNode deliveryBody = PlacementFixture.json(schedule.body());
        assertThat(deliveryBody.get("orderId").asString()).isEqualTo(orderId);
        assertThat(deliveryBody.get("address").asString()).isEqualTo("201, Galle Road, Colombo 03");
        assertThat(deliveryBody.get("items").get(0).get("code").asString()).isEqualTo("IT0001");
        JWTClaimsSet deliveryToken = PlacementFixture.claims(PlacementFixture.bearer(schedule));
        assertThat(deliveryToken.getIssuer()).isEqualTo(PlacementFixture.LOGISTICS_ISSUER);
        assertThat(deliveryToken.getAudience()).containsExactly("delivery-service");
        assertThat(deliveryToken.getSubject()).isEqualTo(peter);

        // (3) stored with both ids; the response and a later GET carry the delivery id
        String deliveryId = order.get("deliveryId").asString();
        assertThat(deliveryId).isNotBlank();
        assertThat(fixture.orderRow(orderId)).containsEntry("DELIVERY_ID", deliveryId)
            .hasEntrySatisfying("RESERVATION_ID", id -> assertThat(id).isNotNull());
        ApiClient.Response read = fixture.get(peter, "/orders/" + orderId);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(order);
    }

    @Test
    void shortStockIsAConflictAndNothingIsStoredOrDelivered() {
        String peter = customer();
        fixture.inventory.respond(request -> new HttpsStub.Reply(409, "application/problem+json",
                "{\"title\":\"Conflict\",\"detail\":\"IT0001 has only 2 left\"}"));

        ApiClient.Response response = fixture.place(peter, ORDER);

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.json().get("title").asString()).isEqualTo("Insufficient stock");
        assertThat(response.body()).doesNotContain("IT0001", "only 2 left");
        assertThat(fixture.delivery.requests()).isEmpty();
        assertThat(fixture.logisticsSts.requests()).isEmpty();
        assertThat(fixture.orderRows(peter)).isZero();
    }

    @Test
    void failedDeliveryReleasesTheReservationAndIsABadGateway() {
        String peter = customer();
        fixture.delivery.respond(request -> HttpsStub.Reply.json(500, "{\"secret\":\"stack trace of delivery\"}"));

        ApiClient.Response response = fixture.place(peter, ORDER);

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().get("detail").asString())
            .isEqualTo("A service the order depends on failed; the order was not placed.");
        assertThat(response.body()).doesNotContain("stack trace", "delivery", "500");
        assertThat(fixture.inventory.requests()).extracting(HttpsStub.Request::method).containsExactly("PUT", "DELETE");
        HttpsStub.Request release = fixture.inventory.requests().get(1);
        assertThat(release.path()).startsWith("/inventory/reservations/");
        assertThat(PlacementFixture.claims(PlacementFixture.bearer(release)).getAudience())
            .containsExactly("inventory-service");
        assertThat(fixture.orderRows(peter)).isZero();
    }

    @Test
    void logisticsStsRefusingTheAssertionReleasesTheReservationAndIsABadGateway() {
        String peter = customer();
        fixture.logisticsSts.respond(request -> HttpsStub.Reply.json(400, "{\"error\":\"invalid_grant\"}"));

        ApiClient.Response response = fixture.place(peter, ORDER);

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.body()).doesNotContain("invalid_grant");
        assertThat(fixture.inventory.requests()).extracting(HttpsStub.Request::method).containsExactly("PUT", "DELETE");
        assertThat(fixture.delivery.requests()).isEmpty();
        assertThat(fixture.orderRows(peter)).isZero();
    }

    @Test
    void stsRefusingTheExchangeIsABadGatewayAndNothingIsReserved() {
        String peter = customer();
        fixture.sts.respond(request -> HttpsStub.Reply.json(400, "{\"error\":\"invalid_target\"}"));

        ApiClient.Response response = fixture.place(peter, ORDER);

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.body()).doesNotContain("invalid_target", "sts");
        assertThat(fixture.inventory.requests()).isEmpty();
        assertThat(fixture.delivery.requests()).isEmpty();
        assertThat(fixture.orderRows(peter)).isZero();
    }

    @Test
    void inventoryFailingOtherwiseIsABadGatewayAndNothingIsDelivered() {
        String peter = customer();
        fixture.inventory.respond(request -> HttpsStub.Reply.json(503, "{}"));

        ApiClient.Response response = fixture.place(peter, ORDER);

        assertThat(response.status()).isEqualTo(502);
        assertThat(fixture.delivery.requests()).isEmpty();
        assertThat(fixture.orderRows(peter)).isZero();
    }

    @Test
    void secondOrderOfTheSameUserIsServedFromTheTokenCache() {
        String peter = customer();
        double hitsBefore = cacheCount("hit", "sts");
        double missesBefore = cacheCount("miss", "sts");

        assertThat(fixture.place(peter, ORDER).status()).isEqualTo(201);
        assertThat(fixture.place(peter, ORDER).status()).isEqualTo(201);

        // two exchanges (inventory, logistics STS) per order; the second order's come from the cache
        assertThat(fixture.sts.requests()).hasSize(2);
        assertThat(fixture.logisticsSts.requests()).hasSize(1);
        assertThat(cacheCount("miss", "sts")).isEqualTo(missesBefore + 2);
        assertThat(cacheCount("hit", "sts")).isEqualTo(hitsBefore + 2);
        assertThat(cacheCount("hit", "logistics-sts")).isPositive();
    }

    static double cacheCount(String result, String sts) {
        String page = fixture.prometheus();
        Matcher m = Pattern.compile("(?m)^bulwark_token_exchange_cache_total\\{result=\"" + result + "\",sts=\"" + sts
                + "\"} (\\S+)$").matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
