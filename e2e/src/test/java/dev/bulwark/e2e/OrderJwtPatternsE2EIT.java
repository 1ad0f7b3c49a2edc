package dev.bulwark.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The order service's choice of JWT for its call to inventory ({@code bulwark.order.inventory.token}),
 * each through the whole system: a user places an order through the gateway, and inventory accepts or
 * refuses what the order service sends. The ecomm domain alone (orders schedule no delivery), one
 * system per pattern; the default, {@code exchanged}, is covered by {@link EastWestE2EIT}.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class OrderJwtPatternsE2EIT {

    private static final String ORDER = "{\"items\":[{\"itemCode\":\"IT0003\",\"quantity\":2}],\"shippingAddress\":\"1 Main St\"}";

    @ParameterizedTest
    @ValueSource(strings = {"self-issued", "nested"})
    void inventoryAcceptsTheOrderServicesOwnSignature(String pattern) {
        try (LocalSystem system = start(pattern)) {
            String token = system.userToken("peter", "peter123", "orders:read orders:write");

            HttpResponse<String> placed = system.postJson("/api/orders", token, ORDER);

            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            awaitLog(system, "inventory", "event=access method=PUT path=/inventory status=200 sub=peter actors=spiffe://ecomm.local/order .*pattern="
                    + pattern.replace('-', '_'));
        }
    }

    /** The shared pattern forwards the token addressed to the order service: inventory refuses it, no order is kept. */
    @ParameterizedTest
    @ValueSource(strings = {"shared"})
    void inventoryRefusesTheForwardedTokenAndNoOrderIsKept(String pattern) {
        try (LocalSystem system = start(pattern)) {
            String token = system.userToken("peter", "peter123", "orders:read orders:write");

            HttpResponse<String> placed = system.postJson("/api/orders", token, ORDER);

            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(502);
            assertThat(placed.body()).doesNotContain("inventory", "eyJ", "Exception");
            assertThat(system.get("/api/orders", token).body()).isEqualTo("[]");
            awaitLog(system, "inventory", "event=auth_failure reason=(untrusted_issuer|wrong_audience)");
        }
    }

    private static LocalSystem start(String pattern) {
        return LocalSystem.start("h2", List.of("--without-logistics", "--set", "order:bulwark.order.inventory.token=" + pattern));
    }

    private static void awaitLog(LocalSystem system, String component, String regex) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log(system, component)).containsPattern(regex));
    }

    private static String log(LocalSystem system, String component) {
        try {
            return Files.readString(system.home.resolve("logs/" + component + ".log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
