package dev.bulwark.securitykit.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/** PEM (RFC 7468) encoding and decoding of certificates and PKCS#8 private keys. */
public final class Pem {

    private Pem() {
    }

    /** Encodes a certificate or a private key (as PKCS#8) to PEM text. */
    public static String encode(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate()
                    : object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Reads the first certificate of a PEM file. */
    public static X509Certificate readCertificate(Path file) {
        Object object = readFirst(file);
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new IllegalArgumentException("not a PEM certificate: " + file);
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("bad certificate in " + file, e);
        }
    }

    /** Reads a PEM private key (PKCS#8, or a traditional EC/RSA key pair). */
    public static PrivateKey readPrivateKey(Path file) {
        Object object = readFirst(file);
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("bad private key in " + file, e);
        }
        throw new IllegalArgumentException("not a PEM private key: " + file);
    }

    private static Object readFirst(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (object == null) {
                throw new IllegalArgumentException("no PEM object in " + file);
            }
            return object;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
