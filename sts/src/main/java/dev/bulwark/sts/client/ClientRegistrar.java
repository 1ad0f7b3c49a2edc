package dev.bulwark.sts.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

import dev.bulwark.securitykit.PrivateFiles;
import dev.bulwark.sts.config.StsProperties;
import dev.bulwark.sts.config.StsPropertiesValidator;
import dev.bulwark.sts.mtls.MutualTlsClientAuthentication;
import dev.bulwark.sts.mtls.SpiffeId;

/**
 * Makes the registered clients in the database equal to the configured ones: upserts each
 * configured client (secret hashed) and removes clients, and their authorizations, that are no
 * longer configured. Configuration is the source of truth.
 */
public final class ClientRegistrar {

    private static final Logger log = LoggerFactory.getLogger(ClientRegistrar.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StsProperties properties;
    private final RegisteredClientRepository repository;
    private final JdbcTemplate jdbc;
    private final PasswordEncoder passwordEncoder;

    public ClientRegistrar(StsProperties properties, RegisteredClientRepository repository, JdbcTemplate jdbc,
            PasswordEncoder passwordEncoder) {
        this.properties = StsPropertiesValidator.requireValid(properties);
        this.repository = repository;
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
    }

    public void registerAll() {
        List<String> problems = new ArrayList<>();
        Map<String, @Nullable String> secrets = new TreeMap<>();
        new TreeMap<>(properties.clients()).forEach((id, c) -> {
            if (c.usesTlsClientAuth()) {
                secrets.put(id, null);
                return;
            }
            try {
                secrets.put(id, c.secret() != null ? c.secret() : readOrCreateSecret(id, requireSecretFile(c)));
            } catch (UncheckedIOException | IllegalStateException e) {
                problems.add("bulwark.sts.clients." + id + ".secret-file: " + c.secretFile() + " (" + e.getMessage() + ")");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid STS configuration (" + problems.size() + " problem(s)):\n  - "
                    + String.join("\n  - ", problems));
        }
        secrets.forEach((id, secret) -> {
            RegisteredClient existing = repository.findByClientId(id);
            RegisteredClient client = toRegisteredClient(id, properties.clients().get(id), secret,
                    existing != null ? existing.getId() : UUID.randomUUID().toString());
            repository.save(client);
        });
        removeUnconfigured(secrets.keySet());
        log.info("event=sts.clients_registered count={} clients={}", secrets.size(), secrets.keySet());
    }

    private static Path requireSecretFile(StsProperties.Client c) {
        Path file = c.secretFile();
        if (file == null) {
            throw new IllegalStateException("expected: secret or secret-file");
        }
        return file;
    }

    /** The {@code aud} of this client's access tokens: its own {@code audience}, or {@code bulwark.sts.audience}. */
    public static final String AUDIENCE_SETTING = "settings.client.bulwark.audience";

    /**
     * A secret client gets {@code client_secret_basic} and {@code client_secret_post} and its hashed
     * secret; a {@code tls_client_auth} client gets that method alone, no secret, and its SPIFFE ID.
     */
    private RegisteredClient toRegisteredClient(String id, StsProperties.Client c, @Nullable String secret,
            String registrationId) {
        Duration accessTtl = c.accessTokenLifetime() != null ? c.accessTokenLifetime() : properties.accessTokenLifetime();
        Duration refreshTtl = c.refreshTokenLifetime() != null ? c.refreshTokenLifetime() : properties.refreshTokenLifetime();
        ClientSettings.Builder settings = ClientSettings.builder().requireAuthorizationConsent(false)
                .setting(AUDIENCE_SETTING, c.audience() != null ? c.audience() : properties.audience());
        RegisteredClient.Builder builder = RegisteredClient.withId(registrationId)
                .clientId(id)
                .clientName(id);
        String spiffeId = c.spiffeId();
        if (c.usesTlsClientAuth() && spiffeId != null) {
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.TLS_CLIENT_AUTH);
            settings.setting(MutualTlsClientAuthentication.SPIFFE_ID_SETTING, SpiffeId.parse(spiffeId).toString());
        } else if (secret != null) {
            builder.clientSecret(passwordEncoder.encode(secret))
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        } else {
            throw new IllegalStateException("bulwark.sts.clients." + id + ": (expected: a secret or tls_client_auth)");
        }
        return builder
                .authorizationGrantTypes(g -> c.grantTypesOrEmpty().forEach(t -> g.add(new AuthorizationGrantType(t))))
                .scopes(s -> s.addAll(c.scopesOrEmpty()))
                .clientSettings(settings.build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat("reference".equals(c.tokenFormat()) ? OAuth2TokenFormat.REFERENCE
                                : OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(accessTtl)
                        .refreshTokenTimeToLive(refreshTtl)
                        .reuseRefreshTokens(false)
                        .x509CertificateBoundAccessTokens(c.usesTlsClientAuth() && c.certificateBoundAccessTokens())
                        .build())
                .build();
    }

    private void removeUnconfigured(Set<String> configured) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, client_id FROM oauth2_registered_client");
        for (Map<String, Object> row : rows) {
            String clientId = String.valueOf(row.get("client_id"));
            if (!configured.contains(clientId)) {
                String registrationId = String.valueOf(row.get("id"));
                jdbc.update("DELETE FROM oauth2_authorization WHERE registered_client_id = ?", registrationId);
                jdbc.update("DELETE FROM oauth2_registered_client WHERE id = ?", registrationId);
                log.info("event=sts.client_removed client_id={}", clientId);
            }
        }
    }

    /** Reads a client secret file; generates one (mode 0600) when the file does not exist yet. */
    static String readOrCreateSecret(String clientId, Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] b = new byte[32];
                RANDOM.nextBytes(b);
                PrivateFiles.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(b) + "\n");
                log.info("event=sts.client_secret_generated client_id={} file={}", clientId, file);
            }
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.length() < 8) {
                throw new IllegalStateException("expected: a secret of at least 8 characters");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read: " + e.getClass().getSimpleName(), e);
        }
    }
}
