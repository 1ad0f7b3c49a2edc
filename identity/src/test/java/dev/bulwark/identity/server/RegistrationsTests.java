package dev.bulwark.identity.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.identity.spiffe.SpiffeId;
import dev.bulwark.identity.spiffe.TrustDomain;
import dev.bulwark.identity.workload.WorkloadRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationsTests {

    private static final long THIS_PROCESS = ProcessHandle.current().pid();
    private static final String ORDER = "spiffe://ecomm.local/order";
    private static final String GATEWAY = "spiffe://ecomm.local/gateway";

    @TempDir
    Path dir;

    private final WorkloadRegistry registry = new WorkloadRegistry();
    private Process other;

    @AfterEach
    void stopOther() {
        if (other != null) {
            other.destroyForcibly();
        }
    }

    private Registrations registrations() {
        return new Registrations(dir.resolve("registrations"), registry, TrustDomain.parse("ecomm.local"));
    }

    /** Written as the launcher writes it: a new file moved into place. */
    private void write(String content) throws Exception {
        Path tmp = Files.writeString(dir.resolve("registrations.tmp"), content);
        Files.move(tmp, dir.resolve("registrations"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private long otherProcess() throws Exception {
        other = new ProcessBuilder("sleep", "60").start();
        return other.pid();
    }

    @Test
    void refreshWhenLineAddedThenProcessRegistered() throws Exception {
        Registrations registrations = registrations();
        assertThat(registrations.refresh()).isTrue();
        assertThat(registry.lookup(THIS_PROCESS)).isEmpty();

        write("# pid spiffe-id\n" + THIS_PROCESS + " " + ORDER + "   # the order service\n");

        assertThat(registrations.refresh()).isTrue();
        assertThat(registry.lookup(THIS_PROCESS)).contains(ORDER);
    }

    @Test
    void refreshWhenLineRemovedThenProcessUnregistered() throws Exception {
        long pid = otherProcess();
        write(THIS_PROCESS + " " + ORDER + "\n" + pid + " " + GATEWAY + "\n");
        Registrations registrations = registrations();
        registrations.refresh();
        assertThat(registry.lookup(pid)).contains(GATEWAY);

        write(THIS_PROCESS + " " + ORDER + "\n");
        registrations.refresh();

        assertThat(registry.lookup(pid)).isEmpty();
        assertThat(registry.lookup(THIS_PROCESS)).contains(ORDER);
    }

    @Test
    void refreshWhenIdChangedThenNewIdServed() throws Exception {
        write(THIS_PROCESS + " " + ORDER + "\n");
        Registrations registrations = registrations();
        registrations.refresh();

        write(THIS_PROCESS + " " + GATEWAY + "\n");
        registrations.refresh();

        assertThat(registry.lookup(THIS_PROCESS)).contains(GATEWAY);
    }

    @Test
    void refreshWhenBadLinesThenSkippedAndGoodOnesKept() throws Exception {
        long pid = otherProcess();
        write(String.join("\n",
                "not-a-pid " + ORDER,
                "-5 " + ORDER,
                "42",
                pid + " spiffe://other.domain/order",
                pid + " spiffe://ecomm.local",
                pid + " https://ecomm.local/order",
                THIS_PROCESS + " " + ORDER,
                THIS_PROCESS + " " + GATEWAY,
                pid + " " + GATEWAY + " extra") + "\n");
        Registrations registrations = registrations();

        registrations.refresh();

        assertThat(registrations.current()).isEqualTo(Map.of(THIS_PROCESS, SpiffeId.parse(ORDER)));
        assertThat(registry.lookup(pid)).isEmpty();
    }

    @Test
    void refreshWhenProcessNotRunningThenSkipped() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        write(gone.pid() + " " + GATEWAY + "\n" + THIS_PROCESS + " " + ORDER + "\n");
        Registrations registrations = registrations();

        registrations.refresh();

        assertThat(registrations.current()).containsOnlyKeys(THIS_PROCESS);
    }

    @Test
    void refreshWhenFileUnchangedThenNotReread() throws Exception {
        write(THIS_PROCESS + " " + ORDER + "\n");
        Registrations registrations = registrations();
        assertThat(registrations.refresh()).isTrue();

        assertThat(registrations.refresh()).isFalse();
    }

    @Test
    void refreshWhenRewrittenInPlaceWithSameSizeThenRereadByModificationTime() throws Exception {
        Path file = dir.resolve("registrations");
        Files.writeString(file, THIS_PROCESS + " " + ORDER + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(10)));
        Registrations registrations = registrations();
        registrations.refresh();

        Files.writeString(file, THIS_PROCESS + " " + ORDER.replace("order", "ordr") + "x\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now()));

        assertThat(registrations.refresh()).isTrue();
        assertThat(registry.lookup(THIS_PROCESS)).contains("spiffe://ecomm.local/ordrx");
    }

    @Test
    void refreshWhenFileDeletedThenEverythingUnregistered() throws Exception {
        write(THIS_PROCESS + " " + ORDER + "\n");
        Registrations registrations = registrations();
        registrations.refresh();

        Files.delete(dir.resolve("registrations"));

        assertThat(registrations.refresh()).isTrue();
        assertThat(registry.lookup(THIS_PROCESS)).isEmpty();
    }

    @Test
    void lookupMissWhenFileGainedTheLineThenRegistryReReadsItAtOnce() throws Exception {
        Registrations[] holder = new Registrations[1];
        WorkloadRegistry hooked = new WorkloadRegistry(() -> holder[0].refresh());
        holder[0] = new Registrations(dir.resolve("registrations"), hooked, TrustDomain.parse("ecomm.local"));
        holder[0].refresh();
        assertThat(hooked.lookup(THIS_PROCESS)).isEmpty();

        write(THIS_PROCESS + " " + ORDER + "\n");   // no refresh() by the poller in between

        assertThat(hooked.lookup(THIS_PROCESS)).contains(ORDER);
        assertThat(holder[0].current()).containsEntry(THIS_PROCESS, SpiffeId.parse(ORDER));
    }
}
