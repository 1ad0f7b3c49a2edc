package dev.bulwark.order.downstream;

import java.util.Set;

/**
 * JWTs this workload signs with its own X.509-SVID key ({@code x5c} header), implemented over security-kit's
 * {@code WorkloadJwtSigner}.
 */
public interface WorkloadTokens {

    /** A self-issued JWT: {@code iss} this workload's SPIFFE ID, {@code sub}, {@code aud}, {@code scope}. */
    String selfIssued(String subject, String audience, Set<String> scopes);

    /** A nested JWT (RFC 7519 §5.2): {@code innerJwt} signed again, {@code cty: JWT}. */
    String nested(String innerJwt);
}
