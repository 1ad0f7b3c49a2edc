package dev.bulwark.sts.mtls;

import java.time.Clock;
import java.util.List;

import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2ClientAuthenticationConfigurer;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.authentication.X509ClientCertificateAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.web.authentication.X509ClientCertificateAuthenticationConverter;

/**
 * Wires RFC 8705 {@code tls_client_auth} into the authorization server's client authentication:
 * our converter instead of Spring's (see {@link ClientCertificateAuthenticationConverter}) and the
 * SPIFFE ID check instead of the subject-DN check (see {@link SpiffeIdCertificateVerifier}). Works
 * with any TLS stack that fills the servlet attribute {@code jakarta.servlet.request.X509Certificate}
 * and asks for (want or need) a certificate chaining to the trust bundle.
 */
public final class MutualTlsClientAuthentication {

    /** Client setting holding the SPIFFE ID the client's certificate must carry (RFC 8705 {@code tls_client_auth_san_uri}). */
    public static final String SPIFFE_ID_SETTING = "settings.client.bulwark.tls-client-auth-san-uri";

    /** The client authentication methods the token, introspection and revocation endpoints accept. */
    public static final List<String> SUPPORTED_METHODS = List.of(
            ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
            ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue(),
            ClientAuthenticationMethod.TLS_CLIENT_AUTH.getValue());

    private MutualTlsClientAuthentication() {
    }

    /** Replaces Spring's X.509 converter and certificate check with ours. */
    public static void configure(OAuth2ClientAuthenticationConfigurer clientAuthentication, Clock clock) {
        SpiffeIdCertificateVerifier verifier = new SpiffeIdCertificateVerifier(clock);
        clientAuthentication
                .authenticationConverters(converters -> converters.replaceAll(
                        c -> c instanceof X509ClientCertificateAuthenticationConverter
                                ? new ClientCertificateAuthenticationConverter() : c))
                .authenticationProviders(providers -> providers.forEach(p -> {
                    if (p instanceof X509ClientCertificateAuthenticationProvider x509) {
                        x509.setCertificateVerifier(verifier);
                    }
                }));
    }

    /** Replaces the advertised methods with the ones this server accepts. */
    public static void supportedMethods(List<String> methods) {
        methods.clear();
        methods.addAll(SUPPORTED_METHODS);
    }
}
