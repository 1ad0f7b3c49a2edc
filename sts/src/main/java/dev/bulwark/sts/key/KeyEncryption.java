package dev.bulwark.sts.key;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bulwark.securitykit.PrivateFiles;

/**
 * Encrypts signing private keys at rest with AES-256-GCM under a key-encryption key (KEK) kept in a
 * file outside the database, so that a database dump alone does not yield the signing keys. The key
 * id is bound as associated data, so a ciphertext cannot be moved to another key's row.
 */
final class KeyEncryption {

    private static final Logger log = LoggerFactory.getLogger(KeyEncryption.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey kek;


    private KeyEncryption(SecretKey kek) {
        this.kek = kek;
    }

    /** Reads the KEK from {@code file}, or generates it there (mode 0600) if the file does not exist. */
    static KeyEncryption fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                RANDOM.nextBytes(key);
                PrivateFiles.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
                log.info("event=sts.kek_generated file={}", file);
            } else {
                warnIfReadableByOthers(file);
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length != 32) {
                throw new IllegalStateException("key-encryption key in " + file + ": " + key.length
                        + " bytes (expected: 32 bytes, base64)");
            }
            return new KeyEncryption(new SecretKeySpec(key, "AES"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key-encryption key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("key-encryption key in " + file + " is not base64", e);
        }
    }

    static KeyEncryption of(byte[] key) {
        return new KeyEncryption(new SecretKeySpec(key.clone(), "AES"));
    }

    private static void warnIfReadableByOthers(Path file) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                log.warn("event=sts.kek_permissions file={} mode={} expected=rw-------", file,
                        java.nio.file.attribute.PosixFilePermissions.toString(perms));
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    String encrypt(byte[] plaintext, String kid) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(plaintext);
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt signing key " + kid, e);
        }
    }

    byte[] decrypt(String encoded, String kid) {
        try {
            byte[] in = Base64.getDecoder().decode(encoded);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot decrypt signing key " + kid
                    + " (expected: the key-encryption key it was stored under)", e);
        }
    }
}
