package io.wattproof.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wattproof.crypto.TestVectors.Rfc6979P256;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DeviceIdTest {

    /** The definition, computed here without DeviceId: hex of the first 20 bytes of SHA-256(SPKI DER). */
    private static String independentDeviceId(byte[] spki) throws Exception {
        return HexFormat.of().formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(spki), 20));
    }

    @Test
    void deviceIdOfFixedKeys() throws Exception {
        byte[] ed25519 = PublicKeys.subjectPublicKeyInfoFromPem(TestVectors.RFC8410_PUBLIC_KEY_PEM);
        byte[] p256 = Rfc6979P256.subjectPublicKeyInfo();
        // Constants from `openssl pkey -pubin -outform DER | sha256sum`, truncated to 40 hex digits.
        assertEquals("a1e9156054e04fac899ae9f275132cdc07a5dbc4", independentDeviceId(ed25519));
        assertEquals("5a7a78cca4a0f420d9bc62bb669c3c2759e39f72", independentDeviceId(p256));

        assertEquals(independentDeviceId(ed25519), DeviceId.fromPublicKeyInfo(ed25519).hex());
        assertEquals(independentDeviceId(p256), DeviceId.fromPublicKeyInfo(p256).hex());
        assertEquals(DeviceId.fromHex(independentDeviceId(p256)), PublicKeys.fromSubjectPublicKeyInfo(p256).deviceId());
    }
}
