package dev.bulwark.identity.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkloadRegistryTests {

    private static final String ORDER = "spiffe://ecomm.local/order";

    private final Map<Long, Instant> processes = new HashMap<>();
    private final WorkloadRegistry registry = new WorkloadRegistry(pid -> Optional.ofNullable(processes.get(pid)));

    @Test
    void lookupWhenRegisteredThenSpiffeId() {
        processes.put(42L, Instant.parse("2026-11-24T00:00:00Z"));
        registry.register(42L, ORDER);

        assertThat(registry.lookup(42L)).contains(ORDER);
    }

    @Test
    void lookupWhenNeverRegisteredThenEmpty() {
        processes.put(42L, Instant.parse("2026-11-24T00:00:00Z"));

        assertThat(registry.lookup(42L)).isEmpty();
    }

    @Test
    void pidReusedByAnotherProcessIsNotTheRegisteredWorkload() {
        processes.put(42L, Instant.parse("2026-11-24T00:00:00Z"));
        registry.register(42L, ORDER);

        processes.put(42L, Instant.parse("2026-11-24T00:05:00Z"));

        assertThat(registry.lookup(42L)).isEmpty();
        processes.put(42L, Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(registry.lookup(42L)).as("the stale registration was dropped").isEmpty();
    }

    @Test
    void lookupWhenProcessExitedThenEmpty() {
        processes.put(42L, Instant.parse("2026-11-24T00:00:00Z"));
        registry.register(42L, ORDER);
        processes.remove(42L);

        assertThat(registry.lookup(42L)).isEmpty();
    }

    @Test
    void registerWhenProcessNotRunningThenRejected() {
        assertThatThrownBy(() -> registry.register(7L, ORDER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pid: 7");
    }

    @Test
    void registerWhenSpiffeIdMalformedThenRejected() {
        processes.put(42L, Instant.parse("2026-11-24T00:00:00Z"));

        for (String bad : new String[] {"https://ecomm.local/order", "spiffe://", "spiffe:///order",
                "spiffe://ecomm.local/order/", "spiffe://ecomm.local/order?x=1", "spiffe://ecomm.local/a b"}) {
            assertThatThrownBy(() -> registry.register(42L, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected: spiffe://");
        }
        assertThat(registry.lookup(42L)).isEmpty();
    }

    @Test
    void registerWhenRealCurrentProcessThenFound() {
        WorkloadRegistry real = new WorkloadRegistry();
        real.register(ProcessHandle.current(), ORDER);

        assertThat(real.lookup(ProcessHandle.current().pid())).contains(ORDER);
    }

    @Test
    void lookupWhenMissThenHookRunsAndWhatItRegisteredIsFound() {
        processes.put(42L, Instant.parse("2026-11-24T00:00:00Z"));
        AtomicInteger misses = new AtomicInteger();
        WorkloadRegistry[] hooked = new WorkloadRegistry[1];
        hooked[0] = new WorkloadRegistry(pid -> Optional.ofNullable(processes.get(pid)), () -> {
            misses.incrementAndGet();
            hooked[0].register(42L, ORDER);
        });

        assertThat(hooked[0].lookup(42L)).contains(ORDER);
        assertThat(misses).hasValue(1);
        assertThat(hooked[0].lookup(42L)).contains(ORDER);
        assertThat(misses).as("a hit does not run the hook").hasValue(1);
    }

    @Test
    void lookupWhenHookFindsNothingThenEmptyAfterOneRun() {
        AtomicInteger misses = new AtomicInteger();
        WorkloadRegistry hooked = new WorkloadRegistry(pid -> Optional.ofNullable(processes.get(pid)), misses::incrementAndGet);

        assertThat(hooked.lookup(42L)).isEmpty();
        assertThat(misses).hasValue(1);
    }

    @Test
    void lookupWhenPidReusedThenHookRunsAndOtherProcessIsStillNotRecognised() {
        processes.put(42L, Instant.parse("2026-11-24T00:00:00Z"));
        AtomicInteger misses = new AtomicInteger();
        WorkloadRegistry hooked = new WorkloadRegistry(pid -> Optional.ofNullable(processes.get(pid)), misses::incrementAndGet);
        hooked.register(42L, ORDER);
        processes.put(42L, Instant.parse("2026-11-24T00:05:00Z"));

        assertThat(hooked.lookup(42L)).isEmpty();
        assertThat(misses).hasValue(1);
    }

    @Test
    void lookupWhenHookFailsThenEmpty() {
        processes.put(42L, Instant.parse("2026-11-24T00:00:00Z"));
        WorkloadRegistry hooked = new WorkloadRegistry(pid -> Optional.ofNullable(processes.get(pid)), () -> {
            throw new IllegalStateException("registrations unreadable");
        });

        assertThat(hooked.lookup(42L)).isEmpty();
    }
}
