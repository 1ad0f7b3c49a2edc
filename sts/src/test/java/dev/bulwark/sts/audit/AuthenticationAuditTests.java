package dev.bulwark.sts.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bulwark.securitykit.throttle.ClientIpResolver;

class AuthenticationAuditTests {

    private final Logger audit = (Logger) LoggerFactory.getLogger("bulwark.audit");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final RegisteredClient client = RegisteredClient.withId("1").clientId("web")
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC).build();

    AuthenticationAuditTests() {
        lines.start();
        audit.addAppender(lines);
    }

    @AfterEach
    void tearDown() {
        audit.detachAppender(lines);
    }

    private OAuth2AccessTokenAuthenticationToken issued(String tokenValue) {
        OAuth2ClientAuthenticationToken principal = new OAuth2ClientAuthenticationToken(client,
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC, null);
        OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, tokenValue, Instant.now(),
                Instant.now().plusSeconds(300), Set.of("b", "a"));
        return new OAuth2AccessTokenAuthenticationToken(client, principal, token);
    }

    @Test
    void onSuccessWhenJwtIssuedThenSubjectReadFromItsClaimsAndTokenNeverLogged() {
        String jwt = new PlainJWT(new JWTClaimsSet.Builder().subject("peter").build()).serialize();

        new AuthenticationAudit(new FailingStore(), ClientIpResolver.direct()).onSuccess(new AuthenticationSuccessEvent(issued(jwt)));

        assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("event=token_issued ").contains("client_id=web", "sub=peter", "scope=a,b", "format=jwt")
                .doesNotContain(jwt);
    }

    @Test
    void onSuccessWhenStoreFailsThenStillAuditedWithoutSubjectAndNoExceptionReachesTheTokenResponse() {
        AuthenticationAudit listener = new AuthenticationAudit(new FailingStore(), ClientIpResolver.direct());

        assertThatNoException().isThrownBy(
                () -> listener.onSuccess(new AuthenticationSuccessEvent(issued("opaque-secret-value"))));
        assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("event=token_issued", "sub=-", "format=reference").doesNotContain("opaque-secret-value");
    }

    @Test
    void onFailureWhenOtherAuthenticationThenGenericAuthFailure() {
        new AuthenticationAudit(new FailingStore(), ClientIpResolver.direct()).onFailure(new AuthenticationFailedEvent(
                UsernamePasswordAuthenticationToken.unauthenticated("x", "pw"), new BadCredentialsException("no")));

        assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("event=auth_failure ").contains("kind=UsernamePasswordAuthenticationToken",
                        "reason=BadCredentialsException")
                .doesNotContain("pw");
    }

    @Test
    void onFailureBehindATrustedProxyThenTheForwardedClientAddressIsLogged() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/token");
        request.setRemoteAddr("10.0.0.7");
        request.addHeader("X-Forwarded-For", "198.51.100.1, 203.0.113.5");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        try {
            new AuthenticationAudit(new FailingStore(), ClientIpResolver.trusting(List.of("10.0.0.0/8")))
                    .onFailure(new AuthenticationFailedEvent(new OAuth2ClientAuthenticationToken("web",
                            ClientAuthenticationMethod.CLIENT_SECRET_BASIC, "wrong-secret", null),
                            new OAuth2AuthenticationException("invalid_client")));
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }

        assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("event=login_failure", "kind=client", "client_id=web", "ip=203.0.113.5")
                .doesNotContain("wrong-secret", "198.51.100.1");
    }

    /** A store that is down. */
    private static final class FailingStore implements OAuth2AuthorizationService {
        @Override
        public void save(OAuth2Authorization authorization) {
            throw new IllegalStateException("down");
        }

        @Override
        public void remove(OAuth2Authorization authorization) {
            throw new IllegalStateException("down");
        }

        @Override
        public OAuth2Authorization findById(String id) {
            throw new IllegalStateException("down");
        }

        @Override
        public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
            throw new IllegalStateException("down");
        }
    }
}
