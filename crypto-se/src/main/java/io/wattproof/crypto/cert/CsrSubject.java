package io.wattproof.crypto.cert;

import io.wattproof.crypto.DeviceId;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * What a device asks to be named, besides its device id: an optional organisation (O) and
 * organisational unit (OU), e.g. the fleet operator and the site. The common name is always the
 * device id in hex and is not the caller's to choose.
 */
public record CsrSubject(Optional<String> organization, Optional<String> organizationalUnit) {
    /** RFC 5280 Appendix A.1: ub-organization-name and ub-organizational-unit-name are 64. */
    static final int MAX_LENGTH = 64;

    public CsrSubject {
        check("organization (O)", organization);
        check("organizational unit (OU)", organizationalUnit);
    }

    public static CsrSubject deviceIdOnly() {
        return new CsrSubject(Optional.empty(), Optional.empty());
    }

    public static CsrSubject of(String organization, String organizationalUnit) {
        return new CsrSubject(Optional.ofNullable(organization), Optional.ofNullable(organizationalUnit));
    }

    /** O, OU, CN in this order, most significant first (RFC 4514 prints them reversed). */
    X500Name name(DeviceId deviceId) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        organization.ifPresent(o -> builder.addRDN(BCStyle.O, o));
        organizationalUnit.ifPresent(ou -> builder.addRDN(BCStyle.OU, ou));
        return builder.addRDN(BCStyle.CN, deviceId.hex()).build();
    }

    private static void check(String field, Optional<String> value) {
        if (value.isEmpty()) {
            return;
        }
        String v = value.get();
        if (v.isBlank() || v.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(field + ": expected 1 to " + MAX_LENGTH + " characters, not all blank, got "
                    + v.length() + " characters '" + v + "'");
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + ": expected no control characters, got '" + v.replaceAll("\\p{Cntrl}", "?") + "'");
        }
    }
}
