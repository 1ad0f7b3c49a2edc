package dev.bulwark.securitykit.jwt;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import dev.bulwark.securitykit.jose.JwkFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Where a verifier gets an issuer's public keys (RFC 7517 JWK sets): over HTTPS from a {@code
 * jwks_uri} (RFC 8414 §2), or from a file.
 */
public final class JwkSources {

    private static final int MAX_BYTES = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Told the outcome of every fetch of a remote JWK set, e.g. to count refreshes; must not throw. */
    @FunctionalInterface
    public interface FetchListener {

        /** No-op. */
        FetchListener NONE = ok -> { };

        /** One fetch ended: {@code ok} when a 200 answer within the size limit arrived. */
        void fetched(boolean ok);
    }

    private JwkSources() {
    }

    /**
     * The JWK set at {@code jwksUri}, fetched over {@code sslContext} (e.g. a workload TLS client
     * context that checks the server's SPIFFE ID). Cached for 5 minutes; fetched again (at most every
     * 30 s) when a token names a key ID the cached set lacks, so a rotated key is found at once.
     */
    public static JWKSource<SecurityContext> remote(URI jwksUri, SSLContext sslContext) {
        return remote(jwksUri, sslContext, FetchListener.NONE);
    }

    /** As {@link #remote(URI, SSLContext)}, telling {@code listener} the outcome of each fetch. */
    public static JWKSource<SecurityContext> remote(URI jwksUri, SSLContext sslContext, FetchListener listener) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(jwksUri, "jwksUri");
        Objects.requireNonNull(sslContext, "sslContext");
        if (!"https".equalsIgnoreCase(jwksUri.getScheme())) {
            throw new IllegalArgumentException("jwksUri: " + jwksUri + " (expected: an https:// URI)");
        }
        URL url;
        try {
            url = jwksUri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("jwksUri: " + jwksUri + " (expected: an https:// URL)", e);
        }
        HttpClient http = HttpClient.newBuilder().sslContext(sslContext).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return JWKSourceBuilder.<SecurityContext>create(url, new HttpsRetriever(http, listener))
                .cache(Duration.ofMinutes(5).toMillis(), TIMEOUT.toMillis())
                .rateLimited(Duration.ofSeconds(30).toMillis())
                .refreshAheadCache(false)
                .retrying(false)
                .build();
    }

    /**
     * The public JWK set in {@code jwkSetFile} (private members are dropped), read again whenever the
     * file's modification time changes.
     *
     * @throws IllegalArgumentException when the file cannot be read or is not a JWK set
     */
    public static JWKSource<SecurityContext> file(Path jwkSetFile) {
        return new FileSource(Objects.requireNonNull(jwkSetFile, "jwkSetFile"));
    }

    private record HttpsRetriever(HttpClient http, FetchListener listener) implements ResourceRetriever {

        @Override
        public Resource retrieveResource(URL url) throws IOException {
            boolean ok = false;
            try {
                Resource resource = fetch(url);
                ok = true;
                return resource;
            } finally {
                listener.fetched(ok);
            }
        }

        private Resource fetch(URL url) throws IOException {
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(url.toURI()).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
            } catch (URISyntaxException e) {
                throw new IOException("not a URI: " + url, e);
            }
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                    if (response.statusCode() != 200) {
                        throw new IOException("JWK set " + url + ": status " + response.statusCode() + " (expected: 200)");
                    }
                    if (bytes.length > MAX_BYTES) {
                        throw new IOException("JWK set " + url + ": larger than " + MAX_BYTES + " bytes");
                    }
                    return new Resource(new String(bytes, StandardCharsets.UTF_8),
                            response.headers().firstValue("Content-Type").orElse("application/json"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching " + url, e);
            }
        }
    }

    private static final class FileSource implements JWKSource<SecurityContext> {

        private record Loaded(FileTime modified, JWKSet set) {
        }

        private final Path file;
        private volatile Loaded loaded;

        FileSource(Path file) {
            this.file = file;
            this.loaded = load();
        }

        @Override
        public List<JWK> get(JWKSelector selector, @Nullable SecurityContext context) throws KeySourceException {
            Loaded current = loaded;
            try {
                if (!Files.getLastModifiedTime(file).equals(current.modified())) {
                    current = load();
                    loaded = current;
                }
            } catch (IOException | RuntimeException e) {
                // the last good set stays in use while the file is being replaced
            }
            return selector.select(current.set());
        }

        private Loaded load() {
            try {
                FileTime modified = Files.getLastModifiedTime(file);
                return new Loaded(modified, JwkFiles.readPublicSet(file));
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new IllegalArgumentException("jwkSetFile: " + file + " (expected: a readable JWK set file)", e);
            }
        }
    }
}
