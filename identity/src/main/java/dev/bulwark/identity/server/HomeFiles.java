package dev.bulwark.identity.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** Where the identity process keeps its files under the Bulwark home, and the checks before using them. */
final class HomeFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final IdentityServerSettings settings;

    HomeFiles(IdentityServerSettings settings) {
        this.settings = settings;
    }

    Path rootCertificate() {
        return settings.pkiDirectory().resolve("workload-root.pem");
    }

    Path rootKey() {
        return settings.pkiDirectory().resolve("workload-root-key.pem");
    }

    Path bundle() {
        return settings.pkiDirectory().resolve("bundle.pem");
    }

    Path registrations() {
        return settings.identityDirectory().resolve("registrations");
    }

    Path revocations() {
        return settings.identityDirectory().resolve("revocations");
    }

    /** Creates {@code pki/} and {@code identity/} (mode 0700) when missing. */
    void createDirectories() {
        createPrivateDirectory(settings.pkiDirectory());
        createPrivateDirectory(settings.identityDirectory());
    }

    /**
     * Makes the socket's directory (0700) and removes a stale socket file; refuses a path that is not a
     * socket, or a socket another process still serves (a second identity process must not steal it).
     */
    void prepareSocket() {
        Path socket = settings.socket();
        Path parent = socket.toAbsolutePath().getParent();
        if (parent != null) {
            createPrivateDirectory(parent);
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return;   // nothing there
        }
        if (!attributes.isOther()) {
            throw new IllegalStateException("Workload API socket: " + socket + " exists and is not a socket (expected: a free path)");
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            throw new IllegalStateException("Workload API socket: " + socket
                    + " is served by another process (expected: no other identity process on this home)");
        } catch (IOException e) {
            // refused: a stale file left by a process that died; WorkloadApiServer replaces it
        }
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory " + dir, e);
        }
    }
}
