package dev.bulwark.inventory;

import dev.bulwark.securitykit.crypto.CryptoProviders;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Inventory service: reserves and releases stock for the order service (see the module README). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class InventoryApplication {

    static {
        CryptoProviders.installPreferred();
    }

    public static void main(String[] args) {
        SpringApplication.run(InventoryApplication.class, args);
    }
}
