package dev.bulwark.sts.token;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2AccessTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenClaimsContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.bulwark.sts.client.ClientRegistrar;
import dev.bulwark.sts.config.StsProperties;
import dev.bulwark.sts.mtls.CertificateBinding;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Access tokens: ES256 JWTs (RFC 9068 shape: {@code iss sub aud exp iat nbf jti scope client_id}),
 * or opaque reference tokens for clients configured with {@code token-format: reference}, whose
 * claims (same set) are kept server-side and returned by introspection. Tokens of clients registered
 * for certificate-bound tokens that authenticated with {@code tls_client_auth} also carry RFC 8705
 * {@code cnf.x5t#S256}.
 */
@Configuration(proxyBeanMethods = false)
public class TokenConfiguration {

    private static final String CLIENT_ID = "client_id";
    private static final String SCOPE = "scope";

    @Bean
    OAuth2TokenGenerator<?> tokenGenerator(JwtEncoder jwtEncoder, StsProperties properties) {
        JwtGenerator jwt = new JwtGenerator(jwtEncoder);
        jwt.setJwtCustomizer(jwtCustomizer(properties.audience()));
        OAuth2AccessTokenGenerator opaque = new OAuth2AccessTokenGenerator();
        opaque.setAccessTokenCustomizer(opaqueCustomizer(properties.audience()));
        return new DelegatingOAuth2TokenGenerator(jwt, opaque, new OAuth2RefreshTokenGenerator());
    }

    static OAuth2TokenCustomizer<JwtEncodingContext> jwtCustomizer(String audience) {
        return context -> {
            if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                return;
            }
            context.getJwsHeader().algorithm(SignatureAlgorithm.ES256);
            context.getClaims()
                    .audience(audienceList(audienceOf(context.getRegisteredClient(), audience)))
                    .claim(CLIENT_ID, context.getRegisteredClient().getClientId())
                    .claims(c -> {
                        c.putIfAbsent(JwtClaimNames.JTI, UUID.randomUUID().toString());
                        c.putIfAbsent(JwtClaimNames.NBF, c.get(JwtClaimNames.IAT));
                        // RFC 9068 §2.2.3: scope is a space-separated string
                        if (c.get(SCOPE) instanceof Set<?> scopes) {
                            c.put(SCOPE, String.join(" ", scopes.stream().map(String::valueOf).toList()));
                        }
                    });
            CertificateBinding.confirmation(context)
                    .ifPresent(cnf -> context.getClaims().claim(CertificateBinding.CNF, cnf));
        };
    }

    private static String audienceOf(RegisteredClient client, String fallback) {
        Object own = client.getClientSettings().getSetting(ClientRegistrar.AUDIENCE_SETTING);
        return own instanceof String s && !s.isBlank() ? s : fallback;
    }

    // claims are stored as JSON with the authorization; its type allowlist accepts ArrayList, not List.of
    private static List<String> audienceList(String audience) {
        List<String> list = new ArrayList<>(1);
        list.add(audience);
        return list;
    }

    static OAuth2TokenCustomizer<OAuth2TokenClaimsContext> opaqueCustomizer(String audience) {
        return context -> {
            context.getClaims()
                    .audience(audienceList(audienceOf(context.getRegisteredClient(), audience)))
                    .claim(CLIENT_ID, context.getRegisteredClient().getClientId());
            CertificateBinding.confirmation(context)
                    .ifPresent(cnf -> context.getClaims().claim(CertificateBinding.CNF, cnf));
        };
    }
}
