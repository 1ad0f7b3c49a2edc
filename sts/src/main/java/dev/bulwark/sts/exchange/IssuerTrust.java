package dev.bulwark.sts.exchange;

import java.util.List;
import java.util.Set;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * What this STS accepts from one issuer: its keys, the grants its tokens may be used for
 * ({@code token-exchange}, {@code jwt-bearer}), the {@code aud} values one of which its tokens must
 * carry (empty: no constraint here, the grant's own audience check applies), and the claims copied
 * into issued tokens.
 */
record IssuerTrust(String issuer, JWKSource<SecurityContext> keys, Set<String> grants, Set<String> audiences,
        List<String> carriedClaims) {

    IssuerTrust {
        grants = Set.copyOf(grants);
        audiences = Set.copyOf(audiences);
        carriedClaims = List.copyOf(carriedClaims);
    }
}
