package dev.bulwark.policy;

import com.cedarpolicy.AuthorizationEngine;
import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.value.EntityUID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Cedar engine (cedar-java, the Cedar language's Rust evaluator through JNI).
 *
 * <p>Two layers of entity data: the file layer ({@code entities.json} next to the policies) and the
 * pushed layer ({@link #pushEntities}, e.g. from the admin API), which replaces itself whole on each
 * push and wins over a file entity with the same uid. A policy set from a directory is polled every
 * reload interval; a change is parsed and validated against the schema (policies and both entity
 * layers) before it is swapped in atomically, and a broken change is rejected (logged
 * {@code event=policy_reload_rejected}, counted {@code bulwark.policy.reloads{result=rejected}}) with
 * the last good set still deciding. A broken set at construction fails construction.
 *
 * <p>Thread-safe; {@link #decide} never throws.
 */
public final class CedarPolicyEngine implements PolicyEngine {

    /** The default reload interval. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(CedarPolicyEngine.class);

    private final AuthorizationEngine cedar = new BasicAuthorizationEngine();
    private final @Nullable Path dir;
    private final DecisionLog decisions;
    private final Clock clock;
    private final Counter reloadsApplied;
    private final Counter reloadsRejected;
    private final Counter pushesApplied;
    private final Counter pushesRejected;
    private final @Nullable ScheduledExecutorService poller;
    private final Object writeLock = new Object();
    private volatile State state;
    private volatile @Nullable String lastError;
    private volatile @Nullable Instant lastErrorAt;

    /** What decides: the policy set and the merged entities (file layer, then pushed layer). */
    private record State(CedarPolicySet set, Map<EntityUID, Entity> pushed, Map<EntityUID, Entity> merged) {
        static State of(CedarPolicySet set, Map<EntityUID, Entity> pushed) {
            Map<EntityUID, Entity> merged = new HashMap<>(set.entities());
            merged.putAll(pushed);
            return new State(set, pushed, Map.copyOf(merged));
        }
    }

    private CedarPolicyEngine(@Nullable Path dir, PolicySources sources, Duration reloadInterval, MeterRegistry meters, Clock clock)
            throws PolicyDataException {
        this.dir = dir;
        this.clock = clock;
        this.decisions = new DecisionLog("cedar", meters);
        this.reloadsApplied = reloads(meters, "applied");
        this.reloadsRejected = reloads(meters, "rejected");
        this.pushesApplied = pushes(meters, "applied");
        this.pushesRejected = pushes(meters, "rejected");
        this.state = State.of(CedarPolicySet.compile(cedar, sources, clock.instant()), Map.of());
        log.info("event=policy_loaded engine=cedar source={} policies={} entities={}", sources.origin(),
                state.set().policyCount(), state.merged().size());
        if (dir != null && !reloadInterval.isZero() && !reloadInterval.isNegative()) {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "bulwark-policy-reload");
                thread.setDaemon(true);
                return thread;
            });
            long millis = reloadInterval.toMillis();
            scheduler.scheduleWithFixedDelay(this::reloadQuietly, millis, millis, TimeUnit.MILLISECONDS);
            this.poller = scheduler;
        } else {
            this.poller = null;
        }
    }

    /**
     * An engine over the policies, schema and entities in {@code dir}, polled every {@code reloadInterval}
     * (zero: never).
     *
     * @throws IllegalArgumentException naming every problem when the set in {@code dir} is not valid
     */
    public static CedarPolicyEngine fromDirectory(Path dir, Duration reloadInterval, MeterRegistry meters) {
        return fromDirectory(dir, reloadInterval, meters, Clock.systemUTC());
    }

    static CedarPolicyEngine fromDirectory(Path dir, Duration reloadInterval, MeterRegistry meters, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        try {
            return new CedarPolicyEngine(dir, PolicySources.read(dir), reloadInterval, meters, clock);
        } catch (PolicyDataException e) {
            throw new IllegalArgumentException("policy dir " + dir + ": " + e.getMessage(), e);
        }
    }

    /** An engine over the book policies shipped in this module ({@code dev/bulwark/policy/default/}), never reloaded. */
    public static CedarPolicyEngine fromClasspathDefaults(MeterRegistry meters) {
        try {
            return new CedarPolicyEngine(null, PolicySources.classpathDefaults(), Duration.ZERO, meters, Clock.systemUTC());
        } catch (PolicyDataException e) {
            throw new IllegalStateException("the default policies of bulwark-policy do not validate: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "cedar";
    }

    @Override
    public PolicyDecision decide(PolicyRequest request) {
        long start = System.nanoTime();
        String decisionId = UUID.randomUUID().toString();
        PolicyDecision decision;
        try {
            State current = state;
            CedarRequests.Prepared prepared = CedarRequests.prepare(request, current.merged(), clock.instant().getEpochSecond());
            AuthorizationResponse response = cedar.isAuthorized(prepared.request(), current.set().policies(), prepared.entities());
            decision = toDecision(decisionId, response);
        } catch (PolicyDataException e) {
            decision = new PolicyDecision(decisionId, PolicyDecision.Result.ERROR, List.of(), List.of(e.getMessage()));
        } catch (Exception e) {   // AuthException, or a JNI/serialization failure: never allow, never throw
            decision = new PolicyDecision(decisionId, PolicyDecision.Result.ERROR, List.of(),
                    List.of("cedar: " + CedarPolicySet.message(e)));
        }
        return decisions.record(request, decision, start);
    }

    private static PolicyDecision toDecision(String decisionId, AuthorizationResponse response) {
        if (response.success.isEmpty()) {
            List<String> errors = new ArrayList<>();
            response.errors.ifPresent(list -> list.forEach(e -> errors.add("cedar: " + e.message)));
            return new PolicyDecision(decisionId, PolicyDecision.Result.ERROR, List.of(), errors);
        }
        AuthorizationSuccessResponse success = response.success.get();
        List<String> errors = success.getErrors().stream()
                .map(e -> "policy " + e.getPolicyId() + ": " + e.getError().message).toList();
        PolicyDecision.Result result = success.getDecision() == AuthorizationSuccessResponse.Decision.Allow
                ? PolicyDecision.Result.ALLOW : PolicyDecision.Result.DENY;
        return new PolicyDecision(decisionId, result, success.getReason().stream().sorted().toList(), errors);
    }

    /**
     * Replaces the pushed entity layer with {@code cedarEntitiesJson} (a Cedar entities JSON array),
     * after validating it, merged with the file layer, against the schema.
     *
     * @throws PolicyDataException naming the problem; the previous pushed layer stays
     */
    public void pushEntities(String cedarEntitiesJson) throws PolicyDataException {
        Objects.requireNonNull(cedarEntitiesJson, "cedarEntitiesJson");
        synchronized (writeLock) {
            try {
                Map<EntityUID, Entity> pushed = CedarPolicySet.parseEntities("entities", cedarEntitiesJson);
                State next = State.of(state.set(), Map.copyOf(pushed));
                CedarPolicySet.validateEntities(cedar, next.set().schema(), "entities", next.merged().values());
                state = next;
                pushesApplied.increment();
                log.info("event=policy_entities_pushed engine=cedar entities={}", pushed.size());
            } catch (PolicyDataException e) {
                pushesRejected.increment();
                log.warn("event=policy_entities_rejected engine=cedar reason=\"{}\"", e.getMessage());
                throw e;
            }
        }
    }

    /**
     * Reads the directory now and applies it if it changed and is valid (the poller calls this).
     *
     * @return true when a new set was applied
     * @throws PolicyDataException when the changed set is broken (the last good set stays)
     */
    public boolean reload() throws PolicyDataException {
        if (dir == null) {
            return false;
        }
        synchronized (writeLock) {
            try {
                PolicySources sources = PolicySources.read(dir);
                if (sources.fingerprint().equals(state.set().sources().fingerprint())) {
                    lastError = null;   // a broken change was reverted: the files are the deciding set again
                    lastErrorAt = null;
                    return false;
                }
                CedarPolicySet set = CedarPolicySet.compile(cedar, sources, clock.instant());
                State next = State.of(set, state.pushed());
                CedarPolicySet.validateEntities(cedar, set.schema(), "entities (file and pushed)", next.merged().values());
                state = next;
                lastError = null;
                lastErrorAt = null;
                reloadsApplied.increment();
                log.info("event=policy_reloaded engine=cedar source={} policies={} entities={}", sources.origin(),
                        set.policyCount(), next.merged().size());
                return true;
            } catch (PolicyDataException e) {
                if (!e.getMessage().equals(lastError)) {   // once per broken change, not once per poll
                    reloadsRejected.increment();
                    log.error("event=policy_reload_rejected engine=cedar source={} reason=\"{}\"", dir, e.getMessage());
                }
                lastError = e.getMessage();
                lastErrorAt = clock.instant();
                throw e;
            }
        }
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (PolicyDataException e) {
            // logged and counted by reload(); the last good set keeps deciding
        } catch (RuntimeException e) {
            log.error("event=policy_reload_failed engine=cedar reason=\"{}\"", e.toString());
        }
    }

    /** What the engine decides with now. */
    public Status status() {
        State current = state;
        return new Status(current.set().sources().origin(), current.set().policyCount(), current.merged().size(),
                current.pushed().size(), current.set().loadedAt(), current.set().sources().fingerprint(), lastError, lastErrorAt);
    }

    /**
     * The engine's state.
     *
     * @param source the directory (or classpath location) of the policies
     * @param policies the number of policies deciding
     * @param entities the number of entities (file and pushed layers merged)
     * @param pushedEntities the number of entities in the pushed layer
     * @param lastReload when the deciding set was loaded
     * @param fingerprint SHA-256 of the deciding set's files
     * @param lastError why the last change was rejected, null when the last change was applied
     * @param lastErrorAt when it was rejected
     */
    public record Status(String source, int policies, int entities, int pushedEntities, Instant lastReload, String fingerprint,
            @Nullable String lastError, @Nullable Instant lastErrorAt) {
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    private static Counter reloads(MeterRegistry meters, String result) {
        return Counter.builder("bulwark.policy.reloads").description("Policy set reloads: applied, or rejected (last good set kept)")
                .tag("engine", "cedar").tag("result", result).register(meters);
    }

    private static Counter pushes(MeterRegistry meters, String result) {
        return Counter.builder("bulwark.policy.entity.pushes").description("Pushed entity data: applied or rejected")
                .tag("engine", "cedar").tag("result", result).register(meters);
    }
}
