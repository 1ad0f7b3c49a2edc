package dev.bulwark.sts;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class StsApplication {

    static {
        CryptoProviders.preferCorretto();
    }

    public static void main(String[] args) {
        SpringApplication.run(StsApplication.class, args);
    }
}
