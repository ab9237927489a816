package io.wattproof.agent.ocmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class OcmfVerifierTest {
    @TempDir
    static Path tmp;

    static DeviceKey pile;
    static OcmfRecord record;

    @BeforeAll
    static void signOnce() throws Exception {
        pile = key(KeyAlgorithm.ECDSA_P256_SHA256, "pile");
        record = OcmfSigner.sign(OcmfSessions.session(), pile);
    }

    static DeviceKey key(KeyAlgorithm algorithm, String name) throws Exception {
        Path secret = tmp.resolve(name + ".secret");
        SoftwareKeyStore.createSecret(secret);
        return SoftwareKeyStore.create(tmp.resolve(name), algorithm, secret);
    }

    @Test
    void anExportVerifiesWithThePilesKey() {
        OcmfVerdict v = OcmfVerifier.verify(record.line(), pile.publicKeyInfo());
        assertEquals(new OcmfVerdict.Valid(record.payload()), v);
        assertEquals(OcmfRecord.payloadOf(OcmfSessions.session()), record.payload());
    }

    @Test
    void theSignatureIsDerOverThePayloadAsWritten() {
        // SEQUENCE of two INTEGERs, each at most 33 bytes: 8 to 72 bytes in all.
        byte[] der = record.signatureDer();
        assertEquals(0x30, der[0] & 0xff);
        assertEquals(der.length - 2, der[1] & 0xff);
        assertTrue(pile.verifyingKey().checkDer(record.payloadBytes(), der).isValid());
    }

    @Test
    void aChangedReadingIsRefused() {
        String forged = record.line().replace("\"RV\":2965.105", "\"RV\":2995.105");
        assertTrue(forged.contains("2995.105"));
        assertInstanceOf(OcmfVerdict.SignatureMismatch.class, OcmfVerifier.verify(forged, pile.publicKeyInfo()));
    }

    @Test
    void addedWhitespaceInThePayloadIsRefused() {
        // OCMF: "the payload section must not be manipulated (removing and adding white spaces)".
        String spaced = record.line().replace("\"FV\":\"1.0\",", "\"FV\": \"1.0\", ");
        assertInstanceOf(OcmfVerdict.SignatureMismatch.class, OcmfVerifier.verify(spaced, pile.publicKeyInfo()));
    }

    @Test
    void aChangedPreviousHashIsRefused() {
        String forged = record.line().replace("\"XP\":\"a0", "\"XP\":\"b0");
        assertInstanceOf(OcmfVerdict.SignatureMismatch.class, OcmfVerifier.verify(forged, pile.publicKeyInfo()));
    }

    @Test
    void everyChangedByteOfTheSignatureIsRefused() {
        byte[] der = record.signatureDer();
        for (int i = 0; i < der.length; i++) {
            byte[] changed = der.clone();
            changed[i] ^= 0x01;
            String line = new OcmfRecord(record.payload(), changed).line();
            OcmfVerdict v = OcmfVerifier.verify(line, pile.publicKeyInfo());
            assertTrue(v instanceof OcmfVerdict.SignatureMismatch || v instanceof OcmfVerdict.Malformed, "byte " + i + ": " + v);
        }
    }

    @Test
    void anotherKeyIsRefused() throws Exception {
        DeviceKey other = key(KeyAlgorithm.ECDSA_P256_SHA256, "other");
        assertInstanceOf(OcmfVerdict.SignatureMismatch.class, OcmfVerifier.verify(record.line(), other.publicKeyInfo()));
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ED25519", "SM2_SM3"})
    void aPileWithoutAP256KeyCannotExport(KeyAlgorithm algorithm) throws Exception {
        DeviceKey key = key(algorithm, algorithm.name());
        OcmfException e = assertThrows(OcmfException.class, () -> OcmfSigner.sign(OcmfSessions.session(), key));
        assertEquals("ocmf export key algorithm: expected ECDSA_P256_SHA256 (OCMF ECDSA-secp256r1-SHA256), got " + algorithm
                + "; OCMF defines ECDSA signatures only, so this pile's sessions cannot be exported", e.getMessage());
        OcmfVerdict v = OcmfVerifier.verify(record.line(), key.publicKeyInfo());
        assertEquals(new OcmfVerdict.KeyRefused("public key algorithm: expected ECDSA_P256_SHA256 for ECDSA-secp256r1-SHA256, got "
                + algorithm), v);
    }

    @Test
    void garbageKeyBytesAreRefusedNotThrown() {
        assertInstanceOf(OcmfVerdict.KeyRefused.class, OcmfVerifier.verify(record.line(), new byte[] {1, 2, 3}));
    }

    @Test
    void defaultsForSaSeSmAreAcceptedWhenOmitted() {
        String sd = HexFormat.of().formatHex(record.signatureDer());
        String bare = "OCMF|" + record.payload() + "|{\"SD\":\"" + sd + "\"}";
        assertEquals(new OcmfVerdict.Valid(record.payload()), OcmfVerifier.verify(bare, pile.publicKeyInfo()));
    }

    @Test
    void otherSignatureMethodsAndEncodingsAreNamed() {
        String sd = HexFormat.of().formatHex(record.signatureDer());
        assertEquals(new OcmfVerdict.UnsupportedSignature("ocmf SA: expected ECDSA-secp256r1-SHA256, got 'ECDSA-brainpool256r1-SHA256'"),
                OcmfVerifier.verify("OCMF|" + record.payload() + "|{\"SA\":\"ECDSA-brainpool256r1-SHA256\",\"SD\":\"" + sd + "\"}",
                        pile.publicKeyInfo()));
        assertEquals(new OcmfVerdict.UnsupportedSignature("ocmf SE: expected hex, got 'base64'"),
                OcmfVerifier.verify("OCMF|" + record.payload() + "|{\"SE\":\"base64\",\"SD\":\"" + sd + "\"}", pile.publicKeyInfo()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "OCMF|{}",
        "OCMF|{\"PG\":\"T1\",\"RD\":[{}]}|{\"SD\":\"00\"}|",
        "ocmf|{\"PG\":\"T1\",\"RD\":[{}]}|{\"SD\":\"3006020101020101\"}",
        "OCMF|{\"PG\":\"T1\",\"RD\":[{}]|{\"SD\":\"3006020101020101\"}",
        "OCMF|{\"PG\":\"T1\",\"RD\":[{}]}|[]",
        "OCMF|{\"PG\":1,\"RD\":[{}]}|{\"SD\":\"3006020101020101\"}",
        "OCMF|{\"PG\":\"T1\",\"RD\":[]}|{\"SD\":\"3006020101020101\"}",
        "OCMF|{\"PG\":\"T1\",\"PG\":\"T2\",\"RD\":[{}]}|{\"SD\":\"3006020101020101\"}",
        "OCMF|{\"PG\":\"T1\",\"RD\":[{}]}|{\"SD\":\"xyz\"}",
        "OCMF|{\"PG\":\"T1\",\"RD\":[{}]}|{\"SD\":7}",
        "OCMF|{\"PG\":\"T1\",\"RD\":[{}]}|{\"SD\":\"300602010102010\"}",
        "OCMF|{\"PG\":\"T1\",\"RD\":[{}]}|{\"SD\":\"deadbeef\"}",
        "OCMF|{\"PG\":\"T1\",\"RD\":[{}]} x|{\"SD\":\"3006020101020101\"}",
    })
    void malformedLinesAreNamedNotThrown(String line) {
        OcmfVerdict v = OcmfVerifier.verify(line, pile.publicKeyInfo());
        OcmfVerdict.Malformed m = assertInstanceOf(OcmfVerdict.Malformed.class, v);
        assertTrue(m.reason().startsWith("ocmf "), m.reason());
    }

    @Test
    void malformedReasonsNameTheField() {
        assertEquals(new OcmfVerdict.Malformed("ocmf line: expected 3 sections OCMF|payload|signature, got 2"),
                OcmfVerifier.verify("OCMF|{}", pile.publicKeyInfo()));
        assertEquals(new OcmfVerdict.Malformed("ocmf PG: expected a string, got number"),
                OcmfVerifier.verify("OCMF|{\"PG\":1,\"RD\":[{}]}|{\"SD\":\"00\"}", pile.publicKeyInfo()));
    }
}
