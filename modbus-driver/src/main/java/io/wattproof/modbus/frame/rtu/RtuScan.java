package io.wattproof.modbus.frame.rtu;

import java.util.Objects;

/** Outcome of scanning received bytes for an RTU frame. */
public sealed interface RtuScan {

    /**
     * A frame with a valid CRC occupies bytes {@code [start, end)}; the {@code start} bytes before it
     * were noise (or the rest of an earlier, broken frame) and are to be dropped.
     */
    record Found(RtuFrame frame, int start, int end) implements RtuScan {
        public Found {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** No complete frame yet; {@code fault} says what the bytes so far look like. */
    record Incomplete(LineFault fault) implements RtuScan {
        public Incomplete {
            Objects.requireNonNull(fault, "fault");
        }
    }
}
