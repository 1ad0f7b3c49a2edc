package dev.bulwark.gateway.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.bulwark.gateway.support.FakeSts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.reactive.function.client.WebClient;

class JwkSetCacheTests {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T12:00:00Z"));
    private final Clock clock = new Clock() {
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
            return now.get();
        }
    };
    private final FakeSts sts;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final JwkSetCache cache;

    JwkSetCacheTests() throws Exception {
        sts = new FakeSts();
        cache = new JwkSetCache(WebClient.create(), sts.uri("/oauth2/jwks"), Set.of(JWSAlgorithm.ES256), clock, meters);
    }

    @Test
    void keysForWhenFetchedThenRefreshCountedOk() throws Exception {
        sts.publish(key("k1"));
        keys("k1");
        keys("k1");

        assertThat(refreshes("ok")).isEqualTo(1);
        assertThat(refreshes("failed")).isZero();
    }

    @Test
    void keysForWhenStsDownThenRefreshCountedFailed() {
        sts.down(true);

        assertThatThrownBy(() -> keys("k1")).isInstanceOf(JwtException.class);
        assertThat(refreshes("failed")).isEqualTo(1);
        assertThat(refreshes("ok")).isZero();
    }

    private double refreshes(String result) {
        return meters.get("bulwark.jwks.refreshes").tag("source", "gateway").tag("result", result).counter().count();
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    @Test
    void keysForWhenKnownKidThenServedFromCache() throws Exception {
        ECKey key = key("k1");
        sts.publish(key);

        assertThat(keys("k1")).extracting(JWK::getKeyID).containsExactly("k1");
        assertThat(keys("k1")).hasSize(1);
        assertThat(sts.jwksFetches()).isEqualTo(1);
        assertThat(keys("k1").get(0).isPrivate()).isFalse();
    }

    @Test
    void keysForWhenUnknownKidThenFetchedAgainButAtMostOncePerInterval() throws Exception {
        sts.publish(key("k1"));
        keys("k1");
        sts.publish(key("k2"));

        assertThat(keys("k2")).extracting(JWK::getKeyID).containsExactly("k2");
        assertThat(sts.jwksFetches()).isEqualTo(2);

        assertThat(keys("k3")).isEmpty();
        assertThat(keys("k4")).isEmpty();
        assertThat(sts.jwksFetches()).isEqualTo(2);

        now.set(now.get().plus(JwkSetCache.MIN_REFRESH_INTERVAL));
        assertThat(keys("k3")).isEmpty();
        assertThat(sts.jwksFetches()).isEqualTo(3);
    }

    @Test
    void keysForWhenAlgorithmNotAllowedThenNoKeysAndNoFetch() {
        JWSHeader hs256 = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build();
        assertThat(cache.keysFor(hs256).collectList().block()).isEmpty();
        assertThat(sts.jwksFetches()).isZero();
    }

    @Test
    void keysForWhenEndpointFailsThenServiceErrorNotBadTokenAndNotCached() throws Exception {
        sts.down(true);
        assertThatThrownBy(() -> keys("k1")).isInstanceOf(JwtException.class).isNotInstanceOf(BadJwtException.class);

        sts.down(false);
        sts.publish(key("k1"));
        assertThat(keys("k1")).hasSize(1);
        assertThat(sts.jwksFetches()).isEqualTo(2);
    }

    private List<JWK> keys(String kid) {
        return cache.keysFor(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build())
                .collectList().block(Duration.ofSeconds(5));
    }

    private static ECKey key(String kid) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    }
}
