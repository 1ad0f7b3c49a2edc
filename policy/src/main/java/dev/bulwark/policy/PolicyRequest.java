package dev.bulwark.policy;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One authorization question: may {@code principal} do {@code action} to {@code resource} in
 * {@code context}?
 *
 * @param principal the authenticated caller (from the access token)
 * @param action one of {@link Actions#READ}, {@link Actions#CREATE}, {@link Actions#UPDATE}, {@link Actions#CANCEL}
 * @param resource what the action is on
 * @param context facts about the request; keys the Cedar schema knows: {@code time} (epoch seconds, Long),
 *     {@code client_ip}, {@code mtls_peer} (SPIFFE ID), {@code method}, {@code path} (Strings). A missing
 *     {@code time} is now; a missing {@code client_ip}, {@code method} or {@code path} is {@code ""}.
 */
public record PolicyRequest(Principal principal, String action, Resource resource, Map<String, Object> context) {

    public PolicyRequest {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        context = Map.copyOf(Objects.requireNonNull(context, "context"));
    }

    /**
     * The caller.
     *
     * @param id the token's {@code sub}
     * @param clientId the token's {@code client_id} (the OAuth client the user came through)
     * @param scopes the token's scopes
     * @param roles roles from the token ({@code roles} or {@code groups} claim); the engine adds roles from its entity data
     */
    public record Principal(String id, String clientId, Set<String> scopes, Set<String> roles) {
        public Principal {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(clientId, "clientId");
            scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
            roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
        }
    }

    /**
     * The resource.
     *
     * @param type {@code Collection} or {@code Order}
     * @param id the collection name ({@code orders}) or the order ID
     * @param owner the {@code sub} of the owner when the caller knows it (the order service, from its
     *     database); {@code null} → the engine's entity data, and no owner when the data has none
     */
    public record Resource(String type, String id, @Nullable String owner) {
        public Resource {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(id, "id");
        }

        /** The collection {@code id}, e.g. {@code orders}. */
        public static Resource collection(String id) {
            return new Resource("Collection", id, null);
        }

        /** The order {@code id}, owned by {@code owner} when known. */
        public static Resource order(String id, @Nullable String owner) {
            return new Resource("Order", id, owner);
        }
    }
}
