package dev.bulwark.gateway.token;

import dev.bulwark.securitykit.crypto.CryptoProviders;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import dev.bulwark.gateway.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;

/** Builds the JWT decoder: remote JWK set, algorithm allow-list, claim rules. */
public final class JwtDecoderFactory {

    private JwtDecoderFactory() {
    }

    public static ReactiveJwtDecoder create(GatewayProperties properties, WebClient web, Clock clock) {
        return create(properties, web, clock, new SimpleMeterRegistry());
    }

    public static ReactiveJwtDecoder create(GatewayProperties properties, WebClient web, Clock clock, MeterRegistry meters) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        properties.algorithms().forEach(name -> algorithms.add(JWSAlgorithm.parse(name)));
        JwkSetCache keys = new JwkSetCache(web, properties.jwkSetUri(), algorithms, clock, meters);
        NimbusReactiveJwtDecoder.JwkSourceReactiveJwtDecoderBuilder builder =
                NimbusReactiveJwtDecoder.withJwkSource(jwt -> keys.keysFor(jwt.getHeader()));
        for (JWSAlgorithm alg : algorithms) {
            SignatureAlgorithm spring = SignatureAlgorithm.from(alg.getName());
            if (spring == null) {
                throw new IllegalArgumentException("algorithm: " + alg + " (expected: a JWS signature algorithm)");
            }
            builder.jwsAlgorithm(spring);
        }
        DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
        CryptoProviders.preferred().ifPresent(provider -> verifiers.getJCAContext().setProvider(provider));
        builder.jwtProcessorCustomizer(processor -> processor.setJWSVerifierFactory(verifiers));
        NimbusReactiveJwtDecoder decoder = builder.build();
        decoder.setJwtValidator(ClaimValidators.of(properties.issuer(), properties.audience(), clock));
        return decoder;
    }
}
