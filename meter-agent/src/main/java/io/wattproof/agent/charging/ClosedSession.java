package io.wattproof.agent.charging;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.DeviceId;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.ChargingSession.EndReason;
import io.wattproof.protocol.v1.SealedData;
import java.time.Instant;

/**
 * The fields of a finished session, before the record pipeline gives it its place in the pile's
 * chain (sequence, previous hash) and its sealed personal data (sealed to a context that contains
 * the sequence, docs/sealing.md).
 */
public record ClosedSession(OpenSession session, Instant endTime, long endImportWh, EndReason endReason) {
    public ClosedSession {
        if (endImportWh < session.startImportWh()) {
            throw new IllegalArgumentException("end import register: expected ≥ start " + session.startImportWh() + " Wh, got " + endImportWh);
        }
    }

    /** end − start register, Wh (ChargingSession.energy_wh). */
    public long energyWh() {
        return endImportWh - session.startImportWh();
    }

    /** The ChargingSession body; times in whole UTC epoch seconds as on the wire. */
    public ChargingSession toRecord(DeviceId pile, long sequence, byte[] previousHash, SealedData sealed) {
        return ChargingSession.newBuilder()
                .setDeviceId(ByteString.copyFrom(pile.bytes()))
                .setSequence(sequence)
                .setContractTxHash(ByteString.copyFrom(session.bookingTxHash()))
                .setStartTime(session.startTime().getEpochSecond())
                .setEndTime(endTime.getEpochSecond())
                .setStartImportWh(session.startImportWh())
                .setEndImportWh(endImportWh)
                .setEnergyWh(energyWh())
                .setEndReason(endReason)
                .setOwnerPseudonym(ByteString.copyFrom(session.ownerPseudonym()))
                .setDriverPseudonym(ByteString.copyFrom(session.driverPseudonym()))
                .setSealedPersonalData(sealed)
                .setPreviousHash(ByteString.copyFrom(previousHash))
                .build();
    }
}
