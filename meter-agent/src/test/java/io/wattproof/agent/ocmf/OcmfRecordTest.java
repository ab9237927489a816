package io.wattproof.agent.ocmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.agent.ocmf.OcmfCodes.EnergyUnit;
import io.wattproof.agent.ocmf.OcmfCodes.ErrorFlag;
import io.wattproof.agent.ocmf.OcmfCodes.MeterStatus;
import io.wattproof.agent.ocmf.OcmfCodes.ReadingReason;
import io.wattproof.agent.ocmf.OcmfCodes.TimeSync;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class OcmfRecordTest {

    /** The whole payload of the fixed session, byte for byte: field order of OCMF-en.md tables 1 to 7, no whitespace. */
    @Test
    void payloadIsExactlyTheSpecifiedLayout() {
        String expected = "{\"FV\":\"1.0\",\"GI\":\"Wattproof meter-agent\",\"GS\":\"wp-pile-0042\",\"GV\":\"0.1.0\",\"PG\":\"T4711\","
                + "\"MV\":\"Eastron\",\"MM\":\"SDM630-Modbus\",\"MS\":\"E0123456\",\"MF\":\"1.8\","
                + "\"IS\":true,\"IL\":\"CERTIFIED\",\"IF\":[\"RFID_NONE\",\"OCPP_NONE\",\"ISO15118_NONE\",\"PLMN_NONE\"],"
                + "\"IT\":\"CENTRAL\",\"ID\":\"101112131415161718191A1B1C1D1E1F20212223\","
                + "\"CT\":\"EVSEID\",\"CI\":\"DE*WPF*E0042*1\","
                + "\"RD\":[{\"TM\":\"2026-11-27T12:22:04,007+0100 S\",\"TX\":\"B\",\"RV\":2935.600,\"RI\":\"1-b:1.8.0\",\"RU\":\"kWh\",\"RT\":\"AC\",\"EF\":\"\",\"ST\":\"G\"},"
                + "{\"TM\":\"2026-11-27T13:26:04,250+0100 S\",\"TX\":\"R\",\"RV\":2965.105,\"RI\":\"1-b:1.8.0\",\"RU\":\"kWh\",\"RT\":\"AC\",\"EF\":\"\",\"ST\":\"G\"}],"
                + "\"XP\":\"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf\"}";
        assertEquals(expected, OcmfRecord.payloadOf(OcmfSessions.session()));
    }

    @Test
    void payloadParsesAsJsonWithTheKeysInSpecOrder() throws Exception {
        JsonNode json = new ObjectMapper().readTree(OcmfRecord.payloadOf(OcmfSessions.session()));
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        assertEquals(List.of("FV", "GI", "GS", "GV", "PG", "MV", "MM", "MS", "MF", "IS", "IL", "IF", "IT", "ID", "CT", "CI", "RD", "XP"), keys);
        assertTrue(json.get("IS").isBoolean());
        assertTrue(json.get("RD").get(0).get("RV").isNumber());
    }

    @Test
    void chargePointAndEmptyIdentificationDataAreOmitted() {
        OcmfSession s = OcmfSessions.session();
        OcmfSession without = new OcmfSession(s.gateway(), s.meter(), s.sequence(),
                new OcmfSession.Identification(false, OcmfCodes.IdentificationLevel.NONE, List.of(), OcmfCodes.IdentificationType.NONE, ""),
                Optional.empty(), s.begin(), s.end(), s.previousRecordHash());
        String p = OcmfRecord.payloadOf(without);
        assertTrue(p.contains("\"IS\":false,\"IL\":\"NONE\",\"IF\":[],\"IT\":\"NONE\",\"RD\":["), p);
    }

    @Test
    void theFirstRecordOfAChainHasAnEmptyPreviousHash() {
        OcmfSession s = OcmfSessions.session();
        OcmfSession first = new OcmfSession(s.gateway(), s.meter(), 1, s.identification(), s.chargePoint(), s.begin(), s.end(), new byte[0]);
        String p = OcmfRecord.payloadOf(first);
        assertTrue(p.contains("\"PG\":\"T1\","), p);
        assertTrue(p.endsWith("],\"XP\":\"\"}"), p);
        assertEquals("ocmf previous record hash: expected 0 bytes at sequence 1, got 32",
                assertThrows(IllegalArgumentException.class, () -> new OcmfSession(s.gateway(), s.meter(), 1, s.identification(),
                        s.chargePoint(), s.begin(), s.end(), s.previousRecordHash())).getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "UNSYNCHRONIZED, 2026-01-05T00:00:00Z, 0, '2026-01-05T00:00:00,000+0000 U'",
        "INFORMATIVE, 2026-06-30T22:59:59.999Z, 2, '2026-07-01T00:59:59,999+0200 I'",
        "SYNCHRONIZED, 2026-03-01T12:00:00.5Z, -5, '2026-03-01T07:00:00,500-0500 S'",
        "RELATIVE, 2026-03-01T12:00:00.010Z, 0, '2026-03-01T12:00:00,010+0000 R'",
    })
    void timeHasMillisecondsAfterACommaTheZoneAndTheSyncFlag(TimeSync sync, String instant, int offsetHours, String expected) {
        OcmfSession.Reading r = new OcmfSession.Reading(Instant.parse(instant), ZoneOffset.ofHours(offsetHours), sync,
                ReadingReason.BEGIN, 0, EnergyUnit.KWH, Optional.empty(), Set.of(), MeterStatus.OK);
        assertEquals(expected, OcmfRecord.time(r));
    }

    @ParameterizedTest
    @CsvSource({"0, KWH, 0.000", "1, KWH, 0.001", "2935600, KWH, 2935.600", "123456789012, KWH, 123456789.012",
        "0, WH, 0", "2935600, WH, 2935600"})
    void registerValueIsExactInBothUnits(long wh, EnergyUnit unit, String expected) {
        assertEquals(expected, OcmfRecord.registerValue(wh, unit));
    }

    @ParameterizedTest
    @EnumSource(MeterStatus.class)
    void everyMeterStatusIsWrittenAsItsLetter(MeterStatus status) {
        OcmfSession s = OcmfSessions.session();
        OcmfSession.Reading e = s.end();
        OcmfSession.Reading end = new OcmfSession.Reading(e.time(), e.offset(), e.sync(), ReadingReason.END_ABORT, e.registerWh(), e.unit(),
                Optional.empty(), Set.of(ErrorFlag.TIME, ErrorFlag.ENERGY), status);
        String p = OcmfRecord.payloadOf(new OcmfSession(s.gateway(), s.meter(), s.sequence(), s.identification(), s.chargePoint(),
                s.begin(), end, s.previousRecordHash()));
        // No RT when the current type is unknown; EF in the fixed order E then t.
        assertTrue(p.contains("\"TX\":\"A\",\"RV\":2965.105,\"RI\":\"1-b:1.8.0\",\"RU\":\"kWh\",\"EF\":\"Et\",\"ST\":\"" + status.code() + "\"}"), p);
    }

    @Test
    void statusLettersAreThoseOfTable10() {
        StringBuilder letters = new StringBuilder();
        for (MeterStatus s : MeterStatus.values()) {
            letters.append(s.code());
        }
        assertEquals("NGTDRMXIOSEF", letters.toString());
    }

    @Test
    void lineIsHeaderPayloadAndSignatureSection() {
        OcmfRecord r = new OcmfRecord("{\"PG\":\"T1\"}", new byte[] {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x7f});
        assertEquals("OCMF|{\"PG\":\"T1\"}|{\"SA\":\"ECDSA-secp256r1-SHA256\",\"SE\":\"hex\",\"SM\":\"application/x-der\",\"SD\":\"300602010102017F\"}",
                r.line());
    }

    @Test
    void refusesAPipeOrNonAsciiInAnyText() {
        IllegalArgumentException pipe = assertThrows(IllegalArgumentException.class,
                () -> new OcmfSession.Meter("Eastron", "SDM|630", "E1", "1.8"));
        assertEquals("ocmf MM: expected printable ascii without '|', got 0x7c at index 3", pipe.getMessage());
        IllegalArgumentException umlaut = assertThrows(IllegalArgumentException.class,
                () -> new OcmfSession.Gateway("Zähler", "1", "1"));
        assertTrue(umlaut.getMessage().startsWith("ocmf GI: expected printable ascii"), umlaut.getMessage());
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        OcmfSession s = OcmfSessions.session();
        OcmfSession q = new OcmfSession(new OcmfSession.Gateway("a\"b\\c", "1", "1"), s.meter(), 2, s.identification(), s.chargePoint(),
                s.begin(), s.end(), s.previousRecordHash());
        assertTrue(OcmfRecord.payloadOf(q).startsWith("{\"FV\":\"1.0\",\"GI\":\"a\\\"b\\\\c\","));
    }

    @Test
    void refusesAnInconsistentSession() {
        OcmfSession s = OcmfSessions.session();
        assertEquals("ocmf end reading register: expected ≥ begin 2935600 Wh, got 2935599 Wh",
                assertThrows(IllegalArgumentException.class, () -> OcmfSessions.session(2_935_599)).getMessage());
        assertEquals("ocmf begin reading TX: expected B, got R",
                assertThrows(IllegalArgumentException.class, () -> new OcmfSession(s.gateway(), s.meter(), 2, s.identification(),
                        s.chargePoint(), s.end(), s.end(), s.previousRecordHash())).getMessage());
        assertEquals("ocmf sequence: expected ≥ 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new OcmfSession(s.gateway(), s.meter(), 0, s.identification(),
                        s.chargePoint(), s.begin(), s.end(), s.previousRecordHash())).getMessage());
        assertEquals("ocmf previous record hash: expected 32 bytes at sequence 2, got 31",
                assertThrows(IllegalArgumentException.class, () -> new OcmfSession(s.gateway(), s.meter(), 2, s.identification(),
                        s.chargePoint(), s.begin(), s.end(), new byte[31])).getMessage());
        assertEquals("ocmf TM zone: expected whole minutes (+hhmm), got +01:00:30",
                assertThrows(IllegalArgumentException.class, () -> new OcmfSession.Reading(Instant.EPOCH, ZoneOffset.ofHoursMinutesSeconds(1, 0, 30),
                        TimeSync.SYNCHRONIZED, ReadingReason.BEGIN, 0, EnergyUnit.WH, Optional.empty(), Set.of(), MeterStatus.OK)).getMessage());
    }
}
