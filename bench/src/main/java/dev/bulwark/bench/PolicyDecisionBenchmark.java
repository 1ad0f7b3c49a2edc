package dev.bulwark.bench;

import dev.bulwark.policy.Actions;
import dev.bulwark.policy.BookPolicyOpaServer;
import dev.bulwark.policy.CedarPolicyEngine;
import dev.bulwark.policy.OpaPolicyEngine;
import dev.bulwark.policy.PolicyDecision;
import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.PolicyRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a policy decision costs at the gateway: the embedded Cedar engine (JNI into Cedar's Rust
 * evaluator, in-process) against the OPA adapter calling a Data API server over loopback HTTP in the
 * same JVM (an in-process stand-in, {@link BookPolicyOpaServer}: OPA's binary is not installable here,
 * so the OPA figure is the adapter's and HTTP's cost, not Rego's). SampleTime gives p50/p99.
 *
 * <p>{@code java -jar bench/target/bench.jar PolicyDecisionBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyDecisionBenchmark {

    @Param({"cedar", "opa"})
    public String engine;

    private BookPolicyOpaServer opa;
    private PolicyEngine policy;
    private PolicyRequest ownOrder;
    private PolicyRequest othersOrder;

    @Setup(Level.Trial)
    public void setUp() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        if (engine.equals("opa")) {
            opa = BookPolicyOpaServer.start();
            policy = new OpaPolicyEngine(opa.baseUrl(), "bulwark/allow", Duration.ofSeconds(2), null, meters);
        } else {
            policy = CedarPolicyEngine.fromClasspathDefaults(meters);
        }
        PolicyRequest.Principal alice = new PolicyRequest.Principal("alice", "orderprocessingapp",
                Set.of("orders:read", "orders:write"), Set.of());
        Map<String, Object> context = Map.of("method", "GET", "path", "/api/orders/o-1", "client_ip", "127.0.0.1");
        ownOrder = new PolicyRequest(alice, Actions.READ, PolicyRequest.Resource.order("o-1", "alice"), context);
        othersOrder = new PolicyRequest(alice, Actions.READ, PolicyRequest.Resource.order("o-2", "bob"), context);
        if (!policy.decide(ownOrder).allowed() || policy.decide(othersOrder).allowed()) {
            throw new IllegalStateException(engine + ": the book policy does not decide as expected");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        policy.close();
        if (opa != null) {
            opa.close();
        }
    }

    @Benchmark
    public PolicyDecision allow() {
        return policy.decide(ownOrder);
    }

    @Benchmark
    public PolicyDecision deny() {
        return policy.decide(othersOrder);
    }
}
