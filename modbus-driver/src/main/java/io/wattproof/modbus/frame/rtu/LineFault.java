package io.wattproof.modbus.frame.rtu;

import io.wattproof.modbus.pdu.Hex;
import io.wattproof.modbus.pdu.Violation;

/**
 * Why the bytes received so far hold no usable frame. A master that gives up waiting reports the
 * fault; it never takes a value from bytes that produced one.
 */
public sealed interface LineFault {

    /** The rule broken, in the form every protocol error of this driver uses. */
    Violation violation();

    /** Nothing was received. */
    record Silence() implements LineFault {
        @Override
        public Violation violation() {
            return new Violation("response", "a frame", "no bytes", "");
        }
    }

    /** Bytes where no frame of a known function starts (line noise, another protocol, a wrong baud rate). */
    record Noise(String hex, int count) implements LineFault {
        @Override
        public Violation violation() {
            return new Violation("frame", "an address 1..247 and a known function code", count + " bytes of noise", hex);
        }
    }

    /** The start of a frame whose remaining bytes never came. */
    record Truncated(int unitId, int functionCode, int received, int expected, String hex) implements LineFault {
        @Override
        public Violation violation() {
            String need = expected > 0 ? expected + " bytes" : "more bytes";
            return new Violation("frame length", need + " (unit " + unitId + ", function " + Hex.byteValue(functionCode) + ")",
                    received + " bytes", hex);
        }
    }

    /** A frame of the right length whose CRC does not match its contents. */
    record CrcMismatch(int unitId, int functionCode, int computed, int received, String hex) implements LineFault {
        @Override
        public Violation violation() {
            return new Violation("crc (unit " + unitId + ", function " + Hex.byteValue(functionCode) + ")",
                    Hex.wordValue(computed), Hex.wordValue(received), hex);
        }
    }
}
