package dev.bulwark.identity.server;

import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.WorkloadCaSettings;
import dev.bulwark.identity.federation.FederationFiles;
import dev.bulwark.identity.issuance.CaSvidSource;
import dev.bulwark.identity.jwt.JwtSvidIssuer;
import dev.bulwark.identity.revocation.CrlPublisher;
import dev.bulwark.identity.revocation.FileRevocationStore;
import dev.bulwark.identity.revocation.OcspResponder;
import dev.bulwark.identity.revocation.RevocationHttpServer;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.workload.WorkloadApiServer;
import dev.bulwark.identity.workload.WorkloadRegistry;
import dev.bulwark.securitykit.PrivateFiles;
import dev.bulwark.securitykit.tls.OcspCrlRevocationChecker;
import dev.bulwark.securitykit.tls.SpiffeIdPolicy;
import dev.bulwark.securitykit.tls.SpiffeTls;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity process: the workload CA and everything around it, in one plain Java main (no Spring
 * context, so it starts in a fraction of a second before every other component needs it).
 * <ul>
 *   <li>the CA's root under {@code <home>/pki/} (created on first start, key 0600), a new intermediate
 *       per start, the trust bundle written to {@code <home>/pki/bundle.pem} on start and on each change;</li>
 *   <li>the SPIFFE Workload API on {@code <home>/identity/agent.sock}, attesting callers by the pids
 *       the launcher lists in {@code <home>/identity/registrations};</li>
 *   <li>OCSP and CRLs over HTTP on 127.0.0.1 (the URLs go into every SVID), revocations kept in
 *       {@code <home>/identity/revocations};</li>
 *   <li>the admin API ({@link AdminApi}: HTTPS with mTLS, only {@code spiffe://<trust domain>/admin}),
 *       presenting this process's own SVID {@code spiffe://<trust domain>/identity};</li>
 *   <li>the management port ({@link ManagementServer}: health, Prometheus metrics).</li>
 * </ul>
 */
public final class IdentityServer implements AutoCloseable {

    private final Logger log = LoggerFactory.getLogger(IdentityServer.class);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final IdentityServerSettings settings;
    private WorkloadCa ca;
    private IssuedSvids issued;
    private Registrations registrations;
    private WorkloadApiServer workloadApi;
    private RevocationHttpServer revocation;
    private AdminApi admin;
    private ManagementServer management;

    private IdentityServer(IdentityServerSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) {
        setDefault("org.slf4j.simpleLogger.logFile", "System.out");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXX"); // ISO 8601, 'Z' in UTC
        // servers keep their TLS sessions, so a bundle change invalidates them (see SpiffeTls)
        setDefault("jdk.tls.server.enableSessionTicketExtension", "false");
        System.exit(run(args, System.err));
    }

    /** Parses, starts and serves until the JVM is told to stop; returns the exit code (2: bad arguments, 1: start failed). */
    static int run(String[] args, PrintStream err) {
        IdentityServerSettings settings;
        try {
            settings = IdentityServerSettings.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            err.println("identity: invalid arguments:\n  " + e.getMessage().replace("\n", "\n  "));
            return 2;
        }
        IdentityServer server;
        try {
            server = start(settings);
        } catch (RuntimeException e) {
            err.println("identity: cannot start: " + messages(e));
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "identity-shutdown"));
        server.awaitClose();
        return 0;
    }

    /**
     * Starts every part, or none: on a failure what was started is closed again.
     *
     * @throws RuntimeException saying what could not start
     */
    public static IdentityServer start(IdentityServerSettings settings) {
        IdentityServer server = new IdentityServer(settings);
        try {
            server.startAll();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void startAll() {
        long begin = System.nanoTime();
        Clock clock = Clock.systemUTC();
        HomeFiles home = new HomeFiles(settings);
        home.createDirectories();
        FileRevocationStore store = FileRevocationStore.open(home.revocations());

        URI revocationUri = URI.create("http://127.0.0.1:" + settings.revocationPort());
        WorkloadCaSettings caSettings = WorkloadCaSettings.defaults(settings.trustDomain())
                .withSvidLifetime(settings.svidLifetime())
                .withRevocationUrls(revocationUri, URI.create(revocationUri + "/crl"));
        ca = WorkloadCa.loadOrCreate(home.rootCertificate(), home.rootKey(), caSettings, clock);
        IdentityMetrics metrics = new IdentityMetrics(ca, clock);
        IdentityAudit audit = IdentityAudit.open(settings.home());
        resources.add(audit);

        ScheduledExecutorService scheduler = scheduler();
        resources.add(scheduler::shutdownNow);
        writeBundle(home);
        ca.addChangeListener(() -> scheduler.execute(() -> writeBundle(home)));

        CaSvidSource source = CaSvidSource.start(ca, List.of("localhost")); // local mode: every component is on loopback
        resources.add(source);
        issued = new IssuedSvids(source, clock, svid -> {
            metrics.svidIssued();
            audit.record("event=svid_issued spiffe_id=" + svid.spiffeId() + " serial=" + svid.serial().toString(16)
                    + " not_after=" + svid.notAfter());
        });
        revocation = RevocationHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.revocationPort()),
                new OcspResponder(ca, store, OcspResponder.DEFAULT_VALIDITY, clock),
                new CrlPublisher(ca, store, CrlPublisher.DEFAULT_VALIDITY, clock));
        resources.add(revocation);

        // a caller not (yet) in the registry makes it re-read the file at once, not up to a second later
        WorkloadRegistry registry = new WorkloadRegistry(() -> registrations.refresh());
        registrations = new Registrations(home.registrations(), registry, settings.trustDomain());
        registrations.refresh();
        scheduler.scheduleWithFixedDelay(this::housekeeping, 1, 1, TimeUnit.SECONDS);
        // federated domains' bundles: read now, re-read every 2 s, pushed to every open X.509 stream on change
        FederationFiles federation = FederationFiles.open(settings.trustDomain(), settings.federation());
        long pollMillis = FederationFiles.POLL_INTERVAL.toMillis();
        scheduler.scheduleWithFixedDelay(() -> pollFederation(federation), pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        home.prepareSocket();
        workloadApi = WorkloadApiServer.start(settings.socket(), registry, issued, federation,
                JwtSvidIssuer.create(settings.trustDomain(), JwtSvidIssuer.DEFAULT_LIFETIME, clock));
        resources.add(workloadApi);

        OwnSvid own = OwnSvid.subscribe(issued, SpiffeId.of(settings.trustDomain(), "identity"));
        resources.add(own);
        String adminId = SpiffeId.of(settings.trustDomain(), "admin").toString();
        admin = AdminApi.start(settings.adminPort(),
                SpiffeTls.serverContext(own.supplier(), SpiffeIdPolicy.oneOf(adminId), (reason, peer) -> { },
                        OcspCrlRevocationChecker.create()),
                adminId, ca, issued, store, metrics, audit, scheduler,
                new RootRotation(ca, home.rootCertificate(), home.rootKey(), settings.rootPropagation(), settings.svidLifetime(),
                        scheduler, metrics, audit::record, clock),
                clock);
        resources.add(admin);
        management = ManagementServer.start(settings.managementPort(), metrics);
        resources.add(management);
        log.info("event=identity.started socket={} revocation={} admin=https://127.0.0.1:{} management=http://127.0.0.1:{}"
                        + " trust_domain={} svid_lifetime={} federation={} startup_ms={}", settings.socket(), revocationUri, admin.port(),
                management.port(), settings.trustDomain().name(), settings.svidLifetime(), settings.federation().keySet(),
                Duration.ofNanos(System.nanoTime() - begin).toMillis());
    }

    private void housekeeping() {
        try {
            registrations.refresh();
            issued.prune();
        } catch (RuntimeException e) {
            log.warn("event=identity.housekeeping_failed reason={}", e.toString());
        }
    }

    private void pollFederation(FederationFiles federation) {
        try {
            federation.poll();
        } catch (RuntimeException e) {
            log.warn("event=federation.poll_failed reason={}", e.toString());
        }
    }

    private void writeBundle(HomeFiles home) {
        PrivateFiles.writePublicString(home.bundle(), ca.bundlePem());
        log.info("event=bundle.written file={} roots={}", home.bundle(), ca.bundle().size());
    }

    /** The port of the admin API (useful when started with port 0). */
    public int adminPort() {
        return admin.port();
    }

    /** The port of the management server. */
    public int managementPort() {
        return management.port();
    }

    /** The port of the OCSP/CRL server. */
    public int revocationPort() {
        return revocation.port();
    }

    /** The Workload API socket. */
    public java.nio.file.Path socket() {
        return workloadApi.socket();
    }

    WorkloadCa ca() {
        return ca;
    }

    /** Blocks until {@link #close} ran. */
    public void awaitClose() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every part, the Workload API first (its socket file is removed); closing twice is harmless. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("event=identity.close_failed resource={} reason={}", resource.getClass().getSimpleName(), e.toString());
            }
        }
        log.info("event=identity.stopped");
        stopped.countDown();
    }

    private static ScheduledExecutorService scheduler() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                task -> Thread.ofPlatform().daemon().name("identity-housekeeping").unstarted(task));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(": ").append(cause.getMessage());
        }
        return text.toString();
    }
}
