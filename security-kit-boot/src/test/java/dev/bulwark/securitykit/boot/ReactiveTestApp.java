package dev.bulwark.securitykit.boot;

import java.security.cert.X509Certificate;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/** A reactive (Reactor Netty) application that says which SPIFFE ID called it. */
@SpringBootConfiguration
// Tomcat is on the test class path too (for the servlet app): the reactive app runs on Netty only
@EnableAutoConfiguration(excludeName = {
        "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration",
        "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration"})
@RestController
class ReactiveTestApp {

    @GetMapping("/hello")
    String hello(ServerWebExchange exchange) {
        SslInfo ssl = exchange.getRequest().getSslInfo();
        X509Certificate[] chain = ssl == null ? null : ssl.getPeerCertificates();
        return "hello " + (chain == null || chain.length == 0 ? "-" : Peers.spiffeId(chain[0]));
    }
}
