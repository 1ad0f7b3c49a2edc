package dev.bulwark.securitykit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.securitykit.tls.RecordingListener.Refusal;
import dev.bulwark.securitykit.tls.RevocationChecker.Status;
import dev.bulwark.securitykit.tls.RevocationSettings.MissingPointers;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Caching, fallback and fail-closed logic of {@link OcspCrlRevocationChecker}, with a fake fetcher. */
class OcspCrlRevocationCheckerTests {

    /** A clock tests move forward. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Serves OCSP and CRLs from the fake authority, or fails, as the test says; records every fetch. */
    final class FakeFetcher implements RevocationFetcher {
        final List<String> fetches = new CopyOnWriteArrayList<>();
        final List<Duration> timeouts = new CopyOnWriteArrayList<>();
        final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();
        volatile boolean ocspUp = true;
        volatile boolean crlUp = true;
        volatile boolean echoNonce = true;
        volatile PrivateKey ocspSigner = authority.key;
        volatile PrivateKey crlSigner = authority.key;
        volatile Duration ocspValidity = Duration.ofMinutes(5);
        volatile @Nullable Duration ocspAge = Duration.ZERO;
        volatile byte @Nullable [] ocspBody;

        @Override
        public byte[] fetch(URI uri, byte @Nullable [] ocspRequest, Duration timeout) throws IOException {
            fetches.add(ocspRequest != null ? "ocsp" : "crl");
            timeouts.add(timeout);
            try {
                Instant now = clock.instant();
                if (ocspRequest != null) {
                    if (!ocspUp) {
                        throw new IOException("connection refused");
                    }
                    byte[] body = ocspBody;
                    if (body != null) {
                        return body;
                    }
                    Instant thisUpdate = now.minus(ocspAge == null ? Duration.ZERO : ocspAge);
                    return authority.ocsp(ocspRequest, revoked, thisUpdate, thisUpdate.plus(ocspValidity), ocspSigner,
                            echoNonce);
                }
                if (!crlUp) {
                    throw new IOException("connection refused");
                }
                return authority.crl(revoked, now, now.plus(Duration.ofMinutes(10)), crlSigner);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        long count(String kind) {
            return fetches.stream().filter(kind::equals).count();
        }
    }

    private final FakeRevocationAuthority authority;
    private final MovableClock clock = new MovableClock();
    private final FakeFetcher fetcher;
    private final X509Certificate leaf;

    OcspCrlRevocationCheckerTests() throws Exception {
        authority = new FakeRevocationAuthority();
        fetcher = new FakeFetcher();
        leaf = authority.leaf(FakeRevocationAuthority.OCSP, FakeRevocationAuthority.CRL);
    }

    private OcspCrlRevocationChecker checker(RevocationSettings settings) {
        return new OcspCrlRevocationChecker(settings, fetcher, clock);
    }

    private Status check(OcspCrlRevocationChecker checker, X509Certificate certificate) {
        return checker.check(List.of(certificate, authority.root)).status();
    }

    @Test
    void goodOcspAnswerIsCachedUntilItsNextUpdate() {
        OcspCrlRevocationChecker checker = checker(RevocationSettings.defaults());
        fetcher.ocspValidity = Duration.ofMinutes(2);

        assertThat(check(checker, leaf)).isEqualTo(Status.GOOD);
        assertThat(check(checker, leaf)).isEqualTo(Status.GOOD);
        assertThat(fetcher.fetches).containsExactly("ocsp");

        clock.now = clock.now.plus(Duration.ofMinutes(2)).plusSeconds(1);
        assertThat(check(checker, leaf)).isEqualTo(Status.GOOD);
        assertThat(fetcher.fetches).containsExactly("ocsp", "ocsp");
    }

    @Test
    void cacheAgeIsCappedEvenWhenNextUpdateIsLater() {
        OcspCrlRevocationChecker checker = checker(RevocationSettings.defaults().withMaxCacheAge(Duration.ofSeconds(30)));
        fetcher.ocspValidity = Duration.ofHours(1);
        check(checker, leaf);
        clock.now = clock.now.plusSeconds(31);
        check(checker, leaf);

        assertThat(fetcher.count("ocsp")).isEqualTo(2);
    }

    @Test
    void revokedOcspAnswerRefusesAndIsCachedToo() {
        OcspCrlRevocationChecker checker = checker(RevocationSettings.defaults());
        fetcher.revoked.add(leaf.getSerialNumber());

        RevocationChecker.Verdict verdict = checker.check(List.of(leaf, authority.root));
        assertThat(verdict.status()).isEqualTo(Status.REVOKED);
        assertThat(verdict.detail()).contains(leaf.getSerialNumber().toString(16)).contains("ocsp");
        assertThat(check(checker, leaf)).isEqualTo(Status.REVOKED);
        assertThat(fetcher.fetches).containsExactly("ocsp");
    }

    @Test
    void whenOcspIsDownTheCrlDecidesAndIsCached() throws Exception {
        OcspCrlRevocationChecker checker = checker(RevocationSettings.defaults());
        fetcher.ocspUp = false;
        X509Certificate other = authority.leaf(FakeRevocationAuthority.OCSP, FakeRevocationAuthority.CRL);
        fetcher.revoked.add(other.getSerialNumber());

        assertThat(check(checker, leaf)).isEqualTo(Status.GOOD);
        assertThat(check(checker, other)).isEqualTo(Status.REVOKED);
        assertThat(fetcher.count("crl")).isEqualTo(1);
    }

    @Test
    void garbageFromOcspFallsBackToTheCrl() {
        OcspCrlRevocationChecker checker = checker(RevocationSettings.defaults());
        fetcher.ocspBody = "<html>not ocsp</html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        fetcher.revoked.add(leaf.getSerialNumber());

        assertThat(check(checker, leaf)).isEqualTo(Status.REVOKED);
        assertThat(fetcher.fetches).containsExactly("ocsp", "crl");
    }

    @Test
    void ocspAnswerSignedByAnotherKeyIsNotBelieved() throws Exception {
        OcspCrlRevocationChecker checker = checker(RevocationSettings.defaults());
        fetcher.ocspSigner = FakeRevocationAuthority.keys().getPrivate();
        fetcher.crlUp = false;

        RevocationChecker.Verdict verdict = checker.check(List.of(leaf, authority.root));
        assertThat(verdict.status()).isEqualTo(Status.UNKNOWN);
        assertThat(verdict.detail()).contains("not signed by the issuer");
    }

    @Test
    void crlSignedByAnotherKeyIsNotBelieved() throws Exception {
        OcspCrlRevocationChecker checker = checker(RevocationSettings.defaults());
        fetcher.ocspUp = false;
        fetcher.crlSigner = FakeRevocationAuthority.keys().getPrivate();

        assertThat(check(checker, leaf)).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void ocspAnswerWithoutTheNonceIsNotBelieved() {
        OcspCrlRevocationChecker checker = checker(RevocationSettings.defaults());
        fetcher.echoNonce = false;
        fetcher.crlUp = false;

        RevocationChecker.Verdict verdict = checker.check(List.of(leaf, authority.root));
        assertThat(verdict.status()).isEqualTo(Status.UNKNOWN);
        assertThat(verdict.detail()).contains("nonce");
        assertThat(check(checker(RevocationSettings.defaults().withNonce(false)), leaf)).isEqualTo(Status.GOOD);
    }

    @Test
    void staleOcspAnswerIsNotBelieved() {
        OcspCrlRevocationChecker checker = checker(RevocationSettings.defaults());
        fetcher.ocspAge = Duration.ofMinutes(10);
        fetcher.ocspValidity = Duration.ofMinutes(5);
        fetcher.crlUp = false;

        RevocationChecker.Verdict verdict = checker.check(List.of(leaf, authority.root));
        assertThat(verdict.status()).isEqualTo(Status.UNKNOWN);
        assertThat(verdict.detail()).contains("nextUpdate");
    }

    @Test
    void whenNeitherAnswersTheVerdictIsUnknownAndNothingIsCached() {
        OcspCrlRevocationChecker checker = checker(RevocationSettings.defaults());
        fetcher.ocspUp = false;
        fetcher.crlUp = false;

        assertThat(check(checker, leaf)).isEqualTo(Status.UNKNOWN);
        assertThat(check(checker, leaf)).isEqualTo(Status.UNKNOWN);
        assertThat(fetcher.fetches).containsExactly("ocsp", "crl", "ocsp", "crl");
        assertThat(checker.cachedStatuses()).isZero();

        fetcher.ocspUp = true;
        assertThat(check(checker, leaf)).isEqualTo(Status.GOOD);
    }

    @Test
    void ocspGetsItsShareOfTheBoundAndTheCrlTheRest() {
        OcspCrlRevocationChecker checker = checker(RevocationSettings.defaults()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500)));
        fetcher.ocspUp = false;
        check(checker, leaf);

        assertThat(fetcher.timeouts).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(2));
    }

