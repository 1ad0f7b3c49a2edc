package dev.bulwark.delivery.web;

import dev.bulwark.delivery.delivery.DeliveryNotFoundException;
import dev.bulwark.securitykit.boot.web.AbstractApiErrorHandler;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one renderer of API errors: security-kit-boot's {@link AbstractApiErrorHandler} (RFC 9457 problem details,
 * RFC 6750 challenges, fixed texts only) plus the delivery service's own failures.
 */
@RestControllerAdvice
class ApiErrorHandler extends AbstractApiErrorHandler {

    ApiErrorHandler() {
        super("delivery:read", "delivery:write");
    }

    @ExceptionHandler(DeliveryNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem(HttpStatus.NOT_FOUND, "No such delivery."));
    }
}
