package dev.bulwark.inventory.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the inventory service, bound from {@code bulwark.inventory.*}; token verification is
 * {@code bulwark.east-west.*} (security-kit-boot). A wrong value fails start-up.
 *
 * @param maxBodySize largest request body accepted; larger bodies get 413 before they are parsed
 */
@ConfigurationProperties("bulwark.inventory")
public record InventoryProperties(@DefaultValue("16KB") DataSize maxBodySize) {

    public InventoryProperties {
        if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > DataSize.ofMegabytes(1).toBytes()) {
            throw new IllegalArgumentException(
                    "Invalid inventory service configuration: bulwark.inventory.max-body-size: " + maxBodySize
                            + " (expected: 1B..1MB)");
        }
    }
}
