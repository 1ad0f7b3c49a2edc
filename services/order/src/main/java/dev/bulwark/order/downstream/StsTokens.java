package dev.bulwark.order.downstream;

import java.util.Set;

/**
 * Tokens from one security token service, called over mTLS as this workload. Implemented over security-kit's
 * {@code TokenClient} (which caches the results); tests use fakes.
 */
public interface StsTokens {

    /**
     * RFC 8693 token exchange: a token for {@code audience} with {@code scopes}, for the subject of
     * {@code subjectToken}.
     *
     * @throws DownstreamException when the STS refuses or cannot be reached
     */
    String exchange(String subjectToken, String audience, Set<String> scopes);

    /**
     * RFC 7523 JWT bearer grant: a token for {@code audience} with {@code scopes} for the assertion's subject.
     *
     * @throws DownstreamException when the STS refuses or cannot be reached
     */
    String jwtBearer(String assertion, String audience, Set<String> scopes);
}
