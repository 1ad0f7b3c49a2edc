package dev.bulwark.sts.throttle;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.bulwark.securitykit.throttle.ClientIpResolver;
import dev.bulwark.securitykit.throttle.LimitSet;
import dev.bulwark.securitykit.throttle.Throttle;
import dev.bulwark.securitykit.throttle.ThrottleCheck;
import dev.bulwark.securitykit.throttle.ThrottleDecision;
import dev.bulwark.securitykit.throttle.ThrottleResult;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Throttles the grant endpoints per client address ({@code per-ip}, key {@code ip:<address>}), then per
 * claimed client ({@code per-client}, key {@code client:<client_id>}). Runs before Spring Security,
 * so a refused request never reaches client authentication. A refusal is 429 (503 if a shared backend
 * is down and fails closed) with {@code Retry-After}, the {@code RateLimit-*} headers and a fixed
 * problem body; allowed requests carry the {@code RateLimit-*} headers of the closest rule. The
 * throttle core counts every decision and logs each refusal ({@code event=throttled}, also on
 * {@code bulwark.audit}).
 */
final class StsThrottleFilter extends OncePerRequestFilter {

    static final String PER_IP = "per-ip";
    static final String PER_CLIENT = "per-client";

    private final Throttle throttle;
    private final ClientIpResolver ips;
    private final RequestMatcher endpoints;
    private final @Nullable LimitSet perIp;
    private final @Nullable LimitSet perClient;

    StsThrottleFilter(Throttle throttle, ClientIpResolver ips, RequestMatcher endpoints, @Nullable LimitSet perIp,
            @Nullable LimitSet perClient) {
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.ips = Objects.requireNonNull(ips, "ips");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.perIp = perIp;
        this.perClient = perClient;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !endpoints.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<ThrottleCheck> checks = new ArrayList<>(2);
        if (perIp != null) {
            checks.add(new ThrottleCheck(PER_IP, "ip:" + clientIp(request), perIp));
        }
        if (perClient != null) {
            String clientId = ClaimedClientId.of(request);
            if (clientId != null) {
                checks.add(new ThrottleCheck(PER_CLIENT, "client:" + clientId, perClient));
            }
        }
        ThrottleResult result = checks.isEmpty() ? ThrottleResult.NONE : throttle.check(checks);
        result.headers().forEach(response::setHeader);
        if (result.allowed()) {
            chain.doFilter(request, response);
            return;
        }
        refuse(response, result.outcome() == ThrottleDecision.Outcome.UNAVAILABLE
                ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.TOO_MANY_REQUESTS);
    }

    String clientIp(HttpServletRequest request) {
        InetAddress peer;
        try {
            // the container gives the peer as an address literal: no DNS lookup happens here
            peer = InetAddress.getByName(request.getRemoteAddr());
        } catch (UnknownHostException e) {
            return ClaimedClientId.printable(String.valueOf(request.getRemoteAddr()));
        }
        return ips.resolve(peer, headers(request, "Forwarded"), headers(request, "X-Forwarded-For"));
    }

    private static List<String> headers(HttpServletRequest request, String name) {
        return request.getHeaders(name) == null ? List.of() : Collections.list(request.getHeaders(name));
    }

    private static void refuse(HttpServletResponse response, HttpStatus status) throws IOException {
        response.setStatus(status.value());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        byte[] body = ("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
                + status.value() + "}").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
