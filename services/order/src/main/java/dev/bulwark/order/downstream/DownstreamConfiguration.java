package dev.bulwark.order.downstream;

import java.util.Map;

import dev.bulwark.order.config.OrderProperties;
import dev.bulwark.order.delivery.DeliveryScheduler;
import dev.bulwark.order.inventory.InventoryReservations;
import dev.bulwark.securitykit.boot.WorkloadTls;
import dev.bulwark.securitykit.jwt.TokenClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Downstream calls are made when workload TLS is on ({@code bulwark.workload.socket} set): the SVID is the
 * client certificate of every call, so without it no call could authenticate. Then every setting the configured
 * pattern and flow need must be present (start-up fails listing the missing ones). Without workload TLS
 * (local runs, tests) they are disabled: orders are stored without a reservation or a delivery
 * ({@code deliveryId: null}), logged once at start-up as {@code event=downstream_disabled}; setting a
 * downstream URL without workload TLS fails start-up instead of being ignored.
 */
@Configuration(proxyBeanMethods = false)
class DownstreamConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DownstreamConfiguration.class);

    @Bean
    Downstream downstream(OrderProperties properties, ObjectProvider<WorkloadTls> workloadTls) {
        WorkloadTls tls = workloadTls.getIfAvailable();
        if (tls == null) {
            if (!properties.downstreamSettingsSet().isEmpty()) {
                throw new IllegalArgumentException("Invalid order service configuration: "
                        + String.join(", ", properties.downstreamSettingsSet())
                        + " set without workload TLS (expected: bulwark.workload.socket set, since downstream calls"
                        + " authenticate with the workload's SVID; or no downstream URL)");
            }
            log.warn("event=downstream_disabled reason=no_workload_tls effect=orders_stored_without_reservation_or_delivery");
            return Downstream.disabled();
        }
        Downstream downstream = Downstream.create(properties, tls);
        log.info("event=downstream_enabled inventory_token={} delivery_flow={}", properties.inventory().token().value(),
                properties.delivery().flow().name().toLowerCase(java.util.Locale.ROOT));
        return downstream;
    }

    @Bean
    InventoryReservations inventoryReservations(Downstream downstream) {
        return downstream.inventory();
    }

    @Bean
    DeliveryScheduler deliveryScheduler(Downstream downstream) {
        return downstream.delivery();
    }

    /** {@code bulwark_token_exchange_cache_total{result=hit|miss, sts=sts|logistics-sts}} from the STS clients. */
    @Bean
    MeterBinder tokenCacheMetrics(Downstream downstream) {
        return registry -> {
            for (Map.Entry<String, TokenClient> entry : downstream.tokenClients().entrySet()) {
                TokenClient client = entry.getValue();
                FunctionCounter.builder("bulwark.token.exchange.cache", client, TokenClient::cacheHits)
                    .description("STS token requests answered from the cache (hit) or sent to the STS (miss)")
                    .tag("result", "hit")
                    .tag("sts", entry.getKey())
                    .register(registry);
                FunctionCounter.builder("bulwark.token.exchange.cache", client, TokenClient::cacheMisses)
                    .description("STS token requests answered from the cache (hit) or sent to the STS (miss)")
                    .tag("result", "miss")
                    .tag("sts", entry.getKey())
                    .register(registry);
            }
        };
    }
}
