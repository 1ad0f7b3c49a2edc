package dev.bulwark.securitykit.boot;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/** The SPIFFE ID (URI SAN) of a certificate, or {@code -}. */
public final class Peers {

    private Peers() {
    }

    public static String spiffeId(X509Certificate leaf) {
        try {
            Collection<List<?>> names = leaf.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (Integer.valueOf(6).equals(name.get(0))) {
                        return String.valueOf(name.get(1));
                    }
                }
            }
            return "-";
        } catch (CertificateParsingException e) {
            return "-";
        }
    }
}
