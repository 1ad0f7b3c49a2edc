package dev.bulwark.bench;

import dev.bulwark.identity.ca.WorkloadCa;
import dev.bulwark.identity.ca.WorkloadCaSettings;
import dev.bulwark.identity.ca.X509Svid;
import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.securitykit.crypto.CryptoProviders;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time for the workload CA to issue an X.509-SVID from a CSR: CSR signature check, certificate
 * build and ECDSA signature by the intermediate. {@code provider=accp} installs ACCP first, as the
 * components do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SvidIssuanceBenchmark {

    @Param({"accp", "jdk"})
    public String provider;

    private WorkloadCa ca;
    private PKCS10CertificationRequest csr;
    private SpiffeId spiffeId;

    @Setup
    public void setUp() throws Exception {
        if (provider.equals("accp")) {
            CryptoProviders.installPreferred();
        }
        ca = WorkloadCa.create(WorkloadCaSettings.defaults(TrustDomain.parse("ecomm.local")));
        spiffeId = SpiffeId.parse("spiffe://ecomm.local/order");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=order"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    }

    @Benchmark
    public X509Svid issueFromCsr() {
        return ca.issue(csr, spiffeId, List.of("localhost"));
    }
}
