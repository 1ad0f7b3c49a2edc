package dev.bulwark.securitykit.boot;

import org.springframework.boot.WebApplicationType;

/** Reactor Netty serving the SVID. */
class ReactiveWorkloadTlsIT extends AbstractWorkloadTlsIT {

    @Override
    Class<?> application() {
        return ReactiveTestApp.class;
    }

    @Override
    WebApplicationType type() {
        return WebApplicationType.REACTIVE;
    }
}
