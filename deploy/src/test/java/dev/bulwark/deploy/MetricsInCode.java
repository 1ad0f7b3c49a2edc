package dev.bulwark.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Micrometer meter names Bulwark's main code registers, found in the sources: a {@code bulwark.*}
 * literal, or a constant holding one, passed to a meter builder ({@code Counter.builder(..)},
 * {@code FunctionCounter.builder}, {@code Gauge.builder}, {@code Timer.builder}) or to a registry's
 * {@code counter(..)}/{@code timer(..)}/{@code gauge(..)}. A heuristic over the text, made for this
 * repository's style.
 */
final class MetricsInCode {

    private static final Pattern CONSTANT = Pattern.compile(
            "static final String (\\w+)\\s*=\\s*\"(bulwark\\.[a-z0-9_.]+)\"");
    private static final Pattern REGISTRATION = Pattern.compile(
            "(?:\\b(?:Counter|FunctionCounter|Gauge|Timer|DistributionSummary|LongTaskTimer)\\.builder|\\.(?:counter|timer|gauge))"
                    + "\\(\\s*(\"(bulwark\\.[a-z0-9_.]+)\"|(\\w+))");

    private MetricsInCode() {
    }

    /** Meter name → the first source file (relative to {@code root}) that registers it. */
    static Map<String, Path> find(Path root) throws IOException {
        Map<String, Path> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> file.toString().contains("/src/main/java/"))
                    .filter(file -> !file.toString().contains("/target/"))
                    .forEach(file -> scan(root, file, found));
        }
        return found;
    }

    private static void scan(Path root, Path file, Map<String, Path> found) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> constants = new HashMap<>();
        Matcher constant = CONSTANT.matcher(text);
        while (constant.find()) {
            constants.put(constant.group(1), constant.group(2));
        }
        Matcher registration = REGISTRATION.matcher(text);
        while (registration.find()) {
            String name = registration.group(2) != null ? registration.group(2) : constants.get(registration.group(3));
            if (name != null) {
                found.putIfAbsent(name, root.relativize(file));
            }
        }
    }

    /** Names that are registered in code but are not meters of their own (none so far). */
    static final Set<String> NOT_METERS = Set.of();
}