    @Test
    void whenTheBoundIsSpentNothingMoreIsFetched() {
        FakeFetcher slow = fetcher;
        RevocationFetcher clockEating = (uri, request, timeout) -> {
            clock.now = clock.now.plus(timeout);
            return slow.fetch(uri, request, timeout);
        };
        fetcher.ocspUp = false;
        OcspCrlRevocationChecker checker = new OcspCrlRevocationChecker(RevocationSettings.defaults()
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)), clockEating, clock);

        RevocationChecker.Verdict verdict = checker.check(List.of(leaf, authority.root));
        assertThat(verdict.status()).isEqualTo(Status.UNKNOWN);
        assertThat(verdict.detail()).contains("no time left");
        assertThat(fetcher.fetches).containsExactly("ocsp");
    }

    @Test
    void certificateWithoutPointersIsRefusedByDefaultAndAllowedOnlyByOptOut() throws Exception {
        X509Certificate bare = authority.leaf(null, null);

        assertThat(check(checker(RevocationSettings.defaults()), bare)).isEqualTo(Status.UNKNOWN);
        assertThat(check(checker(RevocationSettings.defaults()
                .withoutPointers(MissingPointers.ALLOW, MissingPointers.ALLOW)), bare)).isEqualTo(Status.GOOD);
        assertThat(fetcher.fetches).isEmpty();
    }

    @Test
    void onlyTheCrlPointerIsEnough() throws Exception {
        X509Certificate crlOnly = authority.leaf(null, FakeRevocationAuthority.CRL);
        fetcher.revoked.add(crlOnly.getSerialNumber());

        assertThat(check(checker(RevocationSettings.defaults()), crlOnly)).isEqualTo(Status.REVOKED);
        assertThat(fetcher.fetches).containsExactly("crl");
    }

    @Test
    void cacheStaysWithinItsBound() throws Exception {
        OcspCrlRevocationChecker checker = checker(RevocationSettings.defaults().withMaxCacheEntries(2));
        for (int i = 0; i < 5; i++) {
            assertThat(check(checker, authority.leaf(FakeRevocationAuthority.OCSP, null))).isEqualTo(Status.GOOD);
        }

        assertThat(checker.cachedStatuses()).isLessThanOrEqualTo(2);
    }

    @Test
    void trustManagerRefusesRevokedAndUnknownWithTheirReasons() throws Exception {
        MutableSvidSupplier svids = MutableSvidSupplier.of(authority.svid(TestCa.TRUST_DOMAIN + "order"),
                List.of(authority.root));
        RecordingListener refusals = new RecordingListener();
        X509Certificate[] chain = {authority.svid(TestCa.TRUST_DOMAIN + "gateway").leaf()};

        SpiffeTrustManager revoked = new SpiffeTrustManager(svids, SpiffeIdPolicy.oneOf(TestCa.TRUST_DOMAIN + "gateway"),
                refusals, "server", path -> new RevocationChecker.Verdict(Status.REVOKED, "serial x (ocsp)"));
        SpiffeTrustManager unknown = new SpiffeTrustManager(svids, SpiffeIdPolicy.oneOf(TestCa.TRUST_DOMAIN + "gateway"),
                refusals, "server", path -> new RevocationChecker.Verdict(Status.UNKNOWN, "no answer"));
        SpiffeTrustManager good = new SpiffeTrustManager(svids, SpiffeIdPolicy.oneOf(TestCa.TRUST_DOMAIN + "gateway"),
                refusals, "server", path -> {
                    assertThat(path).containsExactly(chain[0], authority.root);
                    return new RevocationChecker.Verdict(Status.GOOD, "");
                });

        assertThatThrownBy(() -> revoked.check(chain)).isInstanceOf(PeerRefusedException.class)
                .hasMessageStartingWith("revoked: ");
        assertThatThrownBy(() -> unknown.check(chain)).isInstanceOf(PeerRefusedException.class)
                .hasMessageStartingWith("revocation_unknown: ");
        assertThat(good.check(chain)).isEqualTo(TestCa.TRUST_DOMAIN + "gateway");
        assertThat(refusals.refusals).containsExactly(
                new Refusal(RefusalReason.REVOKED, TestCa.TRUST_DOMAIN + "gateway"),
                new Refusal(RefusalReason.REVOCATION_UNKNOWN, TestCa.TRUST_DOMAIN + "gateway"));
    }
}
