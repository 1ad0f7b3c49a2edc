package dev.bulwark.securitykit.boot;

import java.nio.file.Path;
import java.time.Duration;

import dev.bulwark.securitykit.tls.SvidSupplier;
import dev.bulwark.securitykit.workload.WorkloadApiSvids;

/** The one place that makes the production {@link SvidSupplier}: the SPIFFE Workload API client. */
final class WorkloadSvids {

    private WorkloadSvids() {
    }

    /** Connects to the Workload API at {@code socket} and waits up to {@code firstSvidTimeout} for an SVID. */
    static SvidSupplier connect(Path socket, Duration firstSvidTimeout) {
        return WorkloadApiSvids.connect(socket, firstSvidTimeout);
    }
}
