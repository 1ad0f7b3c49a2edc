package dev.bulwark.identity.workload;

import dev.bulwark.identity.spiffe.SpiffeId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which local process is which workload: the launcher registers each component's process id with
 * its SPIFFE ID when it starts the process, and the Workload API server looks the caller up by the
 * process id the kernel reports for the socket's peer ({@code SO_PEERCRED}). A caller cannot claim
 * an identity; it gets the one its process was registered with, or none.
 *
 * <p>A process id is reused after its process exits, so a registration also records the process's
 * start time (from {@link ProcessHandle}); a caller whose pid matches but whose process started at a
 * different time is a different process and is not recognised.
 *
 * <p>Registrations may come from somewhere that is only polled (the identity process reads the
 * launcher's file every second): an optional miss hook ({@link #WorkloadRegistry(Runnable)}) is run on
 * a lookup that finds nothing, and the lookup is then tried once more, so a workload registered just
 * before it connects is recognised at once. The hook runs on the caller's thread and must be cheap
 * (e.g. a file stat when nothing changed); an exception it throws is logged and counts as a miss.
 */
public final class WorkloadRegistry {

    static final String SCHEME = "spiffe://";

    private static final Logger log = LoggerFactory.getLogger(WorkloadRegistry.class);
    private static final Runnable NO_HOOK = () -> { };

    private final Map<Long, Registration> byPid = new ConcurrentHashMap<>();
    private final LongFunction<Optional<Instant>> startTimes;
    private final Runnable onMiss;

    /** A registry that reads process start times from the operating system. */
    public WorkloadRegistry() {
        this(WorkloadRegistry::startTimeOf, NO_HOOK);
    }

    /**
     * A registry that runs {@code onMiss} when a lookup finds no registration for a pid (e.g. to re-read
     * where registrations come from), then looks once more.
     */
    public WorkloadRegistry(Runnable onMiss) {
        this(WorkloadRegistry::startTimeOf, onMiss);
    }

    WorkloadRegistry(LongFunction<Optional<Instant>> startTimes) {
        this(startTimes, NO_HOOK);
    }

    WorkloadRegistry(LongFunction<Optional<Instant>> startTimes, Runnable onMiss) {
        this.startTimes = Objects.requireNonNull(startTimes, "startTimes");
        this.onMiss = Objects.requireNonNull(onMiss, "onMiss");
    }

    /**
     * Registers a running process as the workload {@code spiffeId}.
     *
     * @throws IllegalArgumentException if no such process runs, or the SPIFFE ID is malformed
     */
    public void register(long pid, String spiffeId) {
        String id = checkSpiffeId(spiffeId);
        Instant started = startTimes.apply(pid).orElseThrow(
                () -> new IllegalArgumentException("pid: " + pid + " (expected: a running process)"));
        byPid.put(pid, new Registration(id, started));
    }

    /** Registers a process the caller holds a handle for, e.g. one the launcher just started. */
    public void register(ProcessHandle process, String spiffeId) {
        register(Objects.requireNonNull(process, "process").pid(), spiffeId);
    }

    /** Registers a running process as the workload {@code spiffeId} (a value already parsed and validated). */
    public void register(long pid, SpiffeId spiffeId) {
        register(pid, Objects.requireNonNull(spiffeId, "spiffeId").toString());
    }

    /** Forgets a process, e.g. when the launcher sees it exit. */
    public void unregister(long pid) {
        byPid.remove(pid);
    }

    /**
     * The SPIFFE ID registered for this process id, if the process that holds it now is the one
     * that was registered; on a miss the miss hook runs and the registry is asked once more.
     */
    public Optional<String> lookup(long pid) {
        Optional<String> found = find(pid);
        if (found.isPresent() || onMiss == NO_HOOK) {
            return found;
        }
        try {
            onMiss.run();
        } catch (RuntimeException e) {
            log.warn("event=workload_registry.miss_hook_failed pid={} reason={}", pid, e.toString());
            return Optional.empty();
        }
        return find(pid);
    }

    private Optional<String> find(long pid) {
        Registration registration = byPid.get(pid);
        if (registration == null) {
            return Optional.empty();
        }
        Optional<Instant> started = startTimes.apply(pid);
        if (started.isEmpty() || !started.get().equals(registration.started())) {
            byPid.remove(pid, registration);
            return Optional.empty();
        }
        return Optional.of(registration.spiffeId());
    }

    static String checkSpiffeId(String spiffeId) {
        Objects.requireNonNull(spiffeId, "spiffeId");
        boolean valid = spiffeId.startsWith(SCHEME)
                && spiffeId.length() > SCHEME.length()
                && spiffeId.chars().noneMatch(c -> c <= ' ' || c == '?' || c == '#')
                && !spiffeId.endsWith("/")
                && spiffeId.indexOf('/', SCHEME.length()) != SCHEME.length();
        if (!valid) {
            throw new IllegalArgumentException("spiffeId: " + spiffeId
                    + " (expected: spiffe://<trust-domain>[/<path>], no query, fragment or trailing slash)");
        }
        return spiffeId;
    }

    private static Optional<Instant> startTimeOf(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).flatMap(p -> p.info().startInstant());
    }

    private record Registration(String spiffeId, Instant started) {
    }
}
