package io.wattproof.agent.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nayuki.qrcodegen.QrCode;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceLabelTest {
    private static final DeviceLabel LABEL = new DeviceLabel(DeviceId.fromHex("0123456789abcdef0123456789abcdef01234567"),
            KeyAlgorithm.ECDSA_P256_SHA256, DeviceLabel.fingerprint(new byte[] {1, 2, 3}), "raspberry-pi-4b", Optional.of("Garage"));

    @Test
    void fingerprintIsSha256OfTheKeyInfo() {
        // SHA-256 of 0x010203 (FIPS 180-4), computed independently with sha256sum.
        assertEquals("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", DeviceLabel.fingerprint(new byte[] {1, 2, 3}));
    }

    @Test
    void textNamesDeviceKeyBoardAndLocation() {
        List<String> text = LABEL.textLines();
        assertTrue(text.contains("device id:   0123456789abcdef0123456789abcdef01234567"), text.toString());
        assertTrue(text.contains("algorithm:   ECDSA_P256_SHA256"), text.toString());
        assertTrue(text.contains("board:       raspberry-pi-4b"), text.toString());
        assertTrue(text.contains("location:    Garage"), text.toString());
        assertEquals("wattproof:device:0123456789abcdef0123456789abcdef01234567?fp=" + LABEL.fingerprint(), LABEL.qrPayload());
    }

    /** Reads the half blocks back into modules and compares them with the symbol qrcodegen made. */
    @Test
    void halfBlocksDrawEveryModuleWithAFourModuleQuietZone() {
        String payload = LABEL.qrPayload();
        QrCode qr = QrCode.encodeText(payload, QrCode.Ecc.MEDIUM);
        List<String> lines = DeviceLabel.qrLines(payload);
        int width = qr.size + 2 * DeviceLabel.QUIET_ZONE;
        assertEquals((width + 1) / 2, lines.size());
        for (int row = 0; row < lines.size(); row++) {
            String line = lines.get(row);
            assertEquals(width, line.length(), "line " + row);
            for (int col = 0; col < width; col++) {
                char c = line.charAt(col);
                boolean topLight = c == '█' || c == '▀';
                boolean bottomLight = c == '█' || c == '▄';
                int x = col - DeviceLabel.QUIET_ZONE;
                int y = 2 * row - DeviceLabel.QUIET_ZONE;
                assertEquals(!qr.getModule(x, y), topLight, "module " + x + "," + y);
                if (2 * row + 1 < width) {
                    assertEquals(!qr.getModule(x, y + 1), bottomLight, "module " + x + "," + (y + 1));
                }
            }
        }
        assertTrue(lines.getFirst().chars().allMatch(c -> c == '█'), "the quiet zone is light");
        assertTrue(HexFormat.isHexDigit(LABEL.fingerprint().charAt(0)));
    }
}
