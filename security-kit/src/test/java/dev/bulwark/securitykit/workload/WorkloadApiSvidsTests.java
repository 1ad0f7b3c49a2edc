package dev.bulwark.securitykit.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.securitykit.tls.Svid;
import dev.bulwark.securitykit.tls.TestCa;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.bundle.x509bundle.X509BundleSet;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.workloadapi.X509Context;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadApiSvidsTests {

    private final TestCa ecomm = TestCa.create("ecomm");
    private final TestCa logistics = TestCa.create("logistics");

    @Test
    void federatedBundlesWhenTheResponseHoldsOtherDomainsThenKeyedByNameWithoutTheOwnDomain() throws Exception {
        X509Context context = X509Context.of(List.of(svid(ecomm.issue("order"))), X509BundleSet.of(List.of(
                new X509Bundle(TrustDomain.parse("ecomm.local"), Set.of(ecomm.root())),
                new X509Bundle(TrustDomain.parse("logistics.local"), Set.of(logistics.root())),
                new X509Bundle(TrustDomain.parse("empty.local"), Set.of()))));

        assertThat(WorkloadApiSvids.federatedBundles(context))
                .containsExactlyEntriesOf(Map.of("logistics.local", List.of(logistics.root())));
    }

    @Test
    void federatedBundlesWhenOnlyTheOwnDomainThenEmpty() throws Exception {
        X509Context context = X509Context.of(List.of(svid(ecomm.issue("order"))),
                X509BundleSet.of(List.of(new X509Bundle(TrustDomain.parse("ecomm.local"), Set.of(ecomm.root())))));

        assertThat(WorkloadApiSvids.federatedBundles(context)).isEmpty();
    }

    private static X509Svid svid(Svid svid) throws Exception {
        return X509Svid.parseRaw(svid.leaf().getEncoded(), svid.privateKey().getEncoded());
    }
}
