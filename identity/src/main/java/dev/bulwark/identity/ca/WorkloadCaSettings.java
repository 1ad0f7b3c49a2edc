package dev.bulwark.identity.ca;

import dev.bulwark.identity.spiffe.TrustDomain;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the workload CA, every default in {@link #defaults(TrustDomain)}.
 *
 * @param trustDomain the trust domain every SVID belongs to
 * @param svidLifetime default SVID lifetime (1 hour); an SVID never outlives its intermediate
 * @param intermediateLifetime intermediate CA lifetime (30 days)
 * @param rootLifetime root CA lifetime (10 years)
 * @param nameConstraints whether the intermediate is name-constrained to URIs of the trust domain
 * @param ocspUrl OCSP responder URL put in each SVID's authority information access, or null
 * @param crlBaseUrl base of the CRL distribution point; an SVID points at {@code <base>/<issuer key id>}, or null
 */
public record WorkloadCaSettings(
        TrustDomain trustDomain,
        Duration svidLifetime,
        Duration intermediateLifetime,
        Duration rootLifetime,
        boolean nameConstraints,
        @Nullable URI ocspUrl,
        @Nullable URI crlBaseUrl) {

    public WorkloadCaSettings {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(svidLifetime, "svidLifetime");
        Objects.requireNonNull(intermediateLifetime, "intermediateLifetime");
        Objects.requireNonNull(rootLifetime, "rootLifetime");
        List<String> problems = new ArrayList<>();
        if (svidLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("svid-lifetime: " + svidLifetime + " (expected: at least PT1S)");
        }
        if (intermediateLifetime.compareTo(svidLifetime) <= 0) {
            problems.add("intermediate-lifetime: " + intermediateLifetime + " (expected: longer than svid-lifetime " + svidLifetime + ")");
        }
        if (rootLifetime.compareTo(intermediateLifetime) <= 0) {
            problems.add("root-lifetime: " + rootLifetime + " (expected: longer than intermediate-lifetime " + intermediateLifetime + ")");
        }
        checkHttpUrl("ocsp-url", ocspUrl, problems);
        checkHttpUrl("crl-base-url", crlBaseUrl, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid workload CA settings: " + String.join("; ", problems));
        }
    }

    /** Trust domain as given, 1 h SVIDs, 30-day intermediates, 10-year roots, no name constraints, no OCSP/CRL URLs. */
    public static WorkloadCaSettings defaults(TrustDomain trustDomain) {
        return new WorkloadCaSettings(trustDomain, Duration.ofHours(1), Duration.ofDays(30), Duration.ofDays(3650),
                false, null, null);
    }

    public WorkloadCaSettings withSvidLifetime(Duration lifetime) {
        return new WorkloadCaSettings(trustDomain, lifetime, intermediateLifetime, rootLifetime, nameConstraints, ocspUrl, crlBaseUrl);
    }

    public WorkloadCaSettings withIntermediateLifetime(Duration lifetime) {
        return new WorkloadCaSettings(trustDomain, svidLifetime, lifetime, rootLifetime, nameConstraints, ocspUrl, crlBaseUrl);
    }

    public WorkloadCaSettings withNameConstraints(boolean enabled) {
        return new WorkloadCaSettings(trustDomain, svidLifetime, intermediateLifetime, rootLifetime, enabled, ocspUrl, crlBaseUrl);
    }

    public WorkloadCaSettings withRevocationUrls(@Nullable URI ocsp, @Nullable URI crlBase) {
        return new WorkloadCaSettings(trustDomain, svidLifetime, intermediateLifetime, rootLifetime, nameConstraints, ocsp, crlBase);
    }

    private static void checkHttpUrl(String key, @Nullable URI url, List<String> problems) {
        if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            problems.add(key + ": " + url + " (expected: an http or https URL)");
        }
    }
}
