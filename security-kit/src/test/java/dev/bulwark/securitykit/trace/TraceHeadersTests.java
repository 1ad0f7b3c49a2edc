package dev.bulwark.securitykit.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TraceHeadersTests {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final TraceHeaders.Source source = header -> header.accept("traceparent", TRACEPARENT);

    @AfterEach
    void uninstall() {
        TraceHeaders.uninstall(source);
    }

    @Test
    void addToWhenNothingInstalledThenAddsNoHeader() {
        HttpRequest request = TraceHeaders.addTo(HttpRequest.newBuilder(URI.create("https://sts.test/oauth2/token"))).build();

        assertThat(request.headers().map()).isEmpty();
    }

    @Test
    void addToWhenSourceInstalledThenAddsTraceparent() {
        TraceHeaders.install(source);

        HttpRequest request = TraceHeaders.addTo(HttpRequest.newBuilder(URI.create("https://sts.test/oauth2/token"))).build();

        assertThat(request.headers().firstValue("traceparent")).hasValue(TRACEPARENT);
    }

    @Test
    void addToWhenCallerSetTraceparentThenCurrentSpanReplacesIt() {
        TraceHeaders.install(source);

        HttpRequest request = TraceHeaders.addTo(HttpRequest.newBuilder(URI.create("https://sts.test/oauth2/token"))
                .header("traceparent", "00-00000000000000000000000000000001-0000000000000001-01")).build();

        assertThat(request.headers().allValues("traceparent")).containsExactly(TRACEPARENT);
    }

    @Test
    void addToWhenSourceFailsThenRequestIsStillBuilt() {
        TraceHeaders.Source failing = header -> {
            throw new IllegalStateException("no tracer");
        };
        TraceHeaders.install(failing);
        try {
            HttpRequest request = TraceHeaders.addTo(HttpRequest.newBuilder(URI.create("https://sts.test/x"))).build();
            assertThat(request.headers().map()).isEmpty();
        } finally {
            TraceHeaders.uninstall(failing);
        }
    }

    @Test
    void uninstallWhenAnotherSourceWasInstalledLaterThenKeepsIt() {
        TraceHeaders.Source later = header -> header.accept("traceparent", TRACEPARENT);
        TraceHeaders.install(source);
        TraceHeaders.install(later);

        TraceHeaders.uninstall(source);

        assertThat(TraceHeaders.addTo(HttpRequest.newBuilder(URI.create("https://sts.test/x"))).build()
                .headers().firstValue("traceparent")).hasValue(TRACEPARENT);
        TraceHeaders.uninstall(later);
    }

    @Test
    void uninstallWhenTheLatestSourceGoesThenTheEarlierOneIsUsedAgain() {
        String other = "00-00000000000000000000000000000002-0000000000000002-01";
        TraceHeaders.Source later = header -> header.accept("traceparent", other);
        TraceHeaders.install(source);
        TraceHeaders.install(later);
        assertThat(TraceHeaders.addTo(HttpRequest.newBuilder(URI.create("https://sts.test/x"))).build()
                .headers().firstValue("traceparent")).hasValue(other);

        TraceHeaders.uninstall(later);

        assertThat(TraceHeaders.addTo(HttpRequest.newBuilder(URI.create("https://sts.test/x"))).build()
                .headers().firstValue("traceparent")).hasValue(TRACEPARENT);
    }
}
