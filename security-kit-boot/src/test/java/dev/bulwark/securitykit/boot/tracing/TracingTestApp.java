package dev.bulwark.securitykit.boot.tracing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.bulwark.securitykit.trace.TraceHeaders;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Two roles of one tiny servlet app: {@code /front} calls {@code /back} of another instance twice, once
 * with Spring's observed {@link RestClient} and once with a JDK {@link HttpClient} request built like
 * security-kit's TokenClient builds its own ({@link TraceHeaders#addTo}); {@code /back} answers with the
 * {@code traceparent} it received.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
class TracingTestApp {

    private final RestClient rest;
    private final URI back;

    TracingTestApp(RestClient.Builder rest, @Value("${test.back-uri:http://127.0.0.1:1}") URI back) {
        this.rest = rest.build();
        this.back = back;
    }

    @GetMapping("/front")
    String front() throws IOException, InterruptedException {
        String viaRestClient = rest.get().uri(back.resolve("/back")).retrieve().body(String.class);
        try (HttpClient jdk = HttpClient.newHttpClient()) {
            HttpRequest request = TraceHeaders.addTo(HttpRequest.newBuilder(back.resolve("/back"))).GET().build();
            String viaJdk = jdk.send(request, HttpResponse.BodyHandlers.ofString()).body();
            return viaRestClient + "\n" + viaJdk;
        }
    }

    @GetMapping("/back")
    String back(@RequestHeader(name = "traceparent", required = false) String traceparent) {
        return String.valueOf(traceparent);
    }
}
