package dev.bulwark.securitykit.boot;

import java.time.Clock;
import java.util.Objects;

import dev.bulwark.securitykit.tls.OcspCrlRevocationChecker;
import dev.bulwark.securitykit.tls.RevocationChecker;
import dev.bulwark.securitykit.tls.SvidSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Active when {@code bulwark.workload.socket} is set: the workload's {@link SvidSupplier} (the SPIFFE
 * Workload API, unless the application defines its own), {@link WorkloadTls}, the metrics, and the
 * web server's TLS (Tomcat or Reactor Netty, whichever runs).
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "bulwark.workload", name = "socket")
@EnableConfigurationProperties(WorkloadProperties.class)
public class WorkloadTlsAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WorkloadTlsAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    SvidSupplier workloadSvids(WorkloadProperties properties) {
        return WorkloadSvids.connect(Objects.requireNonNull(properties.socket(), "bulwark.workload.socket"),
                properties.firstSvidTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    TlsRefusals tlsRefusals() {
        return new TlsRefusals();
    }

    @Bean
    SvidMetrics svidMetrics(SvidSupplier svids) {
        return new SvidMetrics(svids, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    WorkloadTls workloadTls(SvidSupplier svids, WorkloadProperties properties, TlsRefusals refusals,
            ObjectProvider<RevocationChecker> revocation) {
        RevocationChecker checker = null;
        if (properties.revocation().enabled()) {
            checker = revocation.getIfAvailable(OcspCrlRevocationChecker::create);
        } else {
            log.warn("event=tls.revocation_disabled property=bulwark.workload.revocation.enabled");
        }
        return new WorkloadTls(svids, properties.server(), refusals, checker);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication
    @ConditionalOnClass(name = "org.springframework.boot.web.server.context.WebServerInitializedEvent")
    static class ServerCheckConfiguration {

        @Bean
        WorkloadServerCheck workloadServerCheck(WorkloadTls tls) {
            return new WorkloadServerCheck(tls);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = {"org.apache.catalina.startup.Tomcat",
            "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory"})
    static class TomcatConfiguration {

        @Bean
        TomcatWorkloadTlsCustomizer tomcatWorkloadTlsCustomizer(WorkloadTls tls) {
            return new TomcatWorkloadTlsCustomizer(tls);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = {"reactor.netty.http.server.HttpServer",
            "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory"})
    static class NettyConfiguration {

        @Bean
        NettyWorkloadTlsCustomizer nettyWorkloadTlsCustomizer(WorkloadTls tls) {
            return new NettyWorkloadTlsCustomizer(tls);
        }
    }
}
