package io.wattproof.agent.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.TestDeviceKey;
import io.wattproof.agent.interval.ClosedInterval;
import io.wattproof.agent.interval.IntervalSchedule;
import io.wattproof.agent.interval.SampleExtremes;
import io.wattproof.agent.meter.MeterSnapshot;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.KeyAlgorithm;
import io.wattproof.protocol.v1.QualityFlag;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReadingFactoryTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private final TestDeviceKey key = new TestDeviceKey();
    private final FirmwareIdentity firmware = new FirmwareIdentity("0.1.0", new byte[32]);
    private final ReadingFactory factory = new ReadingFactory(new DeviceDescription(key.deviceId(), "SDM630", "1234", firmware));

    private static MeterSnapshot snap(double importKwh, double exportKwh) {
        return new MeterSnapshot(importKwh, exportKwh, 0, new double[] {230.04}, new double[] {1.5});
    }

    private static ClosedInterval interval(Instant start, MeterSnapshot a, MeterSnapshot b) {
        SampleExtremes x = SampleExtremes.of(a).with(b).with(
                new MeterSnapshot(a.importKwh(), a.exportKwh(), 3456.4, new double[] {229.96}, new double[] {15.0004}));
        return new ClosedInterval(start, new IntervalSchedule(900), a, b, x);
    }

    @Test
    void fillsEveryFieldInProtocolUnits() {
        Reading r = factory.build(interval(T0, snap(1000.0, 20.0), snap(1000.25, 20.0)), ChainState.GENESIS, 0);
        assertEquals(1, r.getSequence());
        assertArrayEquals(key.deviceId().bytes(), r.getDeviceId().toByteArray());
        assertEquals(T0.getEpochSecond(), r.getIntervalStart());
        assertEquals(900, r.getIntervalSeconds());
        assertEquals(1_000_250, r.getImportWh());
        assertEquals(20_000, r.getExportWh());
        assertEquals(250, r.getImportDeltaWh());
        assertEquals(0, r.getExportDeltaWh());
        assertEquals(1000, r.getAveragePowerW()); // 250 Wh in a quarter hour
        assertEquals(3456, r.getPeakPowerW());
        assertEquals(2300, r.getVoltageMinDv()); // 229.96 V rounds to 230.0
        assertEquals(2300, r.getVoltageMaxDv());
        assertEquals(1500, r.getCurrentMinMa());
        assertEquals(15000, r.getCurrentMaxMa());
        assertEquals(0, r.getQualityFlags());
        assertEquals("SDM630", r.getMeterModel());
        assertEquals("1234", r.getMeterSerial());
        assertEquals("0.1.0", r.getFirmwareVersion());
        assertEquals(32, r.getFirmwareHash().size());
        assertTrue(r.getPreviousHash().isEmpty());
    }

    @Test
    void exportingIntervalHasNegativeAveragePower() {
        Reading r = factory.build(interval(T0, snap(10, 5.0), snap(10, 5.5)), ChainState.GENESIS, 0);
        assertEquals(-2000, r.getAveragePowerW());
    }

    @Test
    void registerRunningBackwardsIsFlaggedNotNegative() {
        Reading r = factory.build(interval(T0, snap(10, 0), snap(9.9, 0)), ChainState.GENESIS, 0);
        assertEquals(0, r.getImportDeltaWh());
        assertTrue((r.getQualityFlags() & QualityFlag.METER_ERROR_VALUE) != 0);
    }

    @Test
    void timeGapAfterThePreviousRecordIsFlagged() {
        ChainState afterGap = new ChainState(5, new byte[32], T0.minusSeconds(1800));
        Reading r = factory.build(interval(T0, snap(1, 0), snap(1, 0)), afterGap, QualityFlag.TAMPER_VALUE);
        assertEquals(5, r.getSequence());
        assertEquals(QualityFlag.GAP_VALUE | QualityFlag.TAMPER_VALUE, r.getQualityFlags());
        ChainState contiguous = new ChainState(5, new byte[32], T0);
        assertEquals(0, factory.build(interval(T0, snap(1, 0), snap(1, 0)), contiguous, 0).getQualityFlags());
    }

    @Test
    void signedRecordChainsAndVerifies() throws Exception {
        RecordSigner signer = new RecordSigner(key, "test-chain");
        Reading first = factory.build(interval(T0, snap(1, 0), snap(1.1, 0)), ChainState.GENESIS, 0);
        SignedRecord r1 = signer.sign(first);
        ChainState after1 = ChainState.GENESIS.advance(r1);
        Reading second = factory.build(interval(T0.plusSeconds(900), snap(1.1, 0), snap(1.2, 0)), after1, 0);
        SignedRecord r2 = signer.sign(second);

        SignedTx tx1 = SignedTx.parseFrom(r1.signedTx());
        SignedTx tx2 = SignedTx.parseFrom(r2.signedTx());
        assertEquals(BodyType.READING, tx1.getBodyType());
        assertEquals(KeyAlgorithm.ED25519, tx1.getKeyAlgorithm());
        assertArrayEquals(key.publicKeyInfo(), tx1.getPublicKey().toByteArray()); // first record introduces the key
        assertTrue(tx2.getPublicKey().isEmpty());

        byte[] sb1 = SignBytes.of(BodyType.READING, "test-chain", tx1.getBody().toByteArray());
        assertTrue(key.verify(sb1, tx1.getSignature().toByteArray()));
        assertArrayEquals(SignBytes.recordHash(sb1), Reading.parseFrom(tx2.getBody()).getPreviousHash().toByteArray());
        assertEquals(T0.plusSeconds(1800), r2.intervalEnd());
        assertEquals(3, after1.advance(r2).nextSequence());
    }
}
