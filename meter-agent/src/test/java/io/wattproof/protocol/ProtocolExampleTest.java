package io.wattproof.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import io.wattproof.crypto.DeviceId;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.KeyAlgorithm;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Produces the worked example of docs/protocol.md from code and checks that the document shows
 * exactly these bytes, so the specification cannot drift from the implementation. Ed25519 is
 * deterministic, so the signature is reproducible. On a mismatch the failure prints the block to
 * paste into the document.
 */
class ProtocolExampleTest {
    private static final HexFormat HEX = HexFormat.of();
    /** RFC 8032 section 7.1, TEST 1: secret key and its public key. */
    private static final String RFC8032_SECRET = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final String RFC8032_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 section 4). */
    private static final String ED25519_SPKI_PREFIX = "302a300506032b6570032100";

    @Test
    void documentShowsTheBytesTheCodeProduces() throws Exception {
        String block = exampleBlock();
        Path doc = Path.of("..", "docs", "protocol.md");
        assertTrue(Files.exists(doc), "expected the protocol document at " + doc.toAbsolutePath());
        String text = Files.readString(doc);
        int begin = text.indexOf("<!-- example:begin -->");
        int end = text.indexOf("<!-- example:end -->");
        if (begin < 0 || end < 0) {
            fail("docs/protocol.md: expected the markers <!-- example:begin --> and <!-- example:end -->");
        }
        String shown = text.substring(begin + "<!-- example:begin -->".length(), end).strip();
        if (!shown.equals(block.strip())) {
            fail("docs/protocol.md: the worked example differs from what the code produces; expected:\n" + block);
        }
    }

    static String exampleBlock() throws Exception {
        byte[] spki = HEX.parseHex(ED25519_SPKI_PREFIX + RFC8032_PUBLIC);
        DeviceId deviceId = DeviceId.fromPublicKeyInfo(spki);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Reading reading = Reading.newBuilder()
                .setDeviceId(ByteString.copyFrom(deviceId.bytes()))
                .setSequence(7)
                .setIntervalStart(Instant.parse("2026-11-27T10:00:00Z").getEpochSecond())
                .setIntervalSeconds(900)
                .setImportWh(1_234_567)
                .setExportWh(89_012)
                .setImportDeltaWh(250)
                .setExportDeltaWh(0)
                .setPeakPowerW(3456)
                .setAveragePowerW(1000)
                .setVoltageMinDv(2281)
                .setVoltageMaxDv(2334)
                .setCurrentMinMa(412)
                .setCurrentMaxMa(15230)
                .setQualityFlags(0)
                .setMeterModel("SDM630")
                .setMeterSerial("2307001234")
                .setFirmwareVersion("0.1.0")
                .setFirmwareHash(ByteString.copyFrom(sha.digest("example firmware image".getBytes(StandardCharsets.US_ASCII))))
                .setPreviousHash(ByteString.copyFrom(sha.digest("example record 6".getBytes(StandardCharsets.US_ASCII))))
                .build();
        byte[] body = reading.toByteArray();
        byte[] signBytes = SignBytes.of(BodyType.READING, "wattproof-sim", body);

        PrivateKey privateKey = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, HEX.parseHex(RFC8032_SECRET)));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(privateKey);
        signer.update(signBytes);
        byte[] signature = signer.sign();

        SignedTx tx = SignedTx.newBuilder()
                .setBodyType(BodyType.READING)
                .setBody(ByteString.copyFrom(body))
                .setKeyAlgorithm(KeyAlgorithm.ED25519)
                .setSignature(ByteString.copyFrom(signature))
                .build();
        byte[] txBytes = tx.toByteArray();
        assertEquals(txBytes.length, tx.getSerializedSize());

        StringBuilder out = new StringBuilder();
        out.append("Key: RFC 8032 section 7.1 TEST 1 (Ed25519). SubjectPublicKeyInfo DER:\n\n```\n")
                .append(HEX.formatHex(spki)).append("\n```\n\n")
                .append("Device id (first 20 bytes of SHA-256 over it): `").append(deviceId.hex()).append("`\n\n")
                .append("Reading body, ").append(body.length).append(" bytes, field by field (tag, then value):\n\n```\n")
                .append(annotate(body)).append("```\n\n")
                .append("Sign-bytes, ").append(signBytes.length).append(" bytes (`wattproof/v1/Reading` 00 `wattproof-sim` 00 body):\n\n```\n")
                .append(wrap(HEX.formatHex(signBytes))).append("```\n\n")
                .append("Ed25519 signature (64 bytes):\n\n```\n").append(wrap(HEX.formatHex(signature))).append("```\n\n")
                .append("Record hash (SHA-256 of the sign-bytes; the next record's `previous_hash`):\n\n```\n")
                .append(HEX.formatHex(SignBytes.recordHash(signBytes))).append("\n```\n\n")
                .append("SignedTx, ").append(txBytes.length).append(" bytes (the MQTT payload):\n\n```\n")
                .append(wrap(HEX.formatHex(txBytes))).append("```\n");
        return out.toString();
    }

    /** One line per field: hex of the tag and value, the field's name and its decoded value. */
    private static String annotate(byte[] body) throws Exception {
        StringBuilder out = new StringBuilder();
        CodedInputStream in = CodedInputStream.newInstance(body);
        while (!in.isAtEnd()) {
            int start = in.getTotalBytesRead();
            int tag = in.readTag();
            FieldDescriptor field = Reading.getDescriptor().findFieldByNumber(WireFormat.getTagFieldNumber(tag));
            String value;
            switch (field.getType()) {
                case BYTES -> value = HEX.formatHex(in.readBytes().toByteArray());
                case STRING -> value = "\"" + in.readString() + "\"";
                case SINT64 -> value = Long.toString(in.readSInt64());
                case INT64 -> value = Long.toString(in.readInt64());
                case UINT64 -> value = Long.toUnsignedString(in.readUInt64());
                case UINT32 -> value = Integer.toUnsignedString(in.readUInt32());
                default -> throw new IllegalStateException("unexpected field type " + field.getType());
            }
            int end = in.getTotalBytesRead();
            byte[] raw = java.util.Arrays.copyOfRange(body, start, end);
            String hex = HEX.formatHex(raw);
            if (hex.length() > 24) {
                hex = hex.substring(0, 20) + "...";
            }
            out.append(String.format("%-24s %2d %-17s %s%n", hex, field.getNumber(), field.getName(), value));
        }
        return out.toString();
    }

    private static String wrap(String hex) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 64) {
            out.append(hex, i, Math.min(hex.length(), i + 64)).append('\n');
        }
        return out.toString();
    }
}
