package dev.bulwark.securitykit.jwt;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who calls, as a verified east/west token says.
 *
 * @param subject the end user ({@code sub})
 * @param issuer the token's issuer: an STS issuer URL, the signing workload's SPIFFE ID (self-issued),
 *     or the shared token's issuer
 * @param clientId the OAuth client the token was issued to ({@code client_id}); null when the token
 *     has none (self-issued, shared)
 * @param scopes the granted scopes ({@code scope}, space-separated)
 * @param actors the acting parties, outermost (most recent) first: the {@code act.sub} chain of RFC
 *     8693 §4.1; for a self-issued token, the signing workload
 * @param pattern how the token was made
 */
public record VerifiedCaller(String subject, String issuer, @Nullable String clientId, Set<String> scopes,
        List<String> actors, Pattern pattern) implements Serializable {

    /** The east/west token patterns a callee tells apart. */
    public enum Pattern {
        /** Issued by a trusted STS (token exchange, RFC 8693, or JWT bearer grant, RFC 7523). */
        EXCHANGED,
        /** Signed by the calling workload with its X.509-SVID key ({@code x5c}). */
        SELF_ISSUED,
        /** An STS-issued token wrapped in a JWS signed by the calling workload (RFC 7519 §5.2). */
        NESTED,
        /** The caller's own incoming token, forwarded as is. */
        SHARED,
        /**
         * The edge gateway's user-context JWT, which it signs for the first service behind it; the
         * gateway (the mTLS peer) is the actor.
         */
        USER_CONTEXT;

        /**
         * The pattern as logged: {@code exchanged}, {@code self_issued}, {@code nested}, {@code shared},
         * {@code user_context}.
         */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public VerifiedCaller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        actors = List.copyOf(Objects.requireNonNull(actors, "actors"));
        Objects.requireNonNull(pattern, "pattern");
    }

    /**
     * The delegation chain, the subject first and then each actor in the order they joined, each
     * acting for the one on its left: {@code peter<-spiffe://ecomm.local/order<-spiffe://logistics.local/gateway}.
     */
    public String delegationChain() {
        List<String> chain = new ArrayList<>(actors);
        Collections.reverse(chain);
        chain.add(0, subject);
        return String.join("<-", chain);
    }
}
