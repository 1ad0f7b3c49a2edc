package dev.bulwark.gateway.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Claim rules of an access token (RFC 9068 §4): {@code exp} required and not passed, {@code nbf} not
 * in the future, {@code iss} exact, {@code aud} contains ours. Each failure's description is a stable
 * reason code ({@link FailureReason}) used for metrics; it is never sent to the client.
 */
final class ClaimValidators {

    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private ClaimValidators() {
    }

    static OAuth2TokenValidator<Jwt> of(String issuer, String audience, Clock clock) {
        return new DelegatingOAuth2TokenValidator<>(List.of(
                jwt -> timestamps(jwt, clock.instant()),
                jwt -> issuer.equals(jwt.getClaimAsString("iss")) ? ok() : fail(FailureReason.INVALID_ISSUER),
                jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                        ? ok() : fail(FailureReason.INVALID_AUDIENCE)));
    }

    private static OAuth2TokenValidatorResult timestamps(Jwt jwt, Instant now) {
        Instant exp = jwt.getExpiresAt();
        if (exp == null || !now.isBefore(exp.plus(CLOCK_SKEW))) {
            return fail(FailureReason.EXPIRED);
        }
        Instant nbf = jwt.getNotBefore();
        if (nbf != null && now.isBefore(nbf.minus(CLOCK_SKEW))) {
            return fail(FailureReason.NOT_YET_VALID);
        }
        return ok();
    }

    private static OAuth2TokenValidatorResult ok() {
        return OAuth2TokenValidatorResult.success();
    }

    private static OAuth2TokenValidatorResult fail(FailureReason reason) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, reason.tag(), null));
    }
}
