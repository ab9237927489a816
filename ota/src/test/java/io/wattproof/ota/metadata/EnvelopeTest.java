package io.wattproof.ota.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wattproof.ota.v1.Image;
import io.wattproof.ota.v1.Role;
import io.wattproof.ota.v1.Root;
import io.wattproof.ota.v1.Targets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The sign-bytes, byte by byte: what a signing tool in any language must produce (docs/ota.md). */
class EnvelopeTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rootSignBytesAreTheTagAZeroAndTheBody() {
        byte[] body = Root.newBuilder().setVersion(1).setExpires(1).setThreshold(1).build().toByteArray();
        assertEquals("080110012001", HEX.formatHex(body)); // version=1, expires=1, threshold=1 (field 4, varint)
        assertEquals(
                "7761747470726f6f662f6f74612f76312f526f6f74" // "wattproof/ota/v1/Root"
                        + "00" // separator
                        + "080110012001", // body, exactly as carried in Signed.body
                HEX.formatHex(Envelope.signBytes(Role.ROLE_ROOT, body)));
    }

    @Test
    void targetsSignBytesAreTheTagAZeroAndTheBody() {
        byte[] body = Targets.newBuilder().setVersion(2).setRootVersion(1)
                .addImages(Image.newBuilder().setVersion(3)).build().toByteArray();
        assertEquals("0802" + "1801" + "22021003", HEX.formatHex(body)); // version=2, root_version=1, images[0]{version=3}
        assertEquals("7761747470726f6f662f6f74612f76312f54617267657473" // "wattproof/ota/v1/Targets"
                + "00" + "08021801" + "22021003", HEX.formatHex(Envelope.signBytes(Role.ROLE_TARGETS, body)));
    }

    @Test
    void lastTargetsHoldsAVersionWithItsHashOrNothing() {
        assertEquals(0, LastTargets.NONE.version());
        assertThrows(IllegalArgumentException.class, () -> new LastTargets(1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new LastTargets(0, new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> new LastTargets(-1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new LastTargets(3, new byte[31]));
    }

    @Test
    void aRefusalReadsAsFieldExpectedActual() {
        Refusal r = new Refusal(Refusal.Reason.THRESHOLD_NOT_MET, "signed.signatures", "2 distinct keys of root version 2", "1");
        assertEquals("signed.signatures: expected 2 distinct keys of root version 2, got 1 (threshold_not_met)", r.message());
    }
}
