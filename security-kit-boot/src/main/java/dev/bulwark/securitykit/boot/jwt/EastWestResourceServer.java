package dev.bulwark.securitykit.boot.jwt;

import dev.bulwark.securitykit.jwt.EastWestVerifier;
import dev.bulwark.securitykit.jwt.TokenRefusedException;
import dev.bulwark.securitykit.jwt.VerifiedCaller;
import dev.bulwark.securitykit.tls.SpiffeTls;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Authenticates east/west bearer tokens (RFC 6750) with an {@link EastWestVerifier}, the request's
 * mTLS client certificate giving the peer's SPIFFE ID:
 *
 * <pre>{@code
 * http.oauth2ResourceServer(oauth2 -> oauth2.authenticationManagerResolver(eastWestResourceServer));
 * }</pre>
 *
 * <p>An accepted token becomes an {@link EastWestAuthentication}: principal name the {@code sub},
 * authorities {@code SCOPE_<scope>}, details the {@link VerifiedCaller}, which is also kept as the
 * request attribute {@link #CALLER_ATTRIBUTE} (for {@link AuditLogFilter}). A refused token gives 401
 * {@code invalid_token} (RFC 6750 §3.1, through Spring Security's bearer entry point) and is logged
 * {@code event=auth_failure reason=<code> peer=<spiffe id>} at INFO, without the token.
 */
public final class EastWestResourceServer implements AuthenticationManagerResolver<HttpServletRequest> {

    /** The request attribute holding the {@link VerifiedCaller} of an authenticated request. */
    public static final String CALLER_ATTRIBUTE = VerifiedCaller.class.getName();

    private static final Logger log = LoggerFactory.getLogger(EastWestResourceServer.class);
    private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final EastWestVerifier verifier;

    /** A resolver verifying with {@code verifier}. */
    public EastWestResourceServer(EastWestVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    @Override
    public AuthenticationManager resolve(HttpServletRequest request) {
        return authentication -> {
            if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
                return null;
            }
            String peer = peerSpiffeId(request).orElse(null);
            VerifiedCaller caller;
            try {
                caller = verifier.verify(bearer.getToken(), peer);
            } catch (TokenRefusedException e) {
                log.info("event=auth_failure reason={} peer={} method={} path={} detail=\"{}\"", e.reason().code(),
                        peer == null ? "-" : peer, request.getMethod(), oneLine(request.getRequestURI()), oneLine(String.valueOf(e.getMessage())));
                throw new InvalidBearerTokenException("token refused: " + e.reason().code());
            }
            List<GrantedAuthority> authorities = caller.scopes().stream()
                    .map(scope -> (GrantedAuthority) new SimpleGrantedAuthority("SCOPE_" + scope))
                    .toList();
            request.setAttribute(CALLER_ATTRIBUTE, caller);
            return new EastWestAuthentication(caller, bearer.getToken(), authorities);
        };
    }

    /** Claims in a refusal's detail come from the caller: kept on one line, without quotes, bounded. */
    static String oneLine(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), 512));
        for (int i = 0; i < value.length() && i < 512; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c == '"' ? '_' : c);
        }
        return out.toString();
    }

    /** The verifier in use. */
    public EastWestVerifier verifier() {
        return verifier;
    }

    /** The SPIFFE ID of the request's mTLS client certificate, if it presented one. */
    public static Optional<String> peerSpiffeId(HttpServletRequest request) {
        Object attribute = request.getAttribute(CERTIFICATES);
        if (attribute instanceof X509Certificate[] chain && chain.length > 0) {
            return SpiffeTls.spiffeIdOf(chain[0]);
        }
        return Optional.empty();
    }

    /** The verified caller of an authenticated request, if any. */
    public static Optional<VerifiedCaller> caller(HttpServletRequest request) {
        return request.getAttribute(CALLER_ATTRIBUTE) instanceof VerifiedCaller caller ? Optional.of(caller)
                : Optional.empty();
    }
}
