package io.wattproof.agent.ocmf;

import io.wattproof.agent.ocmf.OcmfCodes.ChargePointType;
import io.wattproof.agent.ocmf.OcmfCodes.CurrentType;
import io.wattproof.agent.ocmf.OcmfCodes.EnergyUnit;
import io.wattproof.agent.ocmf.OcmfCodes.MeterStatus;
import io.wattproof.agent.ocmf.OcmfCodes.ReadingReason;
import io.wattproof.agent.ocmf.OcmfCodes.TimeSync;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

/** Sessions for the OCMF tests: one fixed, fully known session and variations of it. */
final class OcmfSessions {
    static final byte[] PREVIOUS_HASH = new byte[32];
    static final byte[] DRIVER_KEY_ID = new byte[20];

    static {
        for (int i = 0; i < 32; i++) {
            PREVIOUS_HASH[i] = (byte) (0xa0 + i);
        }
        for (int i = 0; i < 20; i++) {
            DRIVER_KEY_ID[i] = (byte) (0x10 + i);
        }
    }

    private OcmfSessions() {}

    static OcmfSession.Reading begin() {
        return new OcmfSession.Reading(Instant.parse("2026-11-27T11:22:04.007Z"), ZoneOffset.ofHours(1), TimeSync.SYNCHRONIZED,
                ReadingReason.BEGIN, 2_935_600, EnergyUnit.KWH, Optional.of(CurrentType.AC), Set.of(), MeterStatus.OK);
    }

    static OcmfSession.Reading end(long registerWh) {
        return new OcmfSession.Reading(Instant.parse("2026-11-27T12:26:04.250Z"), ZoneOffset.ofHours(1), TimeSync.SYNCHRONIZED,
                ReadingReason.END_REMOTE, registerWh, EnergyUnit.KWH, Optional.of(CurrentType.AC), Set.of(), MeterStatus.OK);
    }

    static OcmfSession session() {
        return session(2_965_105);
    }

    static OcmfSession session(long endRegisterWh) {
        return new OcmfSession(
                new OcmfSession.Gateway("Wattproof meter-agent", "wp-pile-0042", "0.1.0"),
                new OcmfSession.Meter("Eastron", "SDM630-Modbus", "E0123456", "1.8"),
                4711,
                OcmfSession.bookingKey(DRIVER_KEY_ID),
                Optional.of(new OcmfSession.ChargePoint(ChargePointType.EVSEID, "DE*WPF*E0042*1")),
                begin(),
                end(endRegisterWh),
                PREVIOUS_HASH);
    }
}
