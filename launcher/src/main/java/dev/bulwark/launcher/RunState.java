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
 * every component is healthy and removed by {@code down}.
 */
final class RunState {

    /** One running component as recorded in endpoints.json. */
    record Entry(String name, String url, String metrics, String health, long pid) {
    }

    private RunState() {
    }

    static Path file(Path home) {
        return home.resolve("endpoints.json");
    }

    static void write(Path home, Path trustBundle, List<Entry> entries) {
        Map<String, Object> components = new LinkedHashMap<>();
        for (Entry entry : entries) {
            Map<String, Object> component = new LinkedHashMap<>();
            component.put("url", entry.url());
            component.put("metrics", entry.metrics());
            component.put("health", entry.health());
            component.put("pid", entry.pid());
            components.put(entry.name(), component);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("trustBundle", trustBundle.toString());
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
                return new Entry(e.getKey(), (String) c.get("url"), (String) c.get("metrics"), (String) c.get("health"),
                        ((Number) c.get("pid")).longValue());
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
