package dev.bulwark.securitykit.boot;

import org.springframework.boot.WebApplicationType;

/** Tomcat serving the SVID. */
class ServletWorkloadTlsIT extends AbstractWorkloadTlsIT {

    @Override
    Class<?> application() {
        return ServletTestApp.class;
    }

    @Override
    WebApplicationType type() {
        return WebApplicationType.SERVLET;
    }
}
