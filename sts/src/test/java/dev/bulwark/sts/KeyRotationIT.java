package dev.bulwark.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;

/** Rotation period 6 s, publish-ahead 3 s in the shared test context. */
@StsIntegrationTest
class KeyRotationIT {

    @LocalServerPort
    int port;

    private String signingKid(StsHttp sts) throws Exception {
        StsHttp.Response r = sts.token("orderprocessingservice", "orderprocessingservicesecret",
                "grant_type", "client_credentials");
        assertThat(r.status()).isEqualTo(200);
        return SignedJWT.parse(r.text("access_token")).getHeader().getKeyID();
    }

    private Set<String> publishedKids(StsHttp sts) throws Exception {
        return JWKSet.parse(sts.get("/oauth2/jwks").raw()).getKeys().stream().map(JWK::getKeyID)
                .collect(Collectors.toSet());
    }

    @Test
    void rotationWhenNextKeyDueThenPublishedBeforeItSignsAndOldKeyKept() throws Exception {
        StsHttp sts = new StsHttp(port);
        long deadline = System.nanoTime() + 30_000_000_000L;
        String oldKid = null;
        String nextKid = null;
        // watch for a kid that appears in the JWKS while the previous key still signs
        while (nextKid == null && System.nanoTime() < deadline) {
            String signingBefore = signingKid(sts);
            Set<String> before = publishedKids(sts);
            Thread.sleep(100);
            Set<String> after = publishedKids(sts);
            String signingAfter = signingKid(sts);
            List<String> added = after.stream().filter(k -> !before.contains(k)).toList();
            if (!added.isEmpty() && signingBefore.equals(signingAfter) && !added.contains(signingAfter)) {
                oldKid = signingAfter;
                nextKid = added.get(0);
            }
        }
        assertThat(nextKid).as("a next key was published ahead of signing").isNotNull();

        String newSigning = oldKid;
        while (newSigning.equals(oldKid) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            newSigning = signingKid(sts);
        }
        assertThat(newSigning).as("the published-ahead key signs after the switch").isEqualTo(nextKid);
        assertThat(publishedKids(sts)).as("old key still published for tokens it signed").contains(oldKid, nextKid);
        sts.verifiedJwt(sts.token("orderprocessingservice", "orderprocessingservicesecret",
                "grant_type", "client_credentials").text("access_token"));
    }
}
