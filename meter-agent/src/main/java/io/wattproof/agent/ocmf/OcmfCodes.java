package io.wattproof.agent.ocmf;

/**
 * The closed value lists of the OCMF specification (SAFE-eV/OCMF-Open-Charge-Metering-Format,
 * OCMF-en.md), each constant carrying the exact string written into the payload.
 */
public final class OcmfCodes {
    private OcmfCodes() {}

    /** Time status after the reading's time (OCMF table 19). */
    public enum TimeSync {
        /** U: unknown, unsynchronized. */
        UNSYNCHRONIZED("U"),
        /** I: informative (info clock). */
        INFORMATIVE("I"),
        /** S: synchronized. */
        SYNCHRONIZED("S"),
        /** R: relative time accounting with a legally accurate duration from an info-clock start. */
        RELATIVE("R");

        private final String code;

        TimeSync(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** TX, the reason of a reading in the transaction (OCMF table 7). */
    public enum ReadingReason {
        BEGIN("B"),
        CHARGING("C"),
        EXCEPTION("X"),
        END("E"),
        /** L: terminated locally. */
        END_LOCAL("L"),
        /** R: terminated remotely. */
        END_REMOTE("R"),
        /** A: aborted by an error. */
        END_ABORT("A"),
        /** P: terminated by a power failure. */
        END_POWER_FAILURE("P"),
        SUSPENDED("S"),
        TARIFF_CHANGE("T");

        private final String code;

        ReadingReason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** True for E, L, R, A and P, the reasons that close a transaction. */
        public boolean endsTransaction() {
            return switch (this) {
                case END, END_LOCAL, END_REMOTE, END_ABORT, END_POWER_FAILURE -> true;
                default -> false;
            };
        }
    }

    /** ST, the state of the meter at the reading (OCMF table 10). */
    public enum MeterStatus {
        NOT_PRESENT("N"),
        OK("G"),
        TIMEOUT("T"),
        DISCONNECTED("D"),
        NOT_FOUND("R"),
        MANIPULATED("M"),
        EXCHANGED("X"),
        INCOMPATIBLE("I"),
        OUT_OF_RANGE("O"),
        SUBSTITUTE("S"),
        OTHER_ERROR("E"),
        READ_ERROR("F");

        private final String code;

        MeterStatus(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** EF, the quantities no longer usable for billing (OCMF table 7); written in this order. */
    public enum ErrorFlag {
        ENERGY("E"),
        TIME("t");

        private final String code;

        ErrorFlag(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** RU (OCMF table 20), the energy units of the register. */
    public enum EnergyUnit {
        /** kWh, written with three decimals so that a whole Wh register is exact. */
        KWH("kWh"),
        /** Wh, written as an integer. */
        WH("Wh");

        private final String code;

        EnergyUnit(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** RT (OCMF table 21). */
    public enum CurrentType {
        AC,
        DC;

        public String code() {
            return name();
        }
    }

    /** IL, the overall state of the user assignment (OCMF table 11). */
    public enum IdentificationLevel {
        NONE, HEARSAY, TRUSTED, VERIFIED, CERTIFIED, SECURE, MISMATCH, INVALID, OUTDATED, UNKNOWN;

        public String code() {
            return name();
        }
    }

    /** IF, details of the user assignment (OCMF tables 13 to 16). */
    public enum IdentificationFlag {
        RFID_NONE, RFID_PLAIN, RFID_RELATED, RFID_PSK,
        OCPP_NONE, OCPP_RS, OCPP_AUTH, OCPP_RS_TLS, OCPP_AUTH_TLS, OCPP_CACHE, OCPP_WHITELIST, OCPP_CERTIFIED,
        ISO15118_NONE, ISO15118_PNC,
        PLMN_NONE, PLMN_RING, PLMN_SMS;

        public String code() {
            return name();
        }
    }

    /** IT, the type of the identification data (OCMF table 17). */
    public enum IdentificationType {
        NONE, DENIED, UNDEFINED, ISO14443, ISO15693, EMAID, EVCCID, EVCOID, ISO7812, CARD_TXN_NR,
        CENTRAL, CENTRAL_1, CENTRAL_2, LOCAL, LOCAL_1, LOCAL_2, PHONE_NUMBER, KEY_CODE;

        public String code() {
            return name();
        }
    }

    /** CT, how the charge point is identified (OCMF table 18). */
    public enum ChargePointType {
        EVSEID, CBIDC;

        public String code() {
            return name();
        }
    }
}
