package dev.bulwark.securitykit.boot.jwt;

import dev.bulwark.securitykit.jwt.VerifiedCaller;
import java.util.Collection;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * An authenticated east/west caller: principal (and {@link #getName()}) the end user's {@code sub},
 * authorities {@code SCOPE_<scope>}, details the {@link VerifiedCaller}, credentials the bearer token
 * (never logged; {@link #toString()} leaves it out).
 */
public final class EastWestAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final VerifiedCaller caller;
    private transient String token;

    EastWestAuthentication(VerifiedCaller caller, String token, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.caller = Objects.requireNonNull(caller, "caller");
        this.token = Objects.requireNonNull(token, "token");
        setDetails(caller);
        setAuthenticated(true);
    }

    /** The verified caller. */
    public VerifiedCaller caller() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return caller.subject();
    }

    @Override
    public void eraseCredentials() {
        super.eraseCredentials();
        token = "";
    }

    @Override
    public String toString() {
        return "EastWestAuthentication[sub=" + caller.subject() + ", pattern=" + caller.pattern().code()
                + ", authorities=" + getAuthorities() + "]";
    }
}
