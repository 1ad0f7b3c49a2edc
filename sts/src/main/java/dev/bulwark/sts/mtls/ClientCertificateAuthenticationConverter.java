package dev.bulwark.sts.mtls;

import java.security.cert.X509Certificate;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

import jakarta.servlet.http.HttpServletRequest;

/**
 * RFC 8705 §2: a request that arrived over TLS with a client certificate and names its client with
 * exactly one {@code client_id} parameter is a {@code tls_client_auth} attempt.
 *
 * <p>Replaces Spring's converter, which calls a one-certificate chain {@code self_signed_tls_client_auth}:
 * an X.509-SVID signed directly by a root of the bundle is also a one-certificate chain. The chain
 * itself was already checked against the trust bundle during the handshake; the certificate is read
 * only from the servlet attribute the container fills from the TLS session, never from a header.
 */
final class ClientCertificateAuthenticationConverter implements AuthenticationConverter {

    static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        if (!(request.getAttribute(CERTIFICATE_ATTRIBUTE) instanceof X509Certificate[] chain) || chain.length == 0) {
            return null;
        }
        String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
        if (clientIds == null || clientIds.length == 0 || clientIds[0].isBlank()) {
            return null;
        }
        if (clientIds.length != 1) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
        }
        return new OAuth2ClientAuthenticationToken(clientIds[0], ClientAuthenticationMethod.TLS_CLIENT_AUTH,
                chain.clone(), Map.of());
    }
}
