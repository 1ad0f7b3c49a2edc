package dev.bulwark.e2e;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.bulwark.launcher.Bulwark;
import dev.bulwark.launcher.LaunchOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The whole system, started as {@code ./bulwark up} starts it (the launcher, one process per
 * component, real TLS), in a temporary state directory on free ports, and stopped with
 * {@code down}.
 */
final class LocalSystem implements AutoCloseable {

    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    /**
     * Clients that exist only in these tests: one whose tokens expire in seconds, one whose tokens
     * are addressed to another audience. Validly signed by the STS, both must still be refused.
     */
    static final List<String> TEST_CLIENTS = List.of(
            "--set", "sts:bulwark.sts.clients.e2e-shortlived.secret=e2e-shortlived-secret",
            "--set", "sts:bulwark.sts.clients.e2e-shortlived.grant-types=client_credentials",
            "--set", "sts:bulwark.sts.clients.e2e-shortlived.scopes=orders:read",
            "--set", "sts:bulwark.sts.clients.e2e-shortlived.access-token-lifetime=PT2S",
            "--set", "sts:bulwark.sts.clients.e2e-otheraudience.secret=e2e-otheraudience-secret",
            "--set", "sts:bulwark.sts.clients.e2e-otheraudience.grant-types=client_credentials",
            "--set", "sts:bulwark.sts.clients.e2e-otheraudience.scopes=orders:read",
            "--set", "sts:bulwark.sts.clients.e2e-otheraudience.audience=partner-api");

    final Path home;
    final int gatewayPort;
    final int stsPort;
    final String database;
    final String welcome;
    private final HttpClient http;

