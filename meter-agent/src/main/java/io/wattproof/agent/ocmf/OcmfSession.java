package io.wattproof.agent.ocmf;

import io.wattproof.agent.ocmf.OcmfCodes.ChargePointType;
import io.wattproof.agent.ocmf.OcmfCodes.CurrentType;
import io.wattproof.agent.ocmf.OcmfCodes.EnergyUnit;
import io.wattproof.agent.ocmf.OcmfCodes.ErrorFlag;
import io.wattproof.agent.ocmf.OcmfCodes.IdentificationFlag;
import io.wattproof.agent.ocmf.OcmfCodes.IdentificationLevel;
import io.wattproof.agent.ocmf.OcmfCodes.IdentificationType;
import io.wattproof.agent.ocmf.OcmfCodes.MeterStatus;
import io.wattproof.agent.ocmf.OcmfCodes.ReadingReason;
import io.wattproof.agent.ocmf.OcmfCodes.TimeSync;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an OCMF export says about one completed charging session: who measured (the pile as the
 * signing gateway, its meter), who charged (a pseudonymous id, never personal data), the begin and
 * end readings of the import register, and where the session stands in the pile's record chain
 * ({@code sequence}, written as the transaction pagination, and the previous record's hash, written
 * into a vendor field). Field meanings follow OCMF-en.md; the mapping is in docs/ocmf.md.
 *
 * @param sequence the session record's sequence in the pile's chain, ≥ 1; PG is {@code T<sequence>}
 * @param previousRecordHash SHA-256 over the sign-bytes of the pile's previous record, 32 bytes;
 *     empty only for sequence 1, which has no previous record (as in the wire protocol)
 */
