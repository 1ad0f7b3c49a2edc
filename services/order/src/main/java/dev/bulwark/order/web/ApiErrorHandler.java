package dev.bulwark.order.web;

import dev.bulwark.order.downstream.DownstreamException;
import dev.bulwark.order.inventory.InsufficientStockException;
import dev.bulwark.order.order.OrderAccessDeniedException;
import dev.bulwark.order.order.OrderNotFoundException;
import dev.bulwark.order.order.PolicyUnavailableException;
import dev.bulwark.securitykit.boot.web.AbstractApiErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one renderer of API errors: security-kit-boot's {@link AbstractApiErrorHandler} (RFC 9457 problem details,
 * RFC 6750 challenges, fixed texts only) plus the order service's own failures.
 */
@RestControllerAdvice
class ApiErrorHandler extends AbstractApiErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    ApiErrorHandler() {
        super("orders:read", "orders:write");
    }

    @ExceptionHandler(OrderNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem(HttpStatus.NOT_FOUND, "No such order."));
    }

    @ExceptionHandler(OrderAccessDeniedException.class)
    ResponseEntity<ProblemDetail> accessDenied(OrderAccessDeniedException ex) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN)
            .header("Bulwark-Decision-Id", ex.decisionId())
            .body(problem(HttpStatus.FORBIDDEN, "Denied by policy."));
    }

    @ExceptionHandler(PolicyUnavailableException.class)
    ResponseEntity<ProblemDetail> policyUnavailable() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header("Retry-After", "5")
            .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "The policy decision is unavailable; nothing was done."));
    }

    @ExceptionHandler(InsufficientStockException.class)
    ResponseEntity<ProblemDetail> insufficientStock() {
        ProblemDetail problem = problem(HttpStatus.CONFLICT,
                "At least one item is not available in the requested quantity; the order was not placed.");
        problem.setTitle("Insufficient stock");
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    @ExceptionHandler(DownstreamException.class)
    ResponseEntity<ProblemDetail> downstreamFailed(DownstreamException ex) {
        // the cause's class only: an exception message of a TLS or HTTP failure may carry peer details
        Throwable cause = ex.getCause();
        log.warn("event=downstream_failed component={} step={} reason={} cause={}", ex.component(), ex.step(),
                ex.reason(), cause != null ? cause.getClass().getSimpleName() : "none");
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
            .body(problem(HttpStatus.BAD_GATEWAY, "A service the order depends on failed; the order was not placed."));
    }
}
