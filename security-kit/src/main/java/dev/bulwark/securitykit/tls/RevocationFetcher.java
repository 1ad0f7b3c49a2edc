package dev.bulwark.securitykit.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Fetches OCSP responses and CRLs for {@link OcspCrlRevocationChecker}; tests pass fakes.
 */
@FunctionalInterface
public interface RevocationFetcher {

    /** The largest response body read (OCSP responses and CRLs). */
    int MAX_RESPONSE_BYTES = 1024 * 1024;

    /**
     * POSTs {@code ocspRequest} as {@code application/ocsp-request} when it is not null, else GETs
     * {@code uri}; returns the body of a 200 answer.
     *
     * @throws IOException on any failure, a non-200 status, a body over {@link #MAX_RESPONSE_BYTES},
     *     or no complete answer within {@code timeout}
     */
    byte[] fetch(URI uri, byte @Nullable [] ocspRequest, Duration timeout) throws IOException;

    /** Over {@code http}/{@code https} with the JDK's {@link HttpClient}; no redirects followed. */
    static RevocationFetcher http() {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(2)).build();
        return (uri, ocspRequest, timeout) -> {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IOException("unsupported URL scheme: " + uri);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
            if (ocspRequest != null) {
                request.header("Content-Type", "application/ocsp-request")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(ocspRequest));
            } else {
                request.GET();
            }
            CompletableFuture<byte[]> body = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
                    .thenApply(response -> {
                        try (InputStream in = response.body()) {
                            if (response.statusCode() != 200) {
                                throw new java.io.UncheckedIOException(
                                        new IOException("HTTP " + response.statusCode() + " from " + uri));
                            }
                            byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
                            if (bytes.length > MAX_RESPONSE_BYTES) {
                                throw new java.io.UncheckedIOException(new IOException("response over "
                                        + MAX_RESPONSE_BYTES + " bytes from " + uri));
                            }
                            return bytes;
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            try {
                return body.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                body.cancel(true);
                throw new IOException("no answer within " + timeout.toMillis() + " ms from " + uri, e);
            } catch (InterruptedException e) {
                body.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted fetching " + uri);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
                throw new IOException(cause == null ? "failed fetching " + uri
                        : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
            }
        };
    }
}
