package dev.bulwark.sts.mtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import dev.bulwark.securitykit.tls.TestCa;

class SpiffeIdCertificateVerifierTests {

    private static final TestCa CA = TestCa.create("verifier test root");
    private static final String ORDER = "spiffe://ecomm.local/order";

    private final SpiffeIdCertificateVerifier verifier = new SpiffeIdCertificateVerifier(Clock.systemUTC());

    @Test
    void acceptWhenOnlyUriSanIsTheRegisteredSpiffeIdThenAuthenticated() {
        assertThatCode(() -> verifier.accept(context(tlsClient(ORDER), ClientAuthenticationMethod.TLS_CLIENT_AUTH,
                CA.issue("order").leaf()))).doesNotThrowAnyException();
    }

    @Test
    void svidOfAnotherWorkloadIsRefused() {
        assertRefused(context(tlsClient(ORDER), ClientAuthenticationMethod.TLS_CLIENT_AUTH, CA.issue("gateway").leaf()));
    }

    @Test
    void spiffeIdThatOnlyStartsWithTheRegisteredOneIsRefused() {
        assertRefused(context(tlsClient(ORDER), ClientAuthenticationMethod.TLS_CLIENT_AUTH, CA.issue("order/admin").leaf()));
    }

    @Test
    void certificateWithTwoUriSansIsRefused() {
        Instant now = Instant.now();
        X509Certificate two = CA.issue(List.of(ORDER, "spiffe://ecomm.local/gateway"), now.minusSeconds(60),
                now.plusSeconds(600), false).leaf();
        assertRefused(context(tlsClient(ORDER), ClientAuthenticationMethod.TLS_CLIENT_AUTH, two));
    }

    @Test
    void certificateWithoutUriSanIsRefused() {
        Instant now = Instant.now();
        X509Certificate none = CA.issue(List.of(), now.minusSeconds(60), now.plusSeconds(600), false).leaf();
        assertRefused(context(tlsClient(ORDER), ClientAuthenticationMethod.TLS_CLIENT_AUTH, none));
    }

    @Test
    void expiredSvidIsRefused() {
        assertRefused(context(tlsClient(ORDER), ClientAuthenticationMethod.TLS_CLIENT_AUTH, CA.issueExpired("order").leaf()));
    }

    @Test
    void clientNotRegisteredForTlsClientAuthIsRefusedEvenWithMatchingSetting() {
        RegisteredClient secretClient = RegisteredClient.withId("id").clientId("order-service")
                .clientSecret("{noop}x")
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .clientSettings(ClientSettings.builder().setting(MutualTlsClientAuthentication.SPIFFE_ID_SETTING, ORDER).build())
                .build();
        assertRefused(context(secretClient, ClientAuthenticationMethod.TLS_CLIENT_AUTH, CA.issue("order").leaf()));
    }

    @Test
    void selfSignedTlsClientAuthIsRefused() {
        assertRefused(context(tlsClient(ORDER), ClientAuthenticationMethod.SELF_SIGNED_TLS_CLIENT_AUTH,
                CA.issue("order").leaf()));
    }

    @Test
    void clientWithoutRegisteredSpiffeIdIsRefused() {
        RegisteredClient noId = RegisteredClient.withId("id").clientId("order-service")
                .clientAuthenticationMethod(ClientAuthenticationMethod.TLS_CLIENT_AUTH)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).build();
        assertRefused(context(noId, ClientAuthenticationMethod.TLS_CLIENT_AUTH, CA.issue("order").leaf()));
    }

    private static RegisteredClient tlsClient(String spiffeId) {
        return RegisteredClient.withId("id").clientId("order-service")
                .clientAuthenticationMethod(ClientAuthenticationMethod.TLS_CLIENT_AUTH)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .clientSettings(ClientSettings.builder().setting(MutualTlsClientAuthentication.SPIFFE_ID_SETTING, spiffeId).build())
                .build();
    }

    private static OAuth2ClientAuthenticationContext context(RegisteredClient client, ClientAuthenticationMethod method,
            X509Certificate leaf) {
        OAuth2ClientAuthenticationToken token = new OAuth2ClientAuthenticationToken(client.getClientId(), method,
                new X509Certificate[] {leaf}, Map.of());
        return OAuth2ClientAuthenticationContext.with(token).registeredClient(client).build();
    }

    private void assertRefused(OAuth2ClientAuthenticationContext context) {
        assertThatThrownBy(() -> verifier.accept(context))
                .isInstanceOfSatisfying(OAuth2AuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo("invalid_client"));
    }
}
