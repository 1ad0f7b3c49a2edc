package dev.bulwark.delivery;

import dev.bulwark.securitykit.crypto.CryptoProviders;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The logistics domain's Delivery service: schedules deliveries for orders (see the module README). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DeliveryApplication {

    static {
        CryptoProviders.installPreferred();
    }

    public static void main(String[] args) {
        SpringApplication.run(DeliveryApplication.class, args);
    }
}
