package dev.bulwark.gateway.error;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * An upstream the gateway could not reach, or whose TLS identity it refused (wrong SPIFFE ID, bad
 * chain, revoked), is a 502 Bad Gateway with a fixed problem body, not Spring's default 500 with
 * internals. The reason goes to the log as {@code event=gateway.upstream_failed}.
 */
public final class UpstreamFailureHandler implements WebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(UpstreamFailureHandler.class);
    private static final byte[] BODY = """
            {"type":"about:blank","title":"Bad Gateway","status":502}""".getBytes(StandardCharsets.UTF_8);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        String reason = reason(failure);
        ServerHttpResponse response = exchange.getResponse();
        if (reason == null || response.isCommitted()) {
            return Mono.error(failure);
        }
        log.warn("event=gateway.upstream_failed reason={} path={} detail={}", reason,
                exchange.getRequest().getPath().value(), failure.getMessage());
        response.setStatusCode(HttpStatus.BAD_GATEWAY);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(BODY)));
    }

    /** {@code tls} or {@code connect} when the failure (or a cause) is one, else null. */
    static @Nullable String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return "tls";
            }
            if (t instanceof ConnectException) {
                return "connect";
            }
        }
        return null;
    }

    /** Before Spring Boot's default handler (order -1). */
    @Override
    public int getOrder() {
        return -2;
    }
}
