package dev.bulwark.inventory.web;

import java.util.Map;

import dev.bulwark.inventory.stock.InsufficientStockException;
import dev.bulwark.inventory.stock.InvalidRequestException;
import dev.bulwark.inventory.stock.NotFoundException;
import dev.bulwark.securitykit.boot.web.AbstractApiErrorHandler;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one renderer of API errors: security-kit-boot's {@link AbstractApiErrorHandler} (RFC 9457 problem details,
 * RFC 6750 challenges, fixed texts only) plus the inventory service's own failures.
 */
@RestControllerAdvice
class ApiErrorHandler extends AbstractApiErrorHandler {

    ApiErrorHandler() {
        super("inventory:read", "inventory:write");
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException ex) {
        String detail = ex.kind() == NotFoundException.Kind.ITEM ? "No such item." : "No such reservation.";
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem(HttpStatus.NOT_FOUND, detail));
    }

    @ExceptionHandler(InsufficientStockException.class)
    ResponseEntity<ProblemDetail> insufficientStock(InsufficientStockException ex) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT,
                "Item " + ex.code() + " is unknown or short of stock; nothing was reserved.");
        problem.setTitle("Insufficient stock");
        problem.setProperty("code", ex.code());
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException ex) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "The request has invalid fields.");
        problem.setProperty("errors", ex.problems()
            .stream()
            .map(p -> Map.of("field", field(p.field()), "message", p.message()))
            .toList());
        return ResponseEntity.badRequest().body(problem);
    }
}
