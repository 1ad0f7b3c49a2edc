package dev.bulwark.sts.mtls;

import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * RFC 8705 §2.1.2, {@code tls_client_auth_san_uri}: the client certificate must carry exactly one URI
 * SAN, equal (as a string, SPIFFE ID §2) to the SPIFFE ID registered for the client, and the client
 * must be registered for {@code tls_client_auth}. Anything else is {@code invalid_client}.
 * Replaces Spring's default check, which compares the subject DN.
 */
final class SpiffeIdCertificateVerifier implements Consumer<OAuth2ClientAuthenticationContext> {

    private static final Logger log = LoggerFactory.getLogger(SpiffeIdCertificateVerifier.class);
    private static final int URI_SAN = 6;

    private final Clock clock;

    SpiffeIdCertificateVerifier(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void accept(OAuth2ClientAuthenticationContext context) {
        OAuth2ClientAuthenticationToken authentication = context.getAuthentication();
        RegisteredClient client = context.getRegisteredClient();
        String clientId = client.getClientId();
        if (!ClientAuthenticationMethod.TLS_CLIENT_AUTH.equals(authentication.getClientAuthenticationMethod())
                || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.TLS_CLIENT_AUTH)) {
            throw refused(clientId, "not_tls_client_auth", null);
        }
        if (!(client.getClientSettings().getSetting(MutualTlsClientAuthentication.SPIFFE_ID_SETTING)
                instanceof String expected) || expected.isBlank()) {
            throw refused(clientId, "no_registered_spiffe_id", null);
        }
        if (!(authentication.getCredentials() instanceof X509Certificate[] chain) || chain.length == 0) {
            throw refused(clientId, "no_certificate", null);
        }
        X509Certificate leaf = chain[0];
        try {
            leaf.checkValidity(Date.from(clock.instant()));
        } catch (CertificateException e) {
            throw refused(clientId, "certificate_not_valid_now", null);
        }
        List<String> uris = uriSans(leaf);
        if (uris.size() != 1) {
            throw refused(clientId, "uri_san_count_" + uris.size(), null);
        }
        if (!uris.get(0).equals(expected)) {
            throw refused(clientId, "spiffe_id_mismatch", uris.get(0));
        }
        log.debug("event=sts.client_authenticated method=tls_client_auth client_id={}", clientId);
    }

    static List<String> uriSans(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        List<String> uris = new ArrayList<>();
        if (names != null) {
            for (List<?> name : names) {
                if (name.size() == 2 && name.get(0) instanceof Integer type && type == URI_SAN
                        && name.get(1) instanceof String uri) {
                    uris.add(uri);
                }
            }
        }
        return uris;
    }

    private static OAuth2AuthenticationException refused(String clientId, String reason, @Nullable String presented) {
        log.info("event=sts.client_certificate_refused client_id={} reason={} presented={}", clientId, reason,
                presented == null ? "-" : printable(presented));
        OAuth2Error error = new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                "Client authentication failed: tls_client_auth", null);
        return new OAuth2AuthenticationException(error);
    }

    // the SAN comes from a certificate the bundle vouches for, but it is still attacker-shaped text
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 256));
        s.codePoints().limit(256).forEach(c -> b.append(c >= 0x21 && c <= 0x7e ? (char) c : '?'));
        return b.toString();
    }
}
