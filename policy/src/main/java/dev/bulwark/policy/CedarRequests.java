package dev.bulwark.policy;

import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.value.CedarList;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.Value;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link PolicyRequest} into a Cedar request in the {@code Bulwark} namespace plus the entities
 * it needs: the principal ({@code User}, with its client, scopes and roles), the client, the resource,
 * and the ancestors of all three from the entity data. Only those entities are sent to Cedar, so a
 * large pushed entity set does not slow every decision down.
 */
final class CedarRequests {

    static final EntityTypeName USER = type("Bulwark::User");
    static final EntityTypeName ROLE = type("Bulwark::Role");
    static final EntityTypeName CLIENT = type("Bulwark::Client");
    static final EntityTypeName COLLECTION = type("Bulwark::Collection");
    static final EntityTypeName ORDER = type("Bulwark::Order");
    static final EntityTypeName ACTION = type("Bulwark::Action");
    static final String ORDERS_COLLECTION = "orders";
    private static final Set<String> ACTIONS = Set.of(Actions.READ, Actions.CREATE, Actions.UPDATE, Actions.CANCEL);
    private static final Set<String> STRING_CONTEXT = Set.of("client_ip", "mtls_peer", "method", "path");

    /** A request ready for Cedar. */
    record Prepared(AuthorizationRequest request, Set<Entity> entities) {
    }

    private CedarRequests() {
    }

    /** {@code Order::"42"}: the resource as the decision log names it. */
    static String label(PolicyRequest.Resource resource) {
        return resource.type() + "::\"" + resource.id() + "\"";
    }

    static Prepared prepare(PolicyRequest request, Map<EntityUID, Entity> data, long nowEpochSeconds) throws PolicyDataException {
        if (!ACTIONS.contains(request.action())) {
            throw new PolicyDataException("action: " + request.action() + " (expected: one of read, create, update, cancel)");
        }
        PolicyRequest.Principal caller = request.principal();
        EntityUID clientUid = CLIENT.of(caller.clientId());
        EntityUID userUid = USER.of(caller.id());

        Set<EntityUID> userParents = new LinkedHashSet<>();
        Entity knownUser = data.get(userUid);
        if (knownUser != null) {
            userParents.addAll(knownUser.getParents());
        }
        caller.roles().forEach(role -> userParents.add(ROLE.of(role)));
        Map<String, Value> userAttrs = new HashMap<>();
        userAttrs.put("client", clientUid);
        userAttrs.put("scopes", new CedarList(caller.scopes().stream().sorted().<Value>map(PrimString::new).toList()));
        Entity user = new Entity(userUid, userAttrs, userParents);

        Entity client = data.getOrDefault(clientUid, new Entity(clientUid));
        Entity resource = resource(request.resource(), data);

        Map<EntityUID, Entity> entities = new HashMap<>();
        entities.put(userUid, user);
        entities.put(clientUid, client);
        entities.put(resource.getEUID(), resource);
        addAncestors(List.of(user, client, resource), data, entities);

        AuthorizationRequest cedarRequest = new AuthorizationRequest(userUid, ACTION.of(request.action()), resource.getEUID(),
                context(request.context(), nowEpochSeconds));
        return new Prepared(cedarRequest, new HashSet<>(entities.values()));
    }

    private static Entity resource(PolicyRequest.Resource resource, Map<EntityUID, Entity> data) throws PolicyDataException {
        switch (resource.type()) {
            case "Collection" -> {
                EntityUID uid = COLLECTION.of(resource.id());
                return data.getOrDefault(uid, new Entity(uid));
            }
            case "Order" -> {
                EntityUID uid = ORDER.of(resource.id());
                Entity known = data.get(uid);
                Set<EntityUID> parents = new LinkedHashSet<>();
                parents.add(COLLECTION.of(ORDERS_COLLECTION));
                Map<String, Value> attrs = new HashMap<>();
                if (known != null) {
                    parents.addAll(known.getParents());
                    attrs.putAll(known.attrs);
                }
                if (resource.owner() != null) {
                    attrs.put("owner", USER.of(resource.owner()));
                }
                return new Entity(uid, attrs, parents);
            }
            default -> throw new PolicyDataException("resource type: " + resource.type() + " (expected: Collection or Order)");
        }
    }

    private static void addAncestors(List<Entity> from, Map<EntityUID, Entity> data, Map<EntityUID, Entity> into) {
        Deque<EntityUID> pending = new ArrayDeque<>();
        from.forEach(entity -> pending.addAll(entity.getParents()));
        while (!pending.isEmpty()) {
            EntityUID uid = pending.pop();
            if (into.containsKey(uid)) {
                continue;
            }
            Entity known = data.get(uid);
            if (known != null) {
                into.put(uid, known);
                pending.addAll(known.getParents());
            }
        }
    }

    private static Map<String, Value> context(Map<String, Object> context, long nowEpochSeconds) throws PolicyDataException {
        Map<String, Value> values = new HashMap<>();
        values.put("time", new PrimLong(nowEpochSeconds));
        values.put("client_ip", new PrimString(""));
        values.put("method", new PrimString(""));
        values.put("path", new PrimString(""));
        for (Map.Entry<String, Object> entry : context.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            if (key.equals("time")) {
                if (!(value instanceof Long || value instanceof Integer)) {
                    throw new PolicyDataException("context time: " + value + " (expected: epoch seconds as a Long)");
                }
                values.put(key, new PrimLong(((Number) value).longValue()));
            } else if (STRING_CONTEXT.contains(key)) {
                if (!(value instanceof String text)) {
                    throw new PolicyDataException("context " + key + ": " + value + " (expected: a String)");
                }
                values.put(key, new PrimString(text));
            } else {
                throw new PolicyDataException("context key: " + key + " (expected: time, client_ip, mtls_peer, method or path)");
            }
        }
        return values;
    }

    private static EntityTypeName type(String name) {
        return EntityTypeName.parse(name).orElseThrow(() -> new IllegalStateException("entity type: " + name));
    }
}
