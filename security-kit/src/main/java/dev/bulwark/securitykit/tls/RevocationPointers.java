package dev.bulwark.securitykit.tls;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.jspecify.annotations.Nullable;

/** Where a certificate says its revocation status is published: its AIA OCSP URL and CRL distribution point. */
final class RevocationPointers {

    private RevocationPointers() {
    }

    static Optional<URI> ocspUrl(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (value == null) {
            return Optional.empty();
        }
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                    ASN1OctetString.getInstance(value).getOctets());
            for (AccessDescription description : aia.getAccessDescriptions()) {
                if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                    Optional<URI> uri = uri(description.getAccessLocation());
                    if (uri.isPresent()) {
                        return uri;
                    }
                }
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static Optional<URI> crlUrl(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (value == null) {
            return Optional.empty();
        }
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(value).getOctets());
            for (DistributionPoint point : points.getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                    for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
                        Optional<URI> uri = uri(general);
                        if (uri.isPresent()) {
                            return uri;
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<URI> uri(@Nullable GeneralName name) {
        if (name == null || name.getTagNo() != GeneralName.uniformResourceIdentifier) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(name.getName().toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
