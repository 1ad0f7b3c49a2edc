package dev.bulwark.launcher;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.bulwark.securitykit.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code .bulwark/endpoints.json}: what runs where, for people and for tools. It is written once
 * every component is healthy and removed by {@code down}. Components are listed in start order
 * (the identity processes first); each has {@code url}, {@code metrics}, {@code health}, {@code pid},
 * {@code trust_domain}, a workload also {@code spiffe_id}, and an identity process {@code workload_api}
 * (the Unix socket's path), {@code ocsp}, {@code crl} and {@code trust_bundle}. At the top,
 * {@code trustBundle} is ecomm's bundle (the {@code --cacert} for the edge) and {@code trustBundles} maps
 * each trust domain to its bundle file.
 */
final class RunState {

    /**
     * One running component as recorded in endpoints.json.
     *
     * @param endpoints further endpoints (the identity process: {@code workload_api}, {@code ocsp}, {@code crl})
     */
    record Entry(String name, String url, String metrics, String health, long pid, Map<String, String> endpoints) {

        Entry {
            endpoints = Map.copyOf(endpoints);
        }

        Entry(Component component, long pid) {
            this(component.name(), component.url(), component.metricsUrl(), component.healthUrl(), pid,
                    endpoints(component));
        }

        private static Map<String, String> endpoints(Component component) {
            Map<String, String> endpoints = new LinkedHashMap<>(component.endpoints());
            endpoints.put("trust_domain", component.domain().trustDomain());
            if (!component.isIdentity()) {
                endpoints.put("spiffe_id", component.spiffeId());
            }
            return endpoints;
        }

        /** Whether this is an identity process (it serves a Workload API). */
        boolean isIdentity() {
            return endpoints.containsKey("workload_api");
        }
    }

    private RunState() {
    }

    static Path file(Path home) {
        return home.resolve("endpoints.json");
    }

    static void write(Path home, Path trustBundle, Map<String, Path> trustBundles, List<Entry> entries) {
        Map<String, Object> components = new LinkedHashMap<>();
        for (Entry entry : entries) {
            Map<String, Object> component = new LinkedHashMap<>();
            component.put("url", entry.url());
            component.put("metrics", entry.metrics());
            component.put("health", entry.health());
            component.put("pid", entry.pid());
            new java.util.TreeMap<>(entry.endpoints()).forEach(component::put);
            components.put(entry.name(), component);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("trustBundle", trustBundle.toString());
        Map<String, Object> bundles = new LinkedHashMap<>();
        trustBundles.forEach((domain, file) -> bundles.put(domain, file.toString()));
        root.put("trustBundles", bundles);
        root.put("components", components);
        PrivateFiles.writePublicString(file(home), JSONObjectUtils.toJSONString(root) + "\n");
    }

    static Optional<List<Entry>> read(Path home) {
        Path file = file(home);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> root = JSONObjectUtils.parse(Files.readString(file, StandardCharsets.UTF_8));
            Map<String, Object> components = JSONObjectUtils.getJSONObject(root, "components");
            return Optional.of(components.entrySet().stream().map(e -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> c = (Map<String, Object>) e.getValue();
                Map<String, String> endpoints = new LinkedHashMap<>();
                c.forEach((key, value) -> {
                    if (!List.of("url", "metrics", "health", "pid").contains(key) && value instanceof String s) {
                        endpoints.put(key, s);
                    }
                });
                return new Entry(e.getKey(), (String) c.get("url"), (String) c.get("metrics"), (String) c.get("health"),
                        ((Number) c.get("pid")).longValue(), endpoints);
            }).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException | ClassCastException | NullPointerException e) {
            throw new IllegalStateException(file + " is damaged (" + e.getMessage() + "); remove it and run up again", e);
        }
    }

    static void delete(Path home) {
        try {
            Files.deleteIfExists(file(home));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
