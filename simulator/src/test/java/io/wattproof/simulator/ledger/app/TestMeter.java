package io.wattproof.simulator.ledger.app;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import java.util.ArrayList;
import java.util.List;

/** A device for tests: signs readings as a correct agent would, with a real crypto-se key. */
final class TestMeter {
    static final long T0 = 1_767_225_600L; // 2026-01-01T00:00:00Z, a multiple of 900
    static final int INTERVAL = 900;

    final DeviceKey key;
    final DeviceId id;

    TestMeter(DeviceKey key) {
        this.key = key;
        this.id = key.deviceId();
    }

    /** Reading {@code sequence} for interval T0 + (sequence - 1) * 900, linked to {@code previousHash}. */
    Reading.Builder reading(long sequence, byte[] previousHash, long importDeltaWh, long exportDeltaWh) {
        return Reading.newBuilder()
                .setDeviceId(ByteString.copyFrom(id.bytes()))
                .setSequence(sequence)
                .setIntervalStart(T0 + INTERVAL * (sequence - 1))
                .setIntervalSeconds(INTERVAL)
                .setImportWh(10_000 + 100 * sequence)
                .setImportDeltaWh(importDeltaWh)
                .setExportDeltaWh(exportDeltaWh)
                .setMeterModel("SDM630")
                .setMeterSerial("SIM-0001")
                .setFirmwareVersion("0.1.0")
                .setPreviousHash(ByteString.copyFrom(previousHash));
    }

    static byte[] recordHash(Reading r) {
        return SignBytes.recordHash(SignBytes.of(BodyType.READING, AppFixture.CHAIN_ID, r.toByteArray()));
    }

    SignedTx.Builder signed(Reading r) {
        try {
            byte[] signature = key.sign(SignBytes.of(BodyType.READING, AppFixture.CHAIN_ID, r.toByteArray()));
            return SignedTx.newBuilder()
                    .setBodyType(BodyType.READING)
                    .setBody(r.toByteString())
                    .setKeyAlgorithmValue(key.algorithm().wireNumber())
                    .setSignature(ByteString.copyFrom(signature));
        } catch (KeyStoreFailure e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] tx(Reading r) {
        return signed(r).build().toByteArray();
    }

    /** Readings 1..n, each linked to the one before, with the given deltas. */
    List<Reading> chain(int n, long importDeltaWh, long exportDeltaWh) {
        List<Reading> out = new ArrayList<>();
        byte[] previous = new byte[0];
        for (long seq = 1; seq <= n; seq++) {
            Reading r = reading(seq, previous, importDeltaWh, exportDeltaWh).build();
            out.add(r);
            previous = recordHash(r);
        }
        return out;
    }
}
