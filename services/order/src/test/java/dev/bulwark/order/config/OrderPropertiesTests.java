package dev.bulwark.order.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binds {@code bulwark.order.*} as Spring does, defaults included. */
class OrderPropertiesTests {

    static OrderProperties bind(Map<String, String> values) {
        Map<String, String> all = new HashMap<>();
        all.put("bulwark.order.user-context.jwk-set-file", "k.jwks");
        all.putAll(values);
        return new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("bulwark.order", OrderProperties.class);
    }

    static Throwable rootCause(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void bindWhenJwkSetFileMissingThenNamesTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("bulwark.order.user-context.jwk-set-file", "")))
            .satisfies(ex -> assertThat(rootCause(ex)).hasMessageContaining("bulwark.order.user-context.jwk-set-file is not set"));
    }

    @Test
    void bindWhenSeveralProblemsThenListsThemAll() {
        assertThatThrownBy(() -> bind(Map.of("bulwark.order.user-context.issuer", " ",
                "bulwark.order.max-body-size", "0B",
                "bulwark.order.inventory.uri", "http://localhost:8444",
                "bulwark.order.sts.spiffe-id", "https://ecomm.local/sts",
                "bulwark.order.logistics-gateway.uri", "https://localhost:1/x?y=1",
                "bulwark.order.downstream-timeout", "5m")))
            .satisfies(ex -> assertThat(rootCause(ex)).hasMessageContaining("max-body-size: 0B (expected: 1B..1MB)")
                .hasMessageContaining("bulwark.order.user-context.issuer is blank")
                .hasMessageContaining("bulwark.order.inventory.uri: http://localhost:8444 (expected: an https URL")
                .hasMessageContaining("bulwark.order.sts.spiffe-id: https://ecomm.local/sts (expected: a SPIFFE ID")
                .hasMessageContaining("bulwark.order.logistics-gateway.uri: https://localhost:1/x?y=1")
                .hasMessageContaining("bulwark.order.downstream-timeout: PT5M"));
    }

    @Test
    void bindWhenNothingDownstreamIsSetThenHasTheContractDefaults() {
        OrderProperties properties = bind(Map.of());

        assertThat(properties.userContext().requiredJwkSetFile()).isEqualTo(Path.of("k.jwks"));
        assertThat(properties.sts().tokenUri()).isEqualTo(URI.create("https://localhost:9443/oauth2/token"));
        assertThat(properties.sts().spiffeId()).isEqualTo("spiffe://ecomm.local/sts");
        assertThat(properties.sts().clientId()).isEqualTo("order-service");
        assertThat(properties.inventory().uri()).isNull();
        assertThat(properties.inventory().spiffeId()).isEqualTo("spiffe://ecomm.local/inventory");
        assertThat(properties.inventory().audience()).isEqualTo("inventory-service");
        assertThat(properties.inventory().token()).isEqualTo(OrderProperties.InventoryToken.EXCHANGED);
        assertThat(properties.delivery().flow()).isEqualTo(OrderProperties.DeliveryFlow.DIRECT);
        assertThat(properties.delivery().spiffeId()).isEqualTo("spiffe://logistics.local/delivery");
        assertThat(properties.delivery().audience()).isEqualTo("delivery-service");
        assertThat(properties.logisticsSts().spiffeId()).isEqualTo("spiffe://logistics.local/sts");
        assertThat(properties.logisticsSts().clientId()).isEqualTo("ecomm-order");
        assertThat(properties.logisticsGateway().spiffeId()).isEqualTo("spiffe://logistics.local/gateway");
        assertThat(properties.logisticsGateway().audience()).isEqualTo("logistics-gateway");
        assertThat(properties.downstreamTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.downstreamSettingsSet()).isEmpty();
    }

    @Test
    void bindWhenPatternAndFlowAreKebabCaseThenTheyBind() {
        OrderProperties properties = bind(Map.of("bulwark.order.inventory.token", "self-issued",
                "bulwark.order.delivery.flow", "gateway"));

        assertThat(properties.inventory().token()).isEqualTo(OrderProperties.InventoryToken.SELF_ISSUED);
        assertThat(properties.delivery().flow()).isEqualTo(OrderProperties.DeliveryFlow.GATEWAY);
    }

    @Test
    void downstreamProblemsWhenDirectFlowIncompleteThenListsEveryMissingSetting() {
        assertThat(bind(Map.of()).downstreamProblems()).hasSize(4)
            .anySatisfy(p -> assertThat(p).startsWith("bulwark.order.inventory.uri is not set"))
            .anySatisfy(p -> assertThat(p).startsWith("bulwark.order.delivery.uri is not set"))
            .anySatisfy(p -> assertThat(p).startsWith("bulwark.order.logistics-sts.issuer is not set"))
            .anySatisfy(p -> assertThat(p).startsWith("bulwark.order.logistics-sts.token-uri is not set"));
    }

    @Test
    void downstreamProblemsWhenGatewayFlowThenOnlyNeedsTheGatewayUri() {
        assertThat(bind(Map.of("bulwark.order.inventory.uri", "https://localhost:8444",
                "bulwark.order.delivery.flow", "gateway")).downstreamProblems())
            .singleElement().asString().startsWith("bulwark.order.logistics-gateway.uri is not set");
    }

    @Test
    void downstreamProblemsWhenFlowOffAndInventorySetThenNone() {
        OrderProperties properties = bind(Map.of("bulwark.order.inventory.uri", "https://localhost:8444",
                "bulwark.order.delivery.flow", "off"));

        assertThat(properties.downstreamProblems()).isEmpty();
        assertThat(properties.downstreamSettingsSet()).containsExactly("bulwark.order.inventory.uri");
    }
}
