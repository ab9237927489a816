package io.wattproof.agent.ocmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.agent.ocmf.OcmfCodes.CurrentType;
import io.wattproof.agent.ocmf.OcmfCodes.ReadingReason;
import io.wattproof.agent.ocmf.OcmfCodes.TimeSync;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.ChargingSession.EndReason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class OcmfExportTest {
    @TempDir
    static Path tmp;

    static DeviceKey pile;

    static final OcmfPile PILE = new OcmfPile(
            new OcmfSession.Gateway("Wattproof meter-agent", "wp-pile-0042", "0.1.0"),
            new OcmfSession.Meter("Eastron", "SDM630-Modbus", "E0123456", "1.8"),
            Optional.empty(), ZoneOffset.UTC, TimeSync.SYNCHRONIZED, Optional.of(CurrentType.AC));

    @BeforeAll
    static void key() throws Exception {
        Path secret = tmp.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        pile = SoftwareKeyStore.create(tmp.resolve("pile"), KeyAlgorithm.ECDSA_P256_SHA256, secret);
    }

    static ChargingSession.Builder record() {
        return ChargingSession.newBuilder()
                .setDeviceId(ByteString.copyFrom(pile.deviceId().bytes()))
                .setSequence(812)
                .setContractTxHash(ByteString.copyFrom(new byte[32]))
                .setStartTime(1_795_000_000L)
                .setEndTime(1_795_003_600L)
                .setStartImportWh(1_000_250)
                .setEndImportWh(1_011_300)
                .setEnergyWh(11_050)
                .setEndReason(EndReason.STOPPED_BY_USER)
                .setPreviousHash(ByteString.copyFrom(OcmfSessions.PREVIOUS_HASH));
    }

    @Test
    void aChargingSessionRecordBecomesBeginAndEndReadings() {
        OcmfSession s = OcmfExport.session(record().build(), PILE, OcmfSessions.DRIVER_KEY_ID);
        assertEquals(812, s.sequence());
        assertEquals(Instant.ofEpochSecond(1_795_000_000L), s.begin().time());
        assertEquals(1_011_300, s.end().registerWh());
        String p = OcmfRecord.payloadOf(s);
        assertTrue(p.contains("\"PG\":\"T812\""), p);
        assertTrue(p.contains("\"TM\":\"2026-11-18T11:06:40,000+0000 S\",\"TX\":\"B\",\"RV\":1000.250,\"RI\":\"1-b:1.8.0\",\"RU\":\"kWh\",\"RT\":\"AC\""), p);
        assertTrue(p.contains("\"TX\":\"R\",\"RV\":1011.300,"), p);
        assertTrue(p.contains("\"ID\":\"101112131415161718191A1B1C1D1E1F20212223\""), p);
        assertTrue(p.endsWith("\"XP\":\"" + HexFormat.of().formatHex(OcmfSessions.PREVIOUS_HASH) + "\"}"), p);
    }

    @ParameterizedTest
    @CsvSource({"LIMIT_REACHED, END", "WINDOW_ENDED, END", "STOPPED_BY_USER, END_REMOTE", "FAULT, END_ABORT"})
    void endReasonsMapToOcmfTransactionCodes(EndReason reason, ReadingReason expected) {
        assertEquals(expected, OcmfExport.session(record().setEndReason(reason).build(), PILE, OcmfSessions.DRIVER_KEY_ID).end().reason());
    }

    @Test
    void aSignedExportVerifies() throws Exception {
        OcmfRecord r = OcmfExport.sign(record().build(), PILE, OcmfSessions.DRIVER_KEY_ID, pile);
        assertTrue(OcmfVerifier.verify(r.line(), pile.publicKeyInfo()).isValid());
    }

    @Test
    void recordsThatCannotBeExportedAreNamed() {
        assertEquals("charging session energy_wh: expected end_import_wh − start_import_wh = 11050, got 11051",
                assertThrows(IllegalArgumentException.class,
                        () -> OcmfExport.session(record().setEnergyWh(11_051).build(), PILE, OcmfSessions.DRIVER_KEY_ID)).getMessage());
        assertEquals("charging session end_reason: expected LIMIT_REACHED, STOPPED_BY_USER, WINDOW_ENDED or FAULT, got END_REASON_UNSPECIFIED",
                assertThrows(IllegalArgumentException.class, () -> OcmfExport.session(
                        record().setEndReason(EndReason.END_REASON_UNSPECIFIED).build(), PILE, OcmfSessions.DRIVER_KEY_ID)).getMessage());
        assertEquals("ocmf previous record hash: expected 32 bytes at sequence 812, got 0",
                assertThrows(IllegalArgumentException.class, () -> OcmfExport.session(
                        record().clearPreviousHash().build(), PILE, OcmfSessions.DRIVER_KEY_ID)).getMessage());
        assertEquals("driver key id: expected 20 bytes, got 32",
                assertThrows(IllegalArgumentException.class, () -> OcmfExport.session(record().build(), PILE, new byte[32])).getMessage());
        OcmfException other = assertThrows(OcmfException.class, () -> OcmfExport.sign(
                record().setDeviceId(ByteString.copyFrom(new byte[20])).build(), PILE, OcmfSessions.DRIVER_KEY_ID, pile));
        assertEquals("charging session device_id: expected this pile's " + pile.deviceId() + ", got 0x" + "00".repeat(20), other.getMessage());
    }

    @Test
    void theTransparenzsoftwareContainerHoldsTheLineAndTheKeyUnchanged() throws Exception {
        OcmfRecord r = OcmfExport.sign(record().build(), PILE, OcmfSessions.DRIVER_KEY_ID, pile);
        String xml = OcmfTransparencyXml.document(List.of(r), pile.publicKeyInfo());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element signed = (Element) doc.getElementsByTagName("signedData").item(0);
        assertEquals("OCMF", signed.getAttribute("format"));
        assertEquals("plain", signed.getAttribute("encoding"));
        assertEquals(r.line(), signed.getTextContent());
        Element key = (Element) doc.getElementsByTagName("publicKey").item(0);
        assertEquals("hex", key.getAttribute("encoding"));
        byte[] spki = HexFormat.of().parseHex(key.getTextContent());
        assertTrue(OcmfVerifier.verify(signed.getTextContent(), spki).isValid());
    }
}