    private LocalSystem(Path home, int gatewayPort, int stsPort, String database, String welcome) {
        this.home = home;
        this.gatewayPort = gatewayPort;
        this.stsPort = stsPort;
        this.database = database;
        this.welcome = welcome;
        this.http = HttpClient.newBuilder()
                .sslContext(trusting(home.resolve("pki/bundle.pem")))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static LocalSystem start(String database) {
        return start(database, List.of());
    }

    /**
     * Starts a system with further {@code up} options, e.g. {@code --set identity:bulwark.identity.svid-lifetime=PT10S}.
     */
    static LocalSystem start(String database, List<String> extraOptions) {
        try {
            Path home = Files.createTempDirectory("bulwark-e2e-");
            int gatewayPort = freePort();
            int stsPort = freePort();
            List<String> args = new ArrayList<>(List.of("up", "--home", home.toString(),
                    "--gateway-port", String.valueOf(gatewayPort), "--sts-port", String.valueOf(stsPort),
                    "--database", database));
            args.addAll(TEST_CLIENTS);
            args.addAll(extraOptions);
            if (database.equals("postgres")) {
                args.addAll(List.of("--database-prefix",
                        "bulwark_e2e_" + UUID.randomUUID().toString().substring(0, 8) + "_"));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = Bulwark.run(LaunchOptions.parse(args, REPOSITORY), new PrintStream(out, true, StandardCharsets.UTF_8));
            if (status != 0) {
                throw new IllegalStateException("up failed: " + out.toString(StandardCharsets.UTF_8));
            }
            return new LocalSystem(home, gatewayPort, stsPort, database, out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int run(String command) {
        return Bulwark.run(LaunchOptions.parse(List.of(command, "--home", home.toString(),
                "--gateway-port", String.valueOf(gatewayPort), "--sts-port", String.valueOf(stsPort)), REPOSITORY),
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
    }

    String runAndCapture(String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Bulwark.run(LaunchOptions.parse(List.of(command, "--home", home.toString(),
                "--gateway-port", String.valueOf(gatewayPort), "--sts-port", String.valueOf(stsPort)), REPOSITORY),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        run("down");
    }

    /**
     * Runs {@code ./bulwark <args> --home <home>} as its own process, as a user would (the admin
     * commands register their own pid, so they must not run inside this JVM, which the tests register
     * as other workloads); returns the exit code and the output.
     */
    CommandResult bulwarkScript(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", REPOSITORY.resolve("bulwark").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--home", home.toString()));
        return CommandResult.run(command, Duration.ofSeconds(60));
    }

    /** Where the identity process's trust bundle (all roots) is. */
    Path trustBundle() {
        return home.resolve("pki/bundle.pem");
    }

    /** The Workload API socket. */
    Path workloadSocket() {
        return Path.of((String) component("identity").get("workload_api"));
    }

    /** A component's Prometheus scrape URL. */
    URI metrics(String component) {
        return URI.create((String) component(component).get("metrics"));
    }

    /** The loopback port a component serves on (its URL's). */
    int port(String component) {
        return URI.create((String) component(component).get("url")).getPort();
    }

    URI gateway(String path) {
        return URI.create("https://localhost:" + gatewayPort + path);
    }

    URI sts(String path) {
        return URI.create("https://localhost:" + stsPort + path);
    }

    Map<String, Object> endpoints() {
        try {
            return JSONObjectUtils.parse(Files.readString(home.resolve("endpoints.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> component(String name) {
        return (Map<String, Object>) ((Map<String, Object>) endpoints().get("components")).get(name);
    }

    /** POSTs a form to the STS's token (or other) endpoint with HTTP Basic client authentication. */
    HttpResponse<String> stsForm(String path, String clientId, String secret, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .reduce((a, b) -> a + "&" + b).orElse("");
        HttpRequest.Builder request = HttpRequest.newBuilder(sts(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (clientId != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        }
        return send(request.build());
    }

    Map<String, Object> tokenResponse(String clientId, String secret, String... formPairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < formPairs.length; i += 2) {
            form.put(formPairs[i], formPairs[i + 1]);
        }
        HttpResponse<String> response = stsForm("/oauth2/token", clientId, secret, form);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    String userToken(String user, String password, String scope) {
        return (String) tokenResponse("orderprocessingapp", "orderprocessingappsecret", "grant_type", "password",
                "username", user, "password", password, "scope", scope).get("access_token");
    }

    String clientToken(String clientId, String secret, String scope) {
        return (String) tokenResponse(clientId, secret, "grant_type", "client_credentials", "scope", scope)
                .get("access_token");
    }

    HttpResponse<String> get(String path, String token, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway(path)).GET();
        return send(withAuth(request, token, headers).build());
    }

    HttpResponse<String> postJson(String path, String token, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return send(withAuth(request, token, headers).build());
    }

    /** Sends a request; an answer that takes longer than 60 s fails the test instead of hanging it. */
    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? new UncheckedIOException(io) : new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer within 60 s to " + request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpClient http() {
        return http;
    }

    static Map<String, Object> json(String body) {
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private static HttpRequest.Builder withAuth(HttpRequest.Builder request, String token, String... headers) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    /**
     * A client that, like a careful user, trusts whatever {@code pki/bundle.pem} holds at each
     * handshake: it keeps working across a root CA rotation, when the bundle first gains the new root
     * and later loses the old one.
     */
    HttpClient httpFollowingBundle() {
        Path bundle = home.resolve("pki/bundle.pem");
        javax.net.ssl.X509TrustManager following = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
                throw new java.security.cert.CertificateException("a client trust manager");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
                current().checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return current().getAcceptedIssuers();
            }

            private javax.net.ssl.X509TrustManager current() {
                try {
                    KeyStore trust = KeyStore.getInstance("PKCS12");
                    trust.load(null, null);
                    int i = 0;
                    for (X509Certificate root : readCertificates(bundle)) {
                        trust.setCertificateEntry("bulwark-root-" + i++, root);
                    }
                    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                    tmf.init(trust);
                    return (javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0];
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {following}, null);
            return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context that trusts every root of a PEM bundle and presents no certificate. */
    static SSLContext trusting(Path bundlePem) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate root : readCertificates(bundlePem)) {
                trust.setCertificateEntry("bulwark-root-" + i++, root);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<X509Certificate> readCertificates(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
