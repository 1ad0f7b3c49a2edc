package dev.bulwark.order.downstream;

import java.util.Objects;
import java.util.Set;

import dev.bulwark.securitykit.jwt.WorkloadJwtSigner;

/** {@link WorkloadTokens} over security-kit's {@link WorkloadJwtSigner} (this workload's current SVID key). */
final class SvidWorkloadTokens implements WorkloadTokens {

    private final WorkloadJwtSigner signer;

    SvidWorkloadTokens(WorkloadJwtSigner signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    @Override
    public String selfIssued(String subject, String audience, Set<String> scopes) {
        return signer.selfIssued(subject, audience, scopes);
    }

    @Override
    public String nested(String innerJwt) {
        return signer.nested(innerJwt);
    }
}
