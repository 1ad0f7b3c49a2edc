package dev.bulwark.policy;

import com.cedarpolicy.AuthorizationEngine;
import com.cedarpolicy.model.DetailedError;
import com.cedarpolicy.model.EntityValidationRequest;
import com.cedarpolicy.model.ValidationRequest;
import com.cedarpolicy.model.ValidationResponse;
import com.cedarpolicy.model.entity.Entities;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.policy.Policy;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.model.schema.Schema;
import com.cedarpolicy.value.EntityUID;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One parsed and validated policy set: the policies (each named by its {@code @id} annotation), the
 * schema and the file entities. Built only by {@link #compile}, which refuses anything the schema
 * does not accept, so an instance is always usable; immutable, swapped in whole by the engine.
 */
final class CedarPolicySet {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CedarPolicySet.class);

    private final PolicySources sources;
    private final PolicySet policies;
    private final Schema schema;
    private final Map<EntityUID, Entity> entities;
    private final Instant loadedAt;

    private CedarPolicySet(PolicySources sources, PolicySet policies, Schema schema, Map<EntityUID, Entity> entities,
            Instant loadedAt) {
        this.sources = sources;
        this.policies = policies;
        this.schema = schema;
        this.entities = entities;
        this.loadedAt = loadedAt;
    }

    /**
     * Parses {@code sources} and validates policies and entities against the schema; every problem
     * found is in the exception's message (file names included), nothing is half-applied.
     */
    static CedarPolicySet compile(AuthorizationEngine cedar, PolicySources sources, Instant now) throws PolicyDataException {
        List<String> problems = new ArrayList<>();
        Schema schema;
        try {
            schema = Schema.parse(Schema.JsonOrCedar.Cedar, sources.schema());
        } catch (Exception e) {
            throw new PolicyDataException(PolicySources.SCHEMA_FILE + ": " + message(e) + " (expected: a Cedar schema in human format)", e);
        }
        Set<Policy> all = new HashSet<>();
        Set<String> ids = new HashSet<>();
        sources.policyFiles().forEach((file, text) -> parse(file, text, all, ids, problems));
        if (all.isEmpty() && problems.isEmpty()) {
            problems.add("policies: no policy in " + sources.policyFiles().keySet() + " (expected: at least one *.cedar policy)");
        }
        if (!problems.isEmpty()) {
            throw new PolicyDataException(String.join("; ", problems));
        }
        PolicySet policySet = new PolicySet(all);
        try {
            ValidationResponse validation = cedar.validate(new ValidationRequest(schema, policySet));
            if (!validation.validationPassed()) {
                validation.errors.ifPresent(errors -> errors.forEach(e -> problems.add("validation: " + e.message)));
                validation.success.ifPresent(s -> s.validationErrors.forEach(
                        e -> problems.add("policy " + e.getPolicyId() + ": " + describe(e.getError()))));
                if (problems.isEmpty()) {
                    problems.add("validation: " + validation);
                }
                throw new PolicyDataException("policies do not match the schema: " + String.join("; ", problems));
            }
        } catch (AuthException e) {
            throw new PolicyDataException("policies: cannot be validated (" + message(e) + ")", e);
        }
        Map<EntityUID, Entity> entities = parseEntities(PolicySources.ENTITIES_FILE, sources.entitiesJson());
        validateEntities(cedar, schema, PolicySources.ENTITIES_FILE, entities.values());
        cache(policySet);
        return new CedarPolicySet(sources, policySet, schema, Map.copyOf(entities), now);
    }

    /**
     * Parses the policies once on the Rust side: without it, cedar-java sends and Cedar re-parses every
     * policy on every decision (measured: ~240 µs a decision for the five book policies). Released by
     * cedar-java's cleaner when this set is no longer referenced; a failure only costs speed.
     */
    private static void cache(PolicySet policies) {
        try {
            policies.cache();
        } catch (Exception | LinkageError e) {
            log.warn("event=policy_cache_unavailable reason=\"{}\"", message(e));
        }
    }

    /** Parses a Cedar entities JSON array; duplicates and unparsable data are refused with the reason. */
    static Map<EntityUID, Entity> parseEntities(String what, String json) throws PolicyDataException {
        Set<Entity> parsed;
        try {
            parsed = Entities.parse(json).getEntities();
        } catch (Exception e) {
            throw new PolicyDataException(what + ": not Cedar entity JSON (" + message(e)
                    + ") (expected: [{\"uid\":{\"type\":\"Bulwark::User\",\"id\":\"..\"},\"attrs\":{..},\"parents\":[..]}])", e);
        }
        Map<EntityUID, Entity> byUid = new LinkedHashMap<>();
        for (Entity entity : parsed) {
            if (byUid.put(entity.getEUID(), entity) != null) {
                throw new PolicyDataException(what + ": entity " + entity.getEUID() + " appears twice (expected: each uid once)");
            }
        }
        return byUid;
    }

    /** Validates {@code entities} against {@code schema} (attribute types, parent types, entity types). */
    static void validateEntities(AuthorizationEngine cedar, Schema schema, String what, Collection<Entity> entities)
            throws PolicyDataException {
        try {
            cedar.validateEntities(new EntityValidationRequest(schema, List.copyOf(entities)));
        } catch (AuthException e) {
            throw new PolicyDataException(what + ": does not match the schema (" + message(e) + ")", e);
        } catch (RuntimeException e) {
            throw new PolicyDataException(what + ": cannot be validated (" + message(e) + ")", e);
        }
    }

    private static void parse(String file, String text, Set<Policy> into, Set<String> ids, List<String> problems) {
        PolicySet parsed;
        try {
            parsed = PolicySet.parsePolicies(text);
        } catch (Exception e) {
            problems.add(file + ": " + message(e));
            return;
        }
        if (!parsed.templates.isEmpty()) {
            problems.add(file + ": templates are not supported (expected: static policies only)");
        }
        int n = 0;
        for (Policy policy : parsed.policies) {
            String id;
            try {
                String annotated = policy.getAnnotation("id");
                id = annotated == null || annotated.isBlank() ? file + "#" + n : annotated;
            } catch (Exception e) {
                id = file + "#" + n;
            }
            n++;
            if (!ids.add(id)) {
                problems.add(file + ": policy id " + id + " is used twice (expected: a unique @id per policy)");
                continue;
            }
            into.add(new Policy(policy.getSource(), id));
        }
    }

    static String message(Throwable e) {
        if (e instanceof com.cedarpolicy.model.exception.BadRequestException bad) {
            return String.join("; ", bad.getErrors());
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName()
                : message.replace("Internal error: ", "").replace("Internal JNI Error: ", "").replaceAll("\\s+", " ").strip();
    }

    private static String describe(DetailedError error) {
        return error.message + error.help.map(h -> " (" + h + ")").orElse("");
    }

    PolicySources sources() {
        return sources;
    }

    PolicySet policies() {
        return policies;
    }

    Schema schema() {
        return schema;
    }

    Map<EntityUID, Entity> entities() {
        return entities;
    }

    Instant loadedAt() {
        return loadedAt;
    }

    int policyCount() {
        return policies.policies.size();
    }
}
