package dev.bulwark.securitykit.boot;

import java.util.Objects;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Fails start-up (closed) when {@code bulwark.workload.socket} is set but the application's web
 * server is not one this module configures (Tomcat for servlet apps, Reactor Netty for reactive
 * ones): it would otherwise serve without the SVID, perhaps in plain HTTP. The management server on
 * its own port is left as configured.
 */
final class WorkloadServerCheck implements ApplicationListener<WebServerInitializedEvent> {

    private final WorkloadTls tls;

    WorkloadServerCheck(WorkloadTls tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null && !tls.serving()) {
            throw new IllegalStateException("web server: " + event.getWebServer().getClass().getName()
                    + " (expected: Tomcat for a servlet application or Reactor Netty for a reactive one,"
                    + " to serve TLS from the SVID of bulwark.workload.socket)");
        }
    }
}
