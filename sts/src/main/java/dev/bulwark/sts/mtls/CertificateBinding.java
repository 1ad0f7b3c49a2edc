package dev.bulwark.sts.mtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;

/**
 * RFC 8705 §3.1: an access token issued to a client that authenticated with {@code tls_client_auth}
 * and is registered for certificate-bound tokens carries {@code cnf: {"x5t#S256": <base64url SHA-256
 * of the DER certificate>}}, so a resource server can demand the same certificate on its side.
 */
public final class CertificateBinding {

    /** RFC 7800 confirmation claim. */
    public static final String CNF = "cnf";

    /** RFC 8705 §3.1 member of {@code cnf}. */
    public static final String X5T_S256 = "x5t#S256";

    private CertificateBinding() {
    }

    /** The {@code cnf} claim for a token generated in {@code context}, if it is to be bound. */
    public static Optional<Map<String, Object>> confirmation(OAuth2TokenContext context) {
        if (!context.getRegisteredClient().getTokenSettings().isX509CertificateBoundAccessTokens()) {
            return Optional.empty();
        }
        Authentication grant = context.getAuthorizationGrant();
        if (grant == null || !(grant.getPrincipal() instanceof OAuth2ClientAuthenticationToken client)
                || !ClientAuthenticationMethod.TLS_CLIENT_AUTH.equals(client.getClientAuthenticationMethod())
                || !(client.getCredentials() instanceof X509Certificate[] chain) || chain.length == 0) {
            return Optional.empty();
        }
        // a HashMap: the claims are stored as JSON with the authorization, whose type allowlist takes it
        Map<String, Object> cnf = new HashMap<>();
        cnf.put(X5T_S256, thumbprint(chain[0]));
        return Optional.of(cnf);
    }

    /** Base64url (no padding) SHA-256 of the certificate's DER encoding. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot compute the certificate thumbprint", e);
        }
    }
}
