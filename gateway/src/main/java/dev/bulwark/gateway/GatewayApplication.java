package dev.bulwark.gateway;

import dev.bulwark.securitykit.crypto.CryptoProviders;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class GatewayApplication {

    static {
        CryptoProviders.installPreferred();
    }

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
