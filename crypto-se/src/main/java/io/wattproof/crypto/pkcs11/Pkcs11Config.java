package io.wattproof.crypto.pkcs11;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a device key lives on a PKCS#11 token.
 *
 * @param library    the PKCS#11 module (a shared library, e.g. {@code /usr/lib/softhsm/libsofthsm2.so})
 * @param tokenLabel the token's label as set at initialisation (PKCS#11 v2.40 base specification,
 *                   CK_TOKEN_INFO.label: at most 32 bytes, compared without its blank padding)
 * @param keyLabel   the name of the key entry on the token (stored as CKA_ID of the private key
 *                   and CKA_LABEL/CKA_ID of its certificate)
 * @param pinFile    a file holding the user PIN (trailing line breaks ignored), mode 0600 or 0400
 */
public record Pkcs11Config(Path library, String tokenLabel, String keyLabel, Path pinFile) {
    /** CK_TOKEN_INFO.label is a 32-byte blank-padded UTF-8 field. */
    static final int MAX_TOKEN_LABEL_BYTES = 32;

    public Pkcs11Config {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(tokenLabel, "tokenLabel");
        Objects.requireNonNull(keyLabel, "keyLabel");
        Objects.requireNonNull(pinFile, "pinFile");
        int labelBytes = tokenLabel.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (tokenLabel.isBlank() || labelBytes > MAX_TOKEN_LABEL_BYTES) {
            throw new IllegalArgumentException("token label: expected 1 to " + MAX_TOKEN_LABEL_BYTES
                    + " utf-8 bytes, not blank, got " + labelBytes + " bytes '" + tokenLabel + "'");
        }
        if (keyLabel.isBlank() || !keyLabel.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("key label: expected printable ascii without spaces, got '" + keyLabel + "'");
        }
    }
}
