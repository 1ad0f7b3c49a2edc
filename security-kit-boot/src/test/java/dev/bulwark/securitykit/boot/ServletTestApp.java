package dev.bulwark.securitykit.boot;

import java.security.cert.X509Certificate;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A servlet (Tomcat) application that says which SPIFFE ID called it. */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
class ServletTestApp {

    @GetMapping("/hello")
    String hello(HttpServletRequest request) {
        X509Certificate[] chain = (X509Certificate[]) request.getAttribute("jakarta.servlet.request.X509Certificate");
        return "hello " + (chain == null ? "-" : Peers.spiffeId(chain[0]));
    }
}
