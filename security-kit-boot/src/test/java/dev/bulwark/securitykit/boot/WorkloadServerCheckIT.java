package dev.bulwark.securitykit.boot;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.securitykit.tls.TestCa;
import dev.bulwark.securitykit.tls.SvidSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.support.GenericApplicationContext;

/** A web server this module cannot make serve the SVID (Tomcat under WebFlux) must not start at all. */
class WorkloadServerCheckIT {

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
            "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration",
            "org.springframework.boot.reactor.netty.autoconfigure.actuate.web.server.NettyReactiveManagementContextAutoConfiguration"})
    static class ReactiveOnTomcat {
    }

    @Test
    void reactiveAppOnTomcatFailsStartUpInsteadOfServingWithoutTheSvid() {
        SvidSupplier svids = TestCa.create("root").supplier("order");
        SpringApplicationBuilder app = new SpringApplicationBuilder(ReactiveOnTomcat.class)
                .web(WebApplicationType.REACTIVE)
                .initializers(context -> ((GenericApplicationContext) context).registerBean(SvidSupplier.class, () -> svids));

        assertThatThrownBy(() -> app.run("--server.port=0", "--spring.main.banner-mode=off",
                "--bulwark.workload.socket=/nonexistent/agent.sock", "--bulwark.workload.server.client-auth=none"))
                .rootCause()
                .hasMessageContaining("expected: Tomcat for a servlet application or Reactor Netty for a reactive one");
    }
}
