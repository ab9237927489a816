package io.wattproof.modbus.frame.rtu;

import io.wattproof.modbus.pdu.Hex;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds RTU frames in received bytes. Pure: the caller accumulates bytes and scans the whole
 * buffer again after each read, so the result depends only on the bytes, never on how they were
 * split into reads.
 *
 * <p>Every offset is a candidate frame start: a plausible address, a function code whose frame
 * length can be worked out, and a CRC that matches. Bytes before the first valid frame are noise
 * and skipped, which is how a receiver resynchronises after garbage on the line (Serial Line
 * V1.02 section 2.5.1.1 leaves the receiver to discard incomplete frames). A candidate with a bad
 * CRC or a missing tail never yields a frame; it only shapes the fault reported when no frame is
 * found. The chance that noise forms a frame with a valid CRC and the address and function a
 * master expects is about 2^-32 per offset, before the master's own checks of byte count.
 */
public final class RtuFrameScanner {
    /** Address, function + 0x80, exception code, CRC (Application Protocol section 7). */
    private static final int EXCEPTION_RESPONSE_LENGTH = 5;

    private RtuFrameScanner() {}

    /**
     * Scans {@code bytes[from, to)} for a response. {@code expectedUnit} only ranks faults (a CRC
     * error in a frame from the unit asked is the most telling); a valid frame from another unit is
     * still returned, so that the master can report it as an unexpected unit.
     */
    public static RtuScan scanResponse(byte[] bytes, int from, int to, int expectedUnit) {
        return scan(bytes, from, to, expectedUnit, true);
    }

    /** Scans {@code bytes[from, to)} for a request, as a slave does; broadcast address 0 included. */
    public static RtuScan scanRequest(byte[] bytes, int from, int to) {
        return scan(bytes, from, to, -1, false);
    }

    /**
     * Treats {@code bytes[from, to)} as one frame delimited by silence, the way section 2.5.1.1
     * frames messages: a slave uses this for a function code whose length it cannot work out, to
     * answer it with an exception response when the CRC is valid.
     */
    public static Optional<RtuFrame> wholeFrame(byte[] bytes, int from, int to) {
        int length = to - from;
        if (length < RtuFrame.MIN_FRAME_LENGTH || length > RtuFrame.MAX_FRAME_LENGTH) {
            return Optional.empty();
        }
        if (Crc16.of(bytes, from, length - 2) != Crc16.read(bytes, to - 2)) {
            return Optional.empty();
        }
        return Optional.of(new RtuFrame(bytes[from] & 0xFF, Arrays.copyOfRange(bytes, from + 1, to - 2)));
    }

    /**
     * The fewest bytes still to come before the answer from {@code unitId} to {@code function} that
     * starts at {@code from} can be complete, so that a reader can wait as long as the line needs to
     * carry them instead of waking for every character. The length is known once the function code
     * (and for FC 03/04 the byte count) is in; before that, the shortest answer, an exception
     * response of 5 bytes (Application Protocol section 7), bounds it. 0 when the bytes at {@code
     * from} do not begin such an answer (another unit, another function, no frame this driver can
     * measure) or the frame is complete: a lower bound, never a promise that the bytes will come.
     *
     * @param function the request's function code; its exception response (function + 0x80) counts
     */
    public static int responseBytesMissing(byte[] bytes, int from, int to, int unitId, int function) {
        Objects.checkFromToIndex(from, to, bytes.length);
        int received = to - from;
        if (received == 0 || (bytes[from] & 0xFF) != unitId) {
            return 0;
        }
        if (received >= 2 && (bytes[from + 1] & 0x7F) != function) {
            return 0;
        }
        return switch (FrameLength.ofResponse(bytes, from, to)) {
            case FrameLength.Known(int length) -> Math.max(0, length - received);
            case FrameLength.NeedMore n -> Math.max(1, EXCEPTION_RESPONSE_LENGTH - received);
            case FrameLength.Unframeable u -> 0;
        };
    }

    private static RtuScan scan(byte[] b, int from, int to, int expectedUnit, boolean response) {
        if (from < 0 || to > b.length || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + b.length + " bytes");
        }
        if (from == to) {
            return new RtuScan.Incomplete(new LineFault.Silence());
        }
        LineFault best = null;
        int bestRank = 0;
        for (int start = from; start < to; start++) {
            int address = b[start] & 0xFF;
            // Section 2.2: a response comes from a device 1..247; a request goes to 0..247.
            if (address > RtuFrame.MAX_DEVICE_ADDRESS || (response && address == RtuFrame.BROADCAST)) {
                continue;
            }
            FrameLength length = response ? FrameLength.ofResponse(b, start, to) : FrameLength.ofRequest(b, start, to);
            LineFault fault;
            switch (length) {
                case FrameLength.Unframeable u -> {
                    continue;
                }
                case FrameLength.NeedMore n -> fault = truncated(b, start, to, 0);
                case FrameLength.Known(int n) -> {
                    if (start + n > to) {
                        fault = truncated(b, start, to, n);
                    } else {
                        int computed = Crc16.of(b, start, n - 2);
                        int received = Crc16.read(b, start + n - 2);
                        if (computed == received) {
                            RtuFrame frame = new RtuFrame(address, Arrays.copyOfRange(b, start + 1, start + n - 2));
                            return new RtuScan.Found(frame, start - from, start + n - from);
                        }
                        fault = new LineFault.CrcMismatch(address, b[start + 1] & 0xFF, computed, received,
                                Hex.bytes(b, start, n));
                    }
                }
            }
            int rank = rank(fault, address == expectedUnit);
            if (rank > bestRank) {
                best = fault;
                bestRank = rank;
            }
        }
        return new RtuScan.Incomplete(best != null ? best : new LineFault.Noise(Hex.bytes(b, from, to - from), to - from));
    }

    /** Most telling first: a CRC error from the unit asked, its truncated frame, then the same from others. */
    private static int rank(LineFault fault, boolean fromExpectedUnit) {
        int base = fault instanceof LineFault.CrcMismatch ? 2 : 1;
        return fromExpectedUnit ? base + 2 : base;
    }

    private static LineFault truncated(byte[] b, int start, int to, int expected) {
        int function = to - start > 1 ? b[start + 1] & 0xFF : -1;
        return new LineFault.Truncated(b[start] & 0xFF, Math.max(function, 0), to - start, expected,
                Hex.bytes(b, start, to - start));
    }
}
