package dev.bulwark.securitykit.boot.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The common part of a resource service's one renderer of API errors: RFC 9457 problem details
 * ({@code type} {@code about:blank}) for rejected input, RFC 6750 §3 challenges for authentication (401,
 * {@code invalid_token} when a token was presented, a bare {@code Bearer} otherwise, §3.1) and scope (403,
 * {@code insufficient_scope}) failures, 413 for a body refused by {@link BodySizeLimitFilter}, 400 for unreadable
 * or invalid bodies, Spring MVC's own exceptions with their status and headers, and 500 for anything else. Bodies
 * carry fixed texts and field paths only: no exception message, class name, value or SQL reaches a client.
 *
 * <p>A service subclasses it as its {@code @RestControllerAdvice}, names its read and write scopes, and adds
 * {@code @ExceptionHandler}s for its own exceptions, built with {@link #problem(HttpStatus, String)}. Spring
 * Security's entry point and access-denied handler must hand their exceptions to the
 * {@code handlerExceptionResolver} (see {@link ApiSecurity#apiChain}). Events are logged to the subclass's
 * logger: {@code event=authentication_failed}, {@code event=access_denied} at INFO, {@code event=internal_error}
 * at ERROR.
 */
public abstract class AbstractApiErrorHandler extends ResponseEntityExceptionHandler {

    private static final int MAX_FIELD_LENGTH = 64;

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String readScope;
    private final String writeScope;

    /**
     * @param readScope the scope a {@code GET} requires, named in a 403 (e.g. {@code orders:read})
     * @param writeScope the scope any other method requires (e.g. {@code orders:write})
     */
    protected AbstractApiErrorHandler(String readScope, String writeScope) {
        this.readScope = Objects.requireNonNull(readScope, "readScope");
        this.writeScope = Objects.requireNonNull(writeScope, "writeScope");
    }

    @ExceptionHandler(AuthenticationException.class)
    protected ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException ex, HttpServletRequest request) {
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
    protected ResponseEntity<ProblemDetail> forbidden(AccessDeniedException ex, HttpServletRequest request) {
        String scope = HttpMethod.GET.matches(request.getMethod()) ? readScope : writeScope;
        log.info("event=access_denied method={} required_scope={}", request.getMethod(), scope);
        ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "The token lacks the scope " + scope + ".");
        return ResponseEntity.status(HttpStatus.FORBIDDEN)
            .header(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer error=\"insufficient_scope\", error_description=\"The request requires higher privileges"
                            + " than provided by the access token\", scope=\"" + scope + "\"")
            .body(problem);
    }

    @ExceptionHandler(RequestBodyTooLargeException.class)
    protected ResponseEntity<ProblemDetail> tooLarge(RequestBodyTooLargeException ex) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
            .body(problem(HttpStatus.CONTENT_TOO_LARGE,
                    "The request body is larger than " + ex.limit() + " bytes."));
    }

    @ExceptionHandler(Exception.class)
    protected ResponseEntity<ProblemDetail> internal(Exception ex) {
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
            .map(AbstractApiErrorHandler::fieldError)
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

    /** An RFC 9457 problem of type {@code about:blank} with this status and a fixed detail text. */
    protected static ProblemDetail problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("about:blank"));
        return problem;
    }

    /** A field path as it may go into a body: at most 64 characters, longer ones cut and marked {@code ...}. */
    protected static String field(String path) {
        return path.length() <= MAX_FIELD_LENGTH ? path : path.substring(0, MAX_FIELD_LENGTH) + "...";
    }

    private static Map<String, String> fieldError(FieldError error) {
        String message = error.getDefaultMessage();
        return Map.of("field", field(error.getField()), "message", message != null ? message : "invalid value");
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
        return field(path.toString());
    }

    private static <T extends Throwable> @Nullable T cause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
