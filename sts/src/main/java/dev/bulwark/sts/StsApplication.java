package dev.bulwark.sts;

import dev.bulwark.securitykit.crypto.CryptoProviders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class StsApplication {

    static {
        CryptoProviders.installPreferred();
    }

    public static void main(String[] args) {
        SpringApplication.run(StsApplication.class, args);
    }
}
