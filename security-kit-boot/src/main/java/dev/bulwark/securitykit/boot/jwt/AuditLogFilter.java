package dev.bulwark.securitykit.boot.jwt;

import dev.bulwark.securitykit.jwt.VerifiedCaller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Logs every request an {@link EastWestResourceServer} authenticated to the SLF4J logger {@code
 * bulwark.audit}, once the response status is known:
 * {@code event=access method=PUT path=/inventory status=200 sub=peter actors=spiffe://ecomm.local/order
 * client_id=order-service pattern=exchanged}. Actors are outermost first, comma-separated; {@code -}
 * stands for none. No token, query string or body is logged.
 *
 * <p>The auto-configuration registers it just outside Spring Security's filter chain, so that a
 * request the authorization rules then deny (403) is audited with its final status too; refused tokens
 * are logged by the resource server ({@code event=auth_failure}).
 */
public final class AuditLogFilter extends OncePerRequestFilter {

    /** The logger name of the audit trail. */
    public static final String LOGGER = "bulwark.audit";

    /** Just outside Spring Security's filter chain (-100), so that its 403s are audited with their status. */
    static final int ORDER = -101;

    private static final Logger audit = LoggerFactory.getLogger(LOGGER);

    /**
     * The filter as a servlet filter registration (named {@code auditLogFilter}), ordered just outside
     * Spring Security's chain; for a service that sets {@link EastWestResourceServer#CALLER_ATTRIBUTE}
     * itself instead of using the auto-configuration.
     */
    public static FilterRegistrationBean<AuditLogFilter> registration() {
        FilterRegistrationBean<AuditLogFilter> registration = new FilterRegistrationBean<>(new AuditLogFilter());
        registration.setOrder(ORDER);
        registration.setName("auditLogFilter");
        return registration;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            VerifiedCaller caller = EastWestResourceServer.caller(request).orElse(null);
            if (caller != null) {
                log(request, failed && !response.isCommitted() ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR
                        : response.getStatus(), caller);
            }
        }
    }

    private static void log(HttpServletRequest request, int status, VerifiedCaller caller) {
        audit.info("event=access method={} path={} status={} sub={} actors={} client_id={} pattern={}",
                request.getMethod(), clean(request.getRequestURI()), status, clean(caller.subject()),
                caller.actors().isEmpty() ? "-" : clean(String.join(",", caller.actors())),
                caller.clientId() == null ? "-" : clean(caller.clientId()), caller.pattern().code());
    }

    /** Keeps a value on one line and free of spaces, so the key=value line stays parseable. */
    private static String clean(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), 256));
        for (int i = 0; i < value.length() && i < 256; i++) {
            char c = value.charAt(i);
            out.append(c <= 0x20 || c == 0x7f || c == '"' ? '_' : c);
        }
        return out.toString();
    }
}
