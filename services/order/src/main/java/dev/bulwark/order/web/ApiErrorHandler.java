package dev.bulwark.order.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.bulwark.order.downstream.DownstreamException;
import dev.bulwark.order.inventory.InsufficientStockException;
import dev.bulwark.order.order.OrderNotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one renderer of API errors: RFC 9457 problem details for rejected input, RFC 6750 challenges for
 * authentication (401) and scope (403) failures. Bodies carry fixed texts and field paths only: no exception
 * message, class name, value or SQL reaches a client.
 */
@RestControllerAdvice
class ApiErrorHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);
    private static final int MAX_FIELD_LENGTH = 64;

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException ex, HttpServletRequest request) {
        boolean tokenPresented = ex instanceof OAuth2AuthenticationException
                || request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        log.info("event=authentication_failed method={} token_presented={} reason={}", request.getMethod(),
                tokenPresented, ex.getClass().getSimpleName());
        // RFC 6750 §3.1: a request without any credential gets a bare challenge, a bad token gets invalid_token
        String challenge = tokenPresented ? "Bearer error=\"invalid_token\", error_description=\"The access token is invalid\""
                : "Bearer";
        ProblemDetail problem = problem(HttpStatus.UNAUTHORIZED, "A valid bearer token is required.");
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
            .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
            .body(problem);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> forbidden(AccessDeniedException ex, HttpServletRequest request) {
        String scope = HttpMethod.GET.matches(request.getMethod()) ? "orders:read" : "orders:write";
        log.info("event=access_denied method={} required_scope={}", request.getMethod(), scope);
        ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "The token lacks the scope " + scope + ".");
        return ResponseEntity.status(HttpStatus.FORBIDDEN)
            .header(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer error=\"insufficient_scope\", error_description=\"The request requires higher privileges"
                            + " than provided by the access token\", scope=\"" + scope + "\"")
            .body(problem);
    }

    @ExceptionHandler(OrderNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem(HttpStatus.NOT_FOUND, "No such order."));
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

    @ExceptionHandler(RequestBodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(RequestBodyTooLargeException ex) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
            .body(problem(HttpStatus.CONTENT_TOO_LARGE,
                    "The request body is larger than " + ex.limit() + " bytes."));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> internal(Exception ex) {
        log.error("event=internal_error", ex);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
            .body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "The request could not be processed."));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult()
            .getFieldErrors()
            .stream()
            .map(ApiErrorHandler::fieldError)
            .toList();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "The request has invalid fields.");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        JacksonException jackson = cause(ex, JacksonException.class);
        ProblemDetail problem;
        if (jackson instanceof UnrecognizedPropertyException) {
            problem = problem(HttpStatus.BAD_REQUEST, "The request has unknown fields.");
            problem.setProperty("errors", List.of(Map.of("field", path(jackson), "message", "unknown field")));
        }
        else if (jackson != null && !jackson.getPath().isEmpty()) {
            problem = problem(HttpStatus.BAD_REQUEST, "The request has invalid fields.");
            problem.setProperty("errors", List.of(Map.of("field", path(jackson), "message", "invalid value")));
        }
        else {
            problem = problem(HttpStatus.BAD_REQUEST, "The request body is not valid JSON.");
        }
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        // Spring's own MVC exceptions (405, 406, 415, 404 for unknown paths, ...): keep status and headers,
        // replace the body with a fixed text
        HttpStatus status = HttpStatus.resolve(statusCode.value());
        ProblemDetail problem = problem(status != null ? status : HttpStatus.BAD_REQUEST,
                status != null ? status.getReasonPhrase() + "." : "The request was refused.");
        return ResponseEntity.status(statusCode).headers(headers).body(problem);
    }

    private static Map<String, String> fieldError(FieldError error) {
        String message = error.getDefaultMessage();
        return Map.of("field", truncate(error.getField()), "message", message != null ? message : "invalid value");
    }

    private static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return truncate(path.toString());
    }

    private static String truncate(String field) {
        return field.length() <= MAX_FIELD_LENGTH ? field : field.substring(0, MAX_FIELD_LENGTH) + "...";
    }

    private static <T extends Throwable> @Nullable T cause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static ProblemDetail problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("about:blank"));
        return problem;
    }
}
