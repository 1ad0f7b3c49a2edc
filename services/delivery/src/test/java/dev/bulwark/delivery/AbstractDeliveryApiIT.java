package dev.bulwark.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.securitykit.boot.testing.HttpsCall;
import dev.bulwark.securitykit.boot.testing.TestSts;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import dev.bulwark.securitykit.tls.HandshakeFailureListener;
import dev.bulwark.securitykit.tls.MutableSvidSupplier;
import dev.bulwark.securitykit.tls.RevocationChecker;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.SvidSupplier;
import dev.bulwark.securitykit.tls.TestCa;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The delivery service in the logistics trust domain as the launcher starts it: Tomcat with the service's SVID
 * from the logistics CA, the ecomm CA's root as a federated bundle, mTLS needed and only the logistics gateway
 * and the ecomm order service let in; tokens verified against the (test) logistics STS's JWK set only.
 * Subclasses choose the database.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractDeliveryApiIT {

    static final String GATEWAY_ID = "spiffe://logistics.local/gateway";
    static final String ORDER_ID = "spiffe://ecomm.local/order";
    static final String DELIVERY = """
            {"orderId":"3f1b9c3e-1d1e-4c1a-9a55-0f3a1b2c3d4e","address":"201, Galle Road, Colombo 03",\
            "items":[{"code":"IT0001","qty":3}]}""";

    static final TestCa LOGISTICS = TestCa.create("logistics root");
    static final TestCa ECOMM = TestCa.create("ecomm root");
    static final TestSts LOGISTICS_STS = new TestSts("https://sts.logistics.test");
    static final TestSts ECOMM_STS = new TestSts("https://sts.ecomm.test");

    static ConfigurableApplicationContext delivery;
    static int port;
    static SSLContext gateway;
    static SSLContext order;

    static void start(List<String> database) {
        RevocationChecker good = path -> new RevocationChecker.Verdict(RevocationChecker.Status.GOOD, "");
        SvidSupplier svids = MutableSvidSupplier.of(logistics(LOGISTICS, "delivery"), LOGISTICS.bundle(),
                Map.of("ecomm.local", ECOMM.bundle()));
        delivery = new SpringApplicationBuilder(DeliveryApplication.class)
            .initializers(context -> {
                ((GenericApplicationContext) context).registerBean(SvidSupplier.class, () -> svids);
                ((GenericApplicationContext) context).registerBean(RevocationChecker.class, () -> good);
            })
            .run(Stream.concat(Stream.of("--server.port=0", "--server.address=127.0.0.1", "--management.server.port=0",
                    "--management.server.address=127.0.0.1", "--bulwark.workload.socket=/nonexistent/agent.sock",
                    "--bulwark.east-west.trusted-issuers[0].issuer=" + LOGISTICS_STS.issuer(),
                    "--bulwark.east-west.trusted-issuers[0].jwk-set-file=" + LOGISTICS_STS.jwkSetFile()),
                    database.stream()).toArray(String[]::new));
        port = Integer.parseInt(delivery.getEnvironment().getRequiredProperty("local.server.port"));
        gateway = client(MutableSvidSupplier.of(logistics(LOGISTICS, "gateway"), LOGISTICS.bundle()));
        order = client(MutableSvidSupplier.of(ECOMM.issue("order"), ECOMM.bundle(),
                Map.of("logistics.local", LOGISTICS.bundle())));
    }

    @AfterAll
    static void stop() {
        if (delivery != null) {
            delivery.close();
        }
    }

    static Svid logistics(TestCa ca, String name) {
        Instant now = Instant.now();
        return ca.issue(List.of("spiffe://logistics.local/" + name), now.minus(Duration.ofMinutes(1)),
                now.plus(Duration.ofHours(1)), false);
    }

    static SSLContext client(SvidSupplier svids) {
        return SpiffeTls.clientContext(svids, SpiffeIdPolicy.oneOf("spiffe://logistics.local/delivery"),
                HandshakeFailureListener.NONE);
    }

    /** What the logistics STS issues when the logistics gateway exchanges the ecomm-issued token. */
    static String viaGateway(String subject, String scope) {
        return LOGISTICS_STS.exchanged(subject, "delivery-service", scope, "logistics-gateway",
                Map.of("sub", GATEWAY_ID, "act", Map.of("sub", ORDER_ID)));
    }

    static HttpsCall.Response call(SSLContext client, String method, String path, @Nullable String token,
            @Nullable String body) {
        return HttpsCall.send(client, port, method, path, token, body);
    }

    static String awaitLine(CapturedOutput output, String... parts) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline) {
            for (String line : output.getOut().split("\\R")) {
                boolean all = true;
                for (String part : parts) {
                    all &= line.contains(part);
                }
                if (all) {
                    return line;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no log line with " + String.join(", ", parts) + " in:\n" + output.getOut());
    }

    @Test
    void logisticsGatewaySchedulesADeliveryForTheUserAndTheUserReadsIt(CapturedOutput output) throws Exception {
        String peter = "peter-" + UUID.randomUUID();

        HttpsCall.Response created = call(gateway, "POST", "/deliveries", viaGateway(peter, "delivery:write"), DELIVERY);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode body = created.json();
        String id = body.get("deliveryId").asString();
        assertThat(UUID.fromString(id)).hasToString(id);
        assertThat(created.header("Location")).isEqualTo("/deliveries/" + id);
        assertThat(body.propertyNames()).containsExactly("deliveryId", "orderId", "status");
        assertThat(body.get("orderId").asString()).isEqualTo("3f1b9c3e-1d1e-4c1a-9a55-0f3a1b2c3d4e");
        assertThat(body.get("status").asString()).isEqualTo("SCHEDULED");

        String audit = awaitLine(output, "bulwark.audit", "event=access", "method=POST", "sub=" + peter);
        assertThat(audit).contains("status=201", "client_id=logistics-gateway", "pattern=exchanged", GATEWAY_ID,
                ORDER_ID);

        HttpsCall.Response read = call(gateway, "GET", "/deliveries/" + id, viaGateway(peter, "delivery:read"), null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(body);
    }

    @Test
    void deliveryOfAnotherUserIsNotFound() {
        String id = call(gateway, "POST", "/deliveries", viaGateway("peter", "delivery:write"), DELIVERY).json()
            .get("deliveryId")
            .asString();

        HttpsCall.Response stranger = call(gateway, "GET", "/deliveries/" + id, viaGateway("nuwan", "delivery:read"), null);
        HttpsCall.Response unknown = call(gateway, "GET", "/deliveries/" + UUID.randomUUID(),
                viaGateway("nuwan", "delivery:read"), null);

        assertThat(stranger.status()).isEqualTo(404);
        assertThat(stranger.json().get("detail").asString()).isEqualTo("No such delivery.");
        assertThat(unknown.status()).isEqualTo(404);
        for (String field : new String[] { "type", "title", "status", "detail" }) {
            assertThat(stranger.json().get(field)).isEqualTo(unknown.json().get(field));
        }
    }

    @Test
    void ecommOrderServiceWithAJwtBearerTokenOfTheLogisticsStsSchedulesDirectly(CapturedOutput output)
            throws Exception {
        String token = LOGISTICS_STS.exchanged("kamal", "delivery-service", "delivery:write", "ecomm-order",
                Map.of("sub", ORDER_ID));

        HttpsCall.Response created = call(order, "POST", "/deliveries", token, DELIVERY);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(awaitLine(output, "bulwark.audit", "sub=kamal")).contains("client_id=ecomm-order", ORDER_ID);
    }

    @Test
    void tokenOfTheEcommStsIsRefused() {
        // addressed to delivery-service and well-formed, but the ecomm STS is not a trusted issuer here
        String ecomm = ECOMM_STS.exchanged("peter", "delivery-service", "delivery:write", "order-service",
                Map.of("sub", ORDER_ID));

        HttpsCall.Response response = call(order, "POST", "/deliveries", ecomm, DELIVERY);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    @Test
    void tokenForAnotherAudienceIsRefused() {
        String forGateway = LOGISTICS_STS.exchanged("peter", "logistics-gateway", "delivery:write", "logistics-gateway",
                Map.of("sub", GATEWAY_ID));

        HttpsCall.Response response = call(gateway, "POST", "/deliveries", forGateway, DELIVERY);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    @Test
    void tokenWithoutTheNeededScopeIsForbidden() {
        HttpsCall.Response post = call(gateway, "POST", "/deliveries", viaGateway("peter", "delivery:read"), DELIVERY);
        HttpsCall.Response get = call(gateway, "GET", "/deliveries/" + UUID.randomUUID(),
                viaGateway("peter", "delivery:write"), null);

        assertThat(post.status()).isEqualTo(403);
        assertThat(post.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"", "scope=\"delivery:write\"");
        assertThat(get.status()).isEqualTo(403);
        assertThat(get.header("WWW-Authenticate")).contains("scope=\"delivery:read\"");
    }

    @Test
    void badBodiesAreRefused() {
        Map<String, String> fieldOf = Map.of(
                "{\"orderId\":\"o 1\",\"address\":\"a\",\"items\":[{\"code\":\"IT0001\",\"qty\":1}]}", "orderId",
                "{\"orderId\":\"o1\",\"address\":\" \",\"items\":[{\"code\":\"IT0001\",\"qty\":1}]}", "address",
                "{\"orderId\":\"o1\",\"address\":\"a\",\"items\":[]}", "items",
                "{\"orderId\":\"o1\",\"address\":\"a\",\"items\":[{\"code\":\"it\",\"qty\":1}]}", "items[0].code",
                "{\"orderId\":\"o1\",\"address\":\"a\",\"items\":[{\"code\":\"IT0001\",\"qty\":0}]}", "items[0].qty",
                "{\"orderId\":\"o1\",\"address\":\"a\",\"items\":[{\"code\":\"IT0001\",\"qty\":1}],\"status\":\"DELIVERED\"}",
                "status");
        fieldOf.forEach((body, field) -> {
            HttpsCall.Response response = call(gateway, "POST", "/deliveries", viaGateway("peter", "delivery:write"), body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.json().get("errors").get(0).get("field").asString()).as(body).isEqualTo(field);
        });
        HttpsCall.Response notJson = call(gateway, "POST", "/deliveries", viaGateway("peter", "delivery:write"), "{");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("detail").asString()).isEqualTo("The request body is not valid JSON.");
    }

    @Test
    void workloadNotOnTheAllowListCannotConnect() {
        SSLContext inventory = client(MutableSvidSupplier.of(ECOMM.issue("inventory"), ECOMM.bundle(),
                Map.of("logistics.local", LOGISTICS.bundle())));

        assertThatThrownBy(() -> call(inventory, "GET", "/deliveries/" + UUID.randomUUID(),
                viaGateway("peter", "delivery:read"), null)).isInstanceOf(UncheckedIOException.class);
    }
}
