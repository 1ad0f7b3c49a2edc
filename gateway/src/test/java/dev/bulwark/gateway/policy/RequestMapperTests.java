package dev.bulwark.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import dev.bulwark.policy.PolicyRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

class RequestMapperTests {

    private final RequestMapper mapper = new RequestMapper("orders", "/api/orders", "Order",
            Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC));

    @Test
    void prefixIsTheCollection() {
        PolicyRequest request = ask(withRemote(MockServerHttpRequest.get("/api/orders")), token(Map.of()));
        assertThat(request.resource()).isEqualTo(PolicyRequest.Resource.collection("orders"));
        assertThat(request.action()).isEqualTo("read");
        assertThat(request.principal().id()).isEqualTo("peter");
        assertThat(request.principal().clientId()).isEqualTo("web");
        assertThat(request.principal().scopes()).containsExactly("orders:read");
        assertThat(request.context()).containsEntry("time", 1_800_000_000L).containsEntry("method", "GET")
                .containsEntry("path", "/api/orders").containsEntry("client_ip", "10.1.2.3").doesNotContainKey("mtls_peer");
    }

    @Test
    void itemAndItsSubPathsAreTheItem() {
        assertThat(ask(MockServerHttpRequest.delete("/api/orders/o-9/items/3").build(), token(Map.of())).resource())
                .isEqualTo(new PolicyRequest.Resource("Order", "o-9", null));
        assertThat(ask(MockServerHttpRequest.delete("/api/orders/o-9").build(), token(Map.of())).action()).isEqualTo("cancel");
        assertThat(ask(MockServerHttpRequest.post("/api/orders").build(), token(Map.of())).action()).isEqualTo("create");
        assertThat(ask(MockServerHttpRequest.patch("/api/orders/o-9").build(), token(Map.of())).action()).isEqualTo("update");
    }

    @Test
    void percentEncodedIdIsTheDecodedId() {
        assertThat(ask(MockServerHttpRequest.method(org.springframework.http.HttpMethod.GET, java.net.URI.create("/api/orders/o%2D1")).build(), token(Map.of())).resource().id()).isEqualTo("o-1");
    }

    @Test
    void pathsOutsideThePrefixAreOutside() {
        assertThat(mapper.map(MockServerHttpRequest.get("/api/ordersX").build(), token(Map.of())))
                .isInstanceOf(RequestMapper.Outside.class);
        assertThat(mapper.map(MockServerHttpRequest.get("/other").build(), token(Map.of()))).isInstanceOf(RequestMapper.Outside.class);
    }

    @Test
    void methodWithoutAnActionIsRefused() {
        assertThat(mapper.map(MockServerHttpRequest.options("/api/orders").build(), token(Map.of())))
                .isInstanceOf(RequestMapper.Refuse.class);
        assertThat(ask(MockServerHttpRequest.get("/api/orders/").build(), token(Map.of())).resource())
                .isEqualTo(PolicyRequest.Resource.collection("orders"));
    }

    @Test
    void rolesComeFromRolesElseGroups() {
        assertThat(RequestMapper.roles(token(Map.of("roles", List.of("ops", "audit"))))).containsExactlyInAnyOrder("ops", "audit");
        assertThat(RequestMapper.roles(token(Map.of("groups", "ops  support")))).containsExactlyInAnyOrder("ops", "support");
        assertThat(RequestMapper.roles(token(Map.of("roles", List.of(42, "ops"))))).containsExactly("ops");
        assertThat(RequestMapper.roles(token(Map.of()))).isEmpty();
    }

    private PolicyRequest ask(MockServerHttpRequest request, Authentication authentication) {
        RequestMapper.Mapped mapped = mapper.map(request, authentication);
        assertThat(mapped).isInstanceOf(RequestMapper.Ask.class);
        return ((RequestMapper.Ask) mapped).request();
    }

    private static Authentication token(Map<String, Object> extra) {
        Jwt.Builder jwt = Jwt.withTokenValue("t").header("alg", "ES256").subject("peter").claim("client_id", "web")
                .claim("scope", "orders:read");
        extra.forEach(jwt::claim);
        return new JwtAuthenticationToken(jwt.build(), List.of(new SimpleGrantedAuthority("SCOPE_orders:read")));
    }

    private static MockServerHttpRequest withRemote(MockServerHttpRequest.BaseBuilder<?> builder) {
        return builder.remoteAddress(new InetSocketAddress("10.1.2.3", 40000)).build();
    }
}
