package dev.bulwark.sts.exchange;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.bulwark.sts.mtls.MutualTlsClientAuthentication;

/**
 * Signs the token a delegation grant issues (ES256, the current key): {@code iss} this STS,
 * {@code sub} the subject's, {@code aud} the target (one string), {@code scope}, {@code client_id},
 * {@code act} (RFC 8693 §4.1: the client's SPIFFE ID, or its client id, over the subject's own
 * {@code act}; not repeated when the subject's outermost actor already is this client), carried
 * claims, {@code iat}/{@code nbf}/{@code exp} (the client's access-token lifetime) and {@code jti}.
 * Not stored: the token is self-contained and short-lived, so it cannot be introspected or revoked.
 */
final class DelegatedTokenIssuer {

    private final JwtEncoder encoder;
    private final String issuer;
    private final Clock clock;

    DelegatedTokenIssuer(JwtEncoder encoder, String issuer, Clock clock) {
        this.encoder = encoder;
        this.issuer = issuer;
        this.clock = clock;
    }

    OAuth2AccessToken issue(RegisteredClient client, VerifiedToken subject, String audience, Set<String> scopes) {
        Instant now = clock.instant();
        Duration lifetime = client.getTokenSettings().getAccessTokenTimeToLive();
        Instant expires = now.plus(lifetime);
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder();
        // carried claims first, so nothing below can be overridden by them
        subject.carried().forEach(claims::claim);
        claims.issuer(issuer)
                .subject(subject.subject())
                .audience(List.of(audience))
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(expires)
                .id(UUID.randomUUID().toString())
                .claim("client_id", client.getClientId())
                .claim("scope", String.join(" ", scopes))
                .claim("act", act(actorOf(client), subject.act()));
        String token = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.ES256).build(),
                claims.build())).getTokenValue();
        return new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token, now, expires, scopes);
    }

    /** The actor a token issued to {@code client} names: its SPIFFE ID if it authenticates with one, else its client id. */
    static String actorOf(RegisteredClient client) {
        Object spiffeId = client.getClientSettings().getSetting(MutualTlsClientAuthentication.SPIFFE_ID_SETTING);
        return spiffeId instanceof String s && !s.isBlank() ? s : client.getClientId();
    }

    static Map<String, Object> act(String actor, @org.jspecify.annotations.Nullable Map<String, Object> subjectAct) {
        if (subjectAct != null && actor.equals(SubjectTokenVerifier.actSub(subjectAct))) {
            return subjectAct;
        }
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("sub", actor);
        if (subjectAct != null) {
            act.put("act", subjectAct);
        }
        return act;
    }
}