public record OcmfSession(
        Gateway gateway,
        Meter meter,
        long sequence,
        Identification identification,
        Optional<ChargePoint> chargePoint,
        Reading begin,
        Reading end,
        byte[] previousRecordHash) {

    public static final int HASH_LENGTH = 32;

    public OcmfSession {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(identification, "identification");
        Objects.requireNonNull(chargePoint, "chargePoint");
        Objects.requireNonNull(begin, "begin");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(previousRecordHash, "previousRecordHash");
        if (sequence < 1) {
            throw new IllegalArgumentException("ocmf sequence: expected ≥ 1, got " + sequence);
        }
        if (begin.reason() != ReadingReason.BEGIN) {
            throw new IllegalArgumentException("ocmf begin reading TX: expected B, got " + begin.reason().code());
        }
        if (!end.reason().endsTransaction()) {
            throw new IllegalArgumentException("ocmf end reading TX: expected one of E, L, R, A, P, got " + end.reason().code());
        }
        if (end.time().isBefore(begin.time())) {
            throw new IllegalArgumentException("ocmf end reading time: expected ≥ begin " + begin.time() + ", got " + end.time());
        }
        if (end.registerWh() < begin.registerWh()) {
            throw new IllegalArgumentException("ocmf end reading register: expected ≥ begin " + begin.registerWh() + " Wh, got "
                    + end.registerWh() + " Wh");
        }
        if (begin.unit() != end.unit()) {
            throw new IllegalArgumentException("ocmf end reading unit: expected " + begin.unit().code() + " as at begin, got " + end.unit().code());
        }
        int expectedHash = sequence == 1 ? 0 : HASH_LENGTH;
        if (previousRecordHash.length != expectedHash) {
            throw new IllegalArgumentException("ocmf previous record hash: expected " + expectedHash + " bytes at sequence " + sequence
                    + ", got " + previousRecordHash.length);
        }
        previousRecordHash = previousRecordHash.clone();
    }

    @Override
    public byte[] previousRecordHash() {
        return previousRecordHash.clone();
    }

    /**
     * GI, GS, GV: the signing component, here the pile (OCMF table 1). The serial is "conditionally
     * mandatory"; we always write it, since the pile is the signer.
     */
    public record Gateway(String identification, String serial, String version) {
        public Gateway {
            OcmfText.require("GI", identification, 1, 64);
            OcmfText.require("GS", serial, 1, 64);
            OcmfText.require("GV", version, 1, 64);
        }
    }

    /** MV, MM, MS, MF: the meter (OCMF table 3); MS is mandatory. */
    public record Meter(String vendor, String model, String serial, String firmware) {
        public Meter {
            OcmfText.require("MV", vendor, 1, 64);
            OcmfText.require("MM", model, 1, 64);
            OcmfText.require("MS", serial, 1, 64);
            OcmfText.require("MF", firmware, 1, 64);
        }
    }

    /**
     * IS, IL, IF, IT, ID (OCMF table 4). {@code data} is a pseudonymous id (for us the car owner's
     * key id), at most 40 characters as OCMF's data area allows; an empty {@code data} is omitted.
     */
    public record Identification(
            boolean assigned, IdentificationLevel level, List<IdentificationFlag> flags, IdentificationType type, String data) {
        public Identification {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(type, "type");
            flags = List.copyOf(flags);
            if (flags.size() > 4) {
                throw new IllegalArgumentException("ocmf IF: expected at most 4 flags, got " + flags.size());
            }
            OcmfText.require("ID", data, 0, 40);
        }
    }

    /** CT, CI (OCMF table 6). */
    public record ChargePoint(ChargePointType type, String id) {
        public ChargePoint {
            Objects.requireNonNull(type, "type");
            OcmfText.require("CI", id, 1, 64);
        }
    }

    /**
     * One entry of RD (OCMF table 7): the import register (OBIS {@link #IMPORT_REGISTER}) at
     * {@code time}, shown in the zone {@code offset}.
     *
     * @param registerWh the register in Wh, ≥ 0; written as kWh with three decimals or as Wh
     * @param currentType RT, empty to omit it
     */
    public record Reading(
            Instant time,
            ZoneOffset offset,
            TimeSync sync,
            ReadingReason reason,
            long registerWh,
            EnergyUnit unit,
            Optional<CurrentType> currentType,
            Set<ErrorFlag> errorFlags,
            MeterStatus status) {

        /** Total active energy import, the register OCMF-en.md's example uses; b is the channel wildcard. */
        public static final String IMPORT_REGISTER = "1-b:1.8.0";

        public Reading {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(offset, "offset");
            Objects.requireNonNull(sync, "sync");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(currentType, "currentType");
            Objects.requireNonNull(status, "status");
            errorFlags = errorFlags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(errorFlags));
            if (registerWh < 0) {
                throw new IllegalArgumentException("ocmf RV: expected register ≥ 0 Wh, got " + registerWh);
            }
            if (offset.getTotalSeconds() % 60 != 0) {
                throw new IllegalArgumentException("ocmf TM zone: expected whole minutes (+hhmm), got " + offset);
            }
            int year = time.atOffset(offset).getYear();
            if (year < 1000 || year > 9999) {
                throw new IllegalArgumentException("ocmf TM year: expected four digits, got " + year);
            }
        }
    }

    /** The identification for a car owner known by the key id of its booking key (docs/charging.md). */
    public static Identification bookingKey(byte[] driverKeyId) {
        // The pile checked the StartRequest's signature by the booking key itself, which is OCMF's
        // CERTIFIED ("verified by the signature component using a cryptographic signature"); no
        // RFID, OCPP, ISO 15118 or PLMN path was involved, and the id comes from the ledger's
        // registry of bookings (CENTRAL: "centrally generated ID, no exact format defined").
        return new Identification(true, IdentificationLevel.CERTIFIED,
                List.of(IdentificationFlag.RFID_NONE, IdentificationFlag.OCPP_NONE, IdentificationFlag.ISO15118_NONE,
                        IdentificationFlag.PLMN_NONE),
                IdentificationType.CENTRAL, HexFormat.of().withUpperCase().formatHex(driverKeyId));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OcmfSession s && gateway.equals(s.gateway) && meter.equals(s.meter) && sequence == s.sequence
                && identification.equals(s.identification) && chargePoint.equals(s.chargePoint) && begin.equals(s.begin)
                && end.equals(s.end) && java.util.Arrays.equals(previousRecordHash, s.previousRecordHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gateway, meter, sequence, identification, chargePoint, begin, end,
                java.util.Arrays.hashCode(previousRecordHash));
    }

    @Override
    public String toString() {
        return "OcmfSession[sequence=" + sequence + ", meter=" + meter.serial() + ", begin=" + begin + ", end=" + end + "]";
    }
}
