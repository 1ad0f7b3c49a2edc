package dev.bulwark.policy;

import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Builds the requests the tests ask. */
final class Requests {

    private Requests() {
    }

    static PolicyRequest.Principal user(String sub, String... scopes) {
        return new PolicyRequest.Principal(sub, "shop-web", Set.of(scopes), Set.of());
    }

    static PolicyRequest.Principal user(String sub, String clientId, Set<String> scopes, Set<String> roles) {
        return new PolicyRequest.Principal(sub, clientId, scopes, roles);
    }

    static PolicyRequest onCollection(PolicyRequest.Principal principal, String action) {
        return new PolicyRequest(principal, action, PolicyRequest.Resource.collection("orders"), Map.of());
    }

    static PolicyRequest onOrder(PolicyRequest.Principal principal, String action, String id, @Nullable String owner) {
        return new PolicyRequest(principal, action, PolicyRequest.Resource.order(id, owner),
                Map.of("method", "GET", "path", "/api/orders/" + id, "client_ip", "127.0.0.1"));
    }
}
