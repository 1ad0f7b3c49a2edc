package dev.bulwark.securitykit.boot.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

class AbstractApiErrorHandlerTests {

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new FailingController())
        .setControllerAdvice(new TestHandler())
        .build();

    @Test
    void unauthenticatedWhenNoTokenThenBareChallenge() throws Exception {
        mvc.perform(get("/unauthenticated"))
            .andExpect(status().isUnauthorized())
            .andExpect(header().string("WWW-Authenticate", "Bearer"))
            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(jsonPath("$.type").value("about:blank"))
            .andExpect(jsonPath("$.detail").value("A valid bearer token is required."));
    }

    @Test
    void unauthenticatedWhenTokenPresentedThenInvalidToken() throws Exception {
        mvc.perform(get("/unauthenticated").header("Authorization", "Bearer x"))
            .andExpect(status().isUnauthorized())
            .andExpect(header().string("WWW-Authenticate",
                    "Bearer error=\"invalid_token\", error_description=\"The access token is invalid\""));
    }

    @Test
    void forbiddenWhenWriteThenWriteScopeNamed() throws Exception {
        mvc.perform(post("/forbidden"))
            .andExpect(status().isForbidden())
            .andExpect(header().string("WWW-Authenticate", containsString("scope=\"t:write\"")))
            .andExpect(jsonPath("$.detail").value("The token lacks the scope t:write."));
        mvc.perform(get("/forbidden"))
            .andExpect(jsonPath("$.detail").value("The token lacks the scope t:read."));
    }

    @Test
    void tooLargeThen413WithLimit() throws Exception {
        mvc.perform(get("/too-large"))
            .andExpect(status().isPayloadTooLarge())
            .andExpect(jsonPath("$.detail").value("The request body is larger than 16 bytes."));
    }

    @Test
    void internalWhenUnexpectedExceptionThenNothingLeaks() throws Exception {
        mvc.perform(get("/internal"))
            .andExpect(status().isInternalServerError())
            .andExpect(jsonPath("$.detail").value("The request could not be processed."))
            .andExpect(content().string(not(containsString("secret"))));
    }

    @Test
    void unreadableBodyWhenNotJsonThenFixedText() throws Exception {
        mvc.perform(post("/echo").contentType(MediaType.APPLICATION_JSON).content("{not json"))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.detail").value("The request body is not valid JSON."));
    }

    @Test
    void springMvcExceptionWhenMethodNotAllowedThenStatusKeptAndFixedText() throws Exception {
        mvc.perform(post("/internal"))
            .andExpect(status().isMethodNotAllowed())
            .andExpect(header().exists("Allow"))
            .andExpect(jsonPath("$.detail").value("Method Not Allowed."));
    }

    @RestControllerAdvice
    static final class TestHandler extends AbstractApiErrorHandler {

        TestHandler() {
            super("t:read", "t:write");
        }
    }

    @RestController
    static final class FailingController {

        @GetMapping("/unauthenticated")
        String unauthenticated() {
            throw new BadCredentialsException("secret");
        }

        @GetMapping("/forbidden")
        String forbiddenRead() {
            throw new AccessDeniedException("secret");
        }

        @PostMapping("/forbidden")
        String forbiddenWrite() {
            throw new AccessDeniedException("secret");
        }

        @GetMapping("/too-large")
        String tooLarge() {
            throw new RequestBodyTooLargeException(16);
        }

        @GetMapping("/internal")
        String internal() {
            throw new IllegalStateException("secret");
        }

        @PostMapping("/echo")
        Map<String, Object> echo(@RequestBody Map<String, Object> body) {
            return body;
        }
    }
}
