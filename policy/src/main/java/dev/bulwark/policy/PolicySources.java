package dev.bulwark.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The text of one policy set as found on disk or on the classpath: every {@code *.cedar} file, the
 * schema ({@code schema.cedarschema}) and the entity data ({@code entities.json}, optional), plus a
 * fingerprint (SHA-256 over names and contents) that tells the reload poller whether anything changed.
 */
record PolicySources(String origin, Map<String, String> policyFiles, String schema, String entitiesJson, String fingerprint) {

    static final String SCHEMA_FILE = "schema.cedarschema";
    static final String ENTITIES_FILE = "entities.json";
    static final String DEFAULTS = "dev/bulwark/policy/default/";

    /** Reads {@code dir}; a missing schema or no policy file is a {@link PolicyDataException}. */
    static PolicySources read(Path dir) throws PolicyDataException {
        if (!Files.isDirectory(dir)) {
            throw new PolicyDataException("policy dir: " + dir + " (expected: a directory with *.cedar, " + SCHEMA_FILE
                    + " and optionally " + ENTITIES_FILE + ")");
        }
        Map<String, String> policies = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".cedar") && Files.isRegularFile(file)) {
                    policies.put(name, Files.readString(file, StandardCharsets.UTF_8));
                }
            }
            Path schema = dir.resolve(SCHEMA_FILE);
            if (!Files.isRegularFile(schema)) {
                throw new PolicyDataException("schema: " + schema + " is missing (expected: the Cedar schema in human format)");
            }
            Path entities = dir.resolve(ENTITIES_FILE);
            String entitiesJson = Files.isRegularFile(entities) ? Files.readString(entities, StandardCharsets.UTF_8) : "[]";
            return of(dir.toString(), policies, Files.readString(schema, StandardCharsets.UTF_8), entitiesJson);
        } catch (IOException e) {
            throw new PolicyDataException("policy dir: " + dir + " cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** The default policies shipped in this module ({@code dev/bulwark/policy/default/}). */
    static PolicySources classpathDefaults() {
        return of("classpath:" + DEFAULTS, Map.of("policies.cedar", resource("policies.cedar")), resource(SCHEMA_FILE),
                resource(ENTITIES_FILE));
    }

    static PolicySources of(String origin, Map<String, String> policyFiles, String schema, @Nullable String entitiesJson) {
        Map<String, String> sorted = new TreeMap<>(policyFiles);
        String entities = entitiesJson == null ? "[]" : entitiesJson;
        MessageDigest digest = sha256();
        sorted.forEach((name, text) -> {
            update(digest, name);
            update(digest, text);
        });
        update(digest, schema);
        update(digest, entities);
        return new PolicySources(origin, Map.copyOf(sorted), schema, entities, HexFormat.of().formatHex(digest.digest()));
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) 0);
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = PolicySources.class.getClassLoader().getResourceAsStream(DEFAULTS + name)) {
            if (in == null) {
                throw new IllegalStateException("classpath: " + DEFAULTS + name + " is missing from bulwark-policy");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
