package dev.bulwark.gateway.policy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.bulwark.gateway.context.CallerIdentity;
import dev.bulwark.policy.Actions;
import dev.bulwark.policy.PolicyRequest;
import dev.bulwark.securitykit.tls.SpiffeTls;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.util.UriUtils;

/**
 * Turns a request under the route into the policy question: the principal from the validated token
 * ({@code sub}, {@code client_id}, scopes, roles from a {@code roles} or {@code groups} claim), the
 * action from the method, the resource from the path ({@code /api/orders} → {@code Collection::"orders"},
 * {@code /api/orders/{id}[/..]} → {@code <resource-type>::"{id}"}) and the context (time, client IP of
 * the connection, SPIFFE ID of a client certificate, method, path).
 */
final class RequestMapper {

    /** What the filter does with a request. */
    sealed interface Mapped permits Ask, Outside, Refuse {
    }

    /** Ask the engine. */
    record Ask(PolicyRequest request) implements Mapped {
    }

    /** Not under the route: not the policy stage's business. */
    record Outside() implements Mapped {
    }

    /** Under the route, but no policy can allow it (a method without an action). */
    record Refuse(String reason) implements Mapped {
    }

    private final String routeId;
    private final String prefix;
    private final String resourceType;
    private final Clock clock;

    RequestMapper(String routeId, String prefix, String resourceType, Clock clock) {
        this.routeId = routeId;
        this.prefix = prefix;
        this.resourceType = resourceType;
        this.clock = clock;
    }

    Mapped map(ServerHttpRequest request, Authentication authentication) {
        String path = request.getPath().pathWithinApplication().value();
        PolicyRequest.Resource resource;
        if (path.equals(prefix) || path.equals(prefix + "/")) {
            resource = PolicyRequest.Resource.collection(routeId);
        } else if (path.startsWith(prefix + "/")) {
            String rest = path.substring(prefix.length() + 1);
            int slash = rest.indexOf('/');
            // decoded, as the upstream decodes it: /api/orders/o%2D1 is the order o-1, not an order the data does not know
            String id = UriUtils.decode(slash < 0 ? rest : rest.substring(0, slash), StandardCharsets.UTF_8);
            if (id.isEmpty()) {
                return new Refuse("path: " + path + " (expected: " + prefix + " or " + prefix + "/{id})");
            }
            resource = new PolicyRequest.Resource(resourceType, id, null);
        } else {
            return new Outside();
        }
        Optional<String> action = Actions.forHttpMethod(request.getMethod().name());
        if (action.isEmpty()) {
            return new Refuse("method: " + request.getMethod().name() + " (expected: GET, HEAD, POST, PUT, PATCH or DELETE)");
        }
        CallerIdentity caller = CallerIdentity.from(authentication);
        PolicyRequest.Principal principal = new PolicyRequest.Principal(caller.subject(), caller.clientId(),
                Set.copyOf(caller.scopes()), roles(authentication));
        return new Ask(new PolicyRequest(principal, action.get(), resource, context(request, path)));
    }

    private Map<String, Object> context(ServerHttpRequest request, String path) {
        Map<String, Object> context = new HashMap<>();
        context.put("time", clock.instant().getEpochSecond());
        InetSocketAddress remote = request.getRemoteAddress();
        context.put("client_ip", remote == null || remote.getAddress() == null ? "" : remote.getAddress().getHostAddress());
        String peer = mtlsPeer(request.getSslInfo());
        if (peer != null) {
            context.put("mtls_peer", peer);
        }
        context.put("method", request.getMethod().name());
        context.put("path", path);
        return context;
    }

    private static @Nullable String mtlsPeer(@Nullable SslInfo ssl) {
        X509Certificate[] chain = ssl == null ? null : ssl.getPeerCertificates();
        return chain == null || chain.length == 0 ? null : SpiffeTls.spiffeIdOf(chain[0]).orElse(null);
    }

    /** Roles from a {@code roles} claim, else {@code groups}: a JSON array of strings or a space-separated string. */
    static Set<String> roles(Authentication authentication) {
        Map<String, Object> claims = switch (authentication) {
            case JwtAuthenticationToken jwt -> jwt.getToken().getClaims();
            case BearerTokenAuthentication bearer -> bearer.getTokenAttributes();
            default -> Map.of();
        };
        Object value = claims.containsKey("roles") ? claims.get("roles") : claims.get("groups");
        Set<String> roles = new LinkedHashSet<>();
        if (value instanceof String text) {
            for (String role : text.trim().split("\\s+")) {
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            }
        } else if (value instanceof Collection<?> list) {
            list.forEach(role -> {
                if (role instanceof String text && !text.isBlank()) {
                    roles.add(text);
                }
            });
        }
        return Set.copyOf(roles);
    }
}
