package io.wattproof.agent.ocmf;

import io.wattproof.agent.ocmf.OcmfCodes.EnergyUnit;
import io.wattproof.agent.ocmf.OcmfCodes.MeterStatus;
import io.wattproof.agent.ocmf.OcmfCodes.ReadingReason;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.protocol.v1.ChargingSession;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;

/** A signed {@link ChargingSession} record of the pile's chain as an OCMF record. */
public final class OcmfExport {
    private OcmfExport() {}

    /**
     * The OCMF description of {@code record}: its sequence as pagination, its times and import
     * register as begin and end readings, its previous hash in the vendor field, the car owner
     * by {@code driverKeyId} (the booking key's id, docs/charging.md: a pseudonym, never personal
     * data; the record's {@code driver_pseudonym} commitment is 32 bytes and longer than OCMF's
     * 40-character ID).
     *
     * @throws IllegalArgumentException naming the record field that cannot be exported
     */
    public static OcmfSession session(ChargingSession record, OcmfPile pile, byte[] driverKeyId) {
        if (record.getEnergyWh() != record.getEndImportWh() - record.getStartImportWh()) {
            throw new IllegalArgumentException("charging session energy_wh: expected end_import_wh − start_import_wh = "
                    + (record.getEndImportWh() - record.getStartImportWh()) + ", got " + record.getEnergyWh());
        }
        if (driverKeyId.length != DeviceId.LENGTH) {
            throw new IllegalArgumentException("driver key id: expected " + DeviceId.LENGTH + " bytes, got " + driverKeyId.length);
        }
        OcmfSession.Reading begin = reading(pile, record.getStartTime(), ReadingReason.BEGIN, record.getStartImportWh());
        OcmfSession.Reading end = reading(pile, record.getEndTime(), endReason(record.getEndReason()), record.getEndImportWh());
        return new OcmfSession(pile.gateway(), pile.meter(), record.getSequence(), OcmfSession.bookingKey(driverKeyId),
                pile.chargePoint(), begin, end, record.getPreviousHash().toByteArray());
    }

    /**
     * {@link #session} signed by {@code key}, which must be the key of the record's device.
     *
     * @throws OcmfException if the key is not P-256 or is not the record's device's key
     */
    public static OcmfRecord sign(ChargingSession record, OcmfPile pile, byte[] driverKeyId, DeviceKey key)
            throws OcmfException, KeyStoreFailure {
        OcmfSigner.requireExportable(key.algorithm());
        byte[] deviceId = record.getDeviceId().toByteArray();
        if (!java.util.Arrays.equals(key.deviceId().bytes(), deviceId)) {
            throw new OcmfException("charging session device_id: expected this pile's " + key.deviceId() + ", got 0x"
                    + HexFormat.of().formatHex(deviceId));
        }
        return OcmfSigner.sign(session(record, pile, driverKeyId), key);
    }

    /**
     * OCMF's end reasons (table 7, TX): the pile stopping at the booking's limit or the window's
     * end is a plain end (E); a StopRequest arrives over the network from the car owner (R,
     * "terminated remotely"); a fault (meter unreadable, relay feedback wrong, a restart after a
     * power cut) aborts by error (A).
     */
    static ReadingReason endReason(ChargingSession.EndReason reason) {
        return switch (reason) {
            case LIMIT_REACHED, WINDOW_ENDED -> ReadingReason.END;
            case STOPPED_BY_USER -> ReadingReason.END_REMOTE;
            case FAULT -> ReadingReason.END_ABORT;
            case END_REASON_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException(
                    "charging session end_reason: expected LIMIT_REACHED, STOPPED_BY_USER, WINDOW_ENDED or FAULT, got " + reason);
        };
    }

    private static OcmfSession.Reading reading(OcmfPile pile, long epochSeconds, ReadingReason reason, long registerWh) {
        return new OcmfSession.Reading(Instant.ofEpochSecond(epochSeconds), pile.offset(), pile.timeSync(), reason, registerWh,
                EnergyUnit.KWH, pile.currentType(), Set.of(), MeterStatus.OK);
    }
}
