package dev.bulwark.securitykit.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

class BodySizeLimitFilterTests {

    private final List<Exception> resolved = new ArrayList<>();

    private final HandlerExceptionResolver resolver = (request, response, handler, ex) -> {
        resolved.add(ex);
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        return new ModelAndView();
    };

    private final BodySizeLimitFilter filter = new BodySizeLimitFilter(8, resolver);

    @Test
    void doFilterWhenDeclaredLengthOverLimitThenRefusedWithoutReading() throws Exception {
        MockHttpServletRequest request = post("0123456789");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, response, chain);

        assertThat(chain.getRequest()).isNull();
        assertThat(response.getHeader("Connection")).isEqualTo("close");
        assertThat(resolved).singleElement()
            .isInstanceOfSatisfying(RequestBodyTooLargeException.class, ex -> assertThat(ex.limit()).isEqualTo(8));
    }

    @Test
    void doFilterWhenChunkedBodyGoesPastLimitThenRefused() throws Exception {
        MockHttpServletRequest request = chunked("0123456789");
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest()).isNull();
        assertThat(resolved).singleElement().isInstanceOf(RequestBodyTooLargeException.class);
    }

    @Test
    void doFilterWhenChunkedBodyWithinLimitThenHandedOnFromMemory() throws Exception {
        MockHttpServletRequest request = chunked("01234567");
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(resolved).isEmpty();
        assertThat(chain.getRequest()).isNotNull();
        assertThat(chain.getRequest().getContentLengthLong()).isEqualTo(8);
        assertThat(chain.getRequest().getInputStream().readAllBytes()).asString(StandardCharsets.UTF_8)
            .isEqualTo("01234567");
    }

    @Test
    void doFilterWhenNoBodyThenPassedThrough() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders");
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(resolved).isEmpty();
        assertThat(chain.getRequest()).isSameAs(request);
    }

    @Test
    void registrationWhenCreatedThenOrderedBeforeSpringSecurity() {
        assertThat(BodySizeLimitFilter.registration(8, resolver).getOrder()).isLessThan(-100);
    }

    private static MockHttpServletRequest post(String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/orders");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }

    private static MockHttpServletRequest chunked(String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/orders") {
            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        request.addHeader("Transfer-Encoding", "chunked");
        return request;
    }
}
