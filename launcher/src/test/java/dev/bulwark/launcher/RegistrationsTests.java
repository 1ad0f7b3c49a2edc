package dev.bulwark.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationsTests {

    @TempDir
    Path home;

    @Test
    void putWhenFirstLineThenFileHasPidAndIdAndIsOwnerOnly() throws Exception {
        Registrations registrations = Registrations.of(home);

        registrations.put(4242, "spiffe://ecomm.local/order");

        assertThat(registrations.file()).isEqualTo(home.resolve("identity/registrations"));
        assertThat(Files.readString(registrations.file())).isEqualTo("4242 spiffe://ecomm.local/order\n");
        assertThat(Files.getPosixFilePermissions(registrations.file()))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }

    @Test
    void putWhenPidAlreadyRegisteredThenItsLineIsReplacedAndOthersKept() {
        Registrations registrations = Registrations.of(home);
        registrations.put(1, "spiffe://ecomm.local/sts");
        registrations.put(2, "spiffe://ecomm.local/gateway");

        registrations.put(1, "spiffe://ecomm.local/admin");

        assertThat(registrations.read()).containsExactly(
                Map.entry(1L, "spiffe://ecomm.local/admin"), Map.entry(2L, "spiffe://ecomm.local/gateway"));
    }

    @Test
    void removeWhenRegisteredThenOnlyThatLineGoes() {
        Registrations registrations = Registrations.of(home);
        registrations.put(1, "spiffe://ecomm.local/sts");
        registrations.put(2, "spiffe://ecomm.local/admin");

        registrations.remove(2);
        registrations.remove(3);

        assertThat(registrations.read()).containsExactly(Map.entry(1L, "spiffe://ecomm.local/sts"));
    }

    @Test
    void putWhenManyThreadsAtOnceThenNoLineIsLost() throws Exception {
        Registrations registrations = Registrations.of(home);
        List<Thread> threads = new ArrayList<>();
        IntStream.rangeClosed(1, 20).forEach(i -> threads.add(Thread.ofPlatform().start(
                () -> registrations.put(i, "spiffe://ecomm.local/w" + i))));
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(registrations.read()).hasSize(20).containsEntry(7L, "spiffe://ecomm.local/w7");
    }

    @Test
    void putWhenIdIsNotASpiffeIdThenRefusedAndNothingWritten() {
        Registrations registrations = Registrations.of(home);

        assertThatThrownBy(() -> registrations.put(1, "spiffe://ecomm.local/a b\n2 spiffe://ecomm.local/admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: spiffe://");
        assertThatThrownBy(() -> registrations.put(1, "https://ecomm.local/admin"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registrations.put(0, "spiffe://ecomm.local/admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pid: 0");
        assertThat(registrations.file()).doesNotExist();
    }
}
