package dev.bulwark.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The order flow every database must serve; subclasses choose the database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractOrderApiIT {

    static final String ORDER = """
            {"items":[{"itemCode":"IT0001","quantity":3},{"itemCode":"IT0002","quantity":1}],\
            "shippingAddress":"201, Galle Road, Colombo 03"}""";

    static final TestTokens GATEWAY = TestTokens.gateway();

    @LocalServerPort
    int port;

    ApiClient api;

    @DynamicPropertySource
    static void userContextKeys(DynamicPropertyRegistry registry) {
        registry.add("bulwark.order.user-context.jwk-set-file", () -> GATEWAY.jwkSetFile().toString());
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    static String customer() {
        return "customer-" + UUID.randomUUID();
    }

    static Map<String, String> as(String subject, String scope) {
        return Map.of("Authorization", "Bearer " + GATEWAY.token(subject, scope), "Content-Type",
                "application/json");
    }

    static Map<String, String> reader(String subject) {
        return as(subject, "orders:read");
    }

    static Map<String, String> writer(String subject) {
        return as(subject, "orders:read orders:write");
    }

    ApiClient.Response place(String subject) {
        ApiClient.Response created = api.post("/orders", ORDER, writer(subject));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created;
    }

    @Test
    void ownerPlacesOrderAndReadsItBack() {
        String peter = customer();
        ApiClient.Response created = place(peter);

        JsonNode order = created.json();
        String id = order.get("orderId").asString();
        assertThat(UUID.fromString(id)).hasToString(id);
        assertThat(created.header("Location")).isEqualTo("/orders/" + id);
        assertThat(created.header("Content-Type")).startsWith("application/json");
        assertThat(order.get("customer").asString()).isEqualTo(peter);
        assertThat(order.get("status").asString()).isEqualTo("PLACED");
        assertThat(order.get("shippingAddress").asString()).isEqualTo("201, Galle Road, Colombo 03");
        assertThat(order.get("items")).hasSize(2);
        assertThat(order.get("items").get(0).get("itemCode").asString()).isEqualTo("IT0001");
        assertThat(order.get("items").get(0).get("quantity").asInt()).isEqualTo(3);
        assertThat(order.get("createdAt").asString()).isNotBlank();

        ApiClient.Response read = api.get("/orders/" + id, reader(peter));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(order);
    }

    @Test
    void orderOfAnotherCustomerIsNotFound() {
        String id = place(customer()).json().get("orderId").asString();

        ApiClient.Response stranger = api.get("/orders/" + id, reader(customer()));
        ApiClient.Response unknown = api.get("/orders/" + UUID.randomUUID(), reader(customer()));

        assertThat(stranger.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(stranger.header("Content-Type")).isEqualTo("application/problem+json");
        for (String field : new String[] { "type", "title", "status", "detail" }) {
            assertThat(stranger.json().get(field)).isEqualTo(unknown.json().get(field));
        }
        assertThat(stranger.json().get("detail").asString()).isEqualTo("No such order.");
    }

    @Test
    void listShowsOnlyTheCallersOrders() {
        String peter = customer();
        String nuwan = customer();
        String first = place(peter).json().get("orderId").asString();
        String second = place(peter).json().get("orderId").asString();
        place(nuwan);

        ApiClient.Response list = api.get("/orders", reader(peter));

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().valueStream().map(o -> o.get("orderId").asString()))
            .containsExactlyInAnyOrder(first, second);
        assertThat(list.json().valueStream().map(o -> o.get("customer").asString())).containsOnly(peter);
        assertThat(api.get("/orders", reader(customer())).json()).isEmpty();
    }

    @Test
    void actuatorIsNotOpenOnTheApiPort() {
        for (String path : new String[] { "/actuator/health", "/actuator/prometheus", "/actuator/env" }) {
            assertThat(api.get(path, Map.of()).status()).as(path).isIn(401, 404);
            assertThat(api.get(path, reader(customer())).status()).as(path).isIn(403, 404);
        }
    }
}
