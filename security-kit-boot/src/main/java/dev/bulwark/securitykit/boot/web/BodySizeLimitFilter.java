package dev.bulwark.securitykit.boot.web;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses request bodies larger than the limit with 413 before anything parses them: a declared
 * {@code Content-Length} over the limit is refused without reading; a body of unknown length (chunked) is read
 * up to limit + 1 bytes and refused if it goes past the limit. The accepted body is handed on from memory.
 * The refusal is a {@link RequestBodyTooLargeException} handed to the {@link HandlerExceptionResolver}, so the
 * application's one error renderer writes the response (413, RFC 9110 §15.5.14).
 */
public final class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long limit;
    private final HandlerExceptionResolver resolver;

    /**
     * @param limit the largest body accepted, in bytes
     * @param resolver the MVC exception resolver ({@code handlerExceptionResolver}) that renders the refusal
     */
    public BodySizeLimitFilter(long limit, HandlerExceptionResolver resolver) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0)");
        }
        this.limit = limit;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * The filter registered before Spring Security's chain (order -100): an oversized body is refused before
     * anything else looks at it.
     */
    public static FilterRegistrationBean<BodySizeLimitFilter> registration(long limit,
            HandlerExceptionResolver resolver) {
        var registration = new FilterRegistrationBean<>(new BodySizeLimitFilter(limit, resolver));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            reject(request, response);
            return;
        }
        if (declared == 0 || (declared < 0 && !hasBody(request))) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), limit + 1);
        if (body.length > limit) {
            reject(request, response);
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getHeader("Transfer-Encoding") != null;
    }

    private void reject(HttpServletRequest request, HttpServletResponse response) {
        // the unread body is not drained: Tomcat closes the connection after the response
        response.setHeader("Connection", "close");
        resolver.resolveException(request, response, null, new RequestBodyTooLargeException(limit));
    }

    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        return in.readNBytes((int) Math.min(max, Integer.MAX_VALUE));
    }

    private static final class CachedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            return new CachedInputStream(new ByteArrayInputStream(body));
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.UTF_8;
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }

    private static final class CachedInputStream extends ServletInputStream {

        private final ByteArrayInputStream in;

        CachedInputStream(ByteArrayInputStream in) {
            this.in = in;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(@Nullable ReadListener listener) {
            throw new UnsupportedOperationException("synchronous body only");
        }
    }
}
