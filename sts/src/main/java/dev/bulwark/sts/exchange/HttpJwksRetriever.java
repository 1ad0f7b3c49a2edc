package dev.bulwark.sts.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;

/**
 * Fetches a JWK set over the given JDK HTTP client (with the workload's TLS context, or the JDK's
 * default trust), with timeouts and a 256 KiB size limit; anything but 200 is an error.
 */
final class HttpJwksRetriever implements ResourceRetriever {

    private static final int MAX_BYTES = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;

    HttpJwksRetriever(HttpClient http) {
        this.http = http;
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url.toURI()).timeout(TIMEOUT).header("Accept", "application/json").GET()
                    .build();
        } catch (URISyntaxException e) {
            throw new IOException("jwk-set-uri: " + url + " (expected: a URI)", e);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted fetching " + url, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("jwk-set-uri " + url + ": status " + response.statusCode() + " (expected: 200)");
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("jwk-set-uri " + url + ": more than " + MAX_BYTES + " bytes");
            }
            return new Resource(new String(bytes, StandardCharsets.UTF_8),
                    response.headers().firstValue("Content-Type").orElse(null));
        }
    }
}
