package io.wattproof.agent.charging;

import io.wattproof.agent.AtomicFiles;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The open session of a pile, {@code <data dir>/charging-session.bin} beside the outbox: written
 * whole and durably ({@link AtomicFiles}, fsync before and after the rename) when a session starts
 * and every minute or so while it runs, deleted once its ChargingSession record is in the outbox.
 * A restarted agent that finds it closes the session with FAULT from the last register in it.
 *
 * <p>Layout, big-endian:
 *
 * <pre>
 *   "WPCS" u8 version=1
 *   u16 len ‖ booking_tx_hash   u16 len ‖ owner_pseudonym   u16 len ‖ driver_pseudonym
 *   u16 len ‖ driver_seal_key   u32 len ‖ start_request (SignedTx bytes, ≤ 64 KiB)
 *   i64 start_time (epoch s)    i64 start_import_wh
 *   i64 last_sample (epoch s)   i32 last_sample_nanos   i64 last_import_wh
 *   u32 CRC-32 of everything before it
 * </pre>
 *
 * The CRC catches a file damaged at rest (the atomic rename already rules out a torn write).
 */
public final class SessionStateFile {
    public static final String FILE_NAME = "charging-session.bin";
    private static final byte[] MAGIC = "WPCS".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int MAX_REQUEST = 64 * 1024;

    private final Path file;

    public SessionStateFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path path() {
        return file;
    }

    /** What was found at start. */
    public sealed interface Load {
        record Absent() implements Load {}

        record Found(OpenSession session) implements Load {}

        /** The file exists but cannot be read as a session; it is left in place for a person. */
        record Corrupt(String reason) implements Load {}
    }

    public void write(OpenSession session) throws IOException {
        AtomicFiles.replace(file, encode(session), AtomicFiles.OWNER_ONLY, true);
    }

    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    public Load load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Load.Absent();
        }
        return decode(bytes);
    }

    static byte[] encode(OpenSession s) {
        byte[] request = s.startRequest();
        if (request.length > MAX_REQUEST) {
            throw new IllegalArgumentException("start request: expected ≤ " + MAX_REQUEST + " bytes, got " + request.length);
        }
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 1 + 2 * 4 + 4 + s.bookingTxHash().length + s.ownerPseudonym().length
                + s.driverPseudonym().length + s.driverSealKey().length + request.length + 8 + 8 + 8 + 4 + 8 + 4);
        b.put(MAGIC).put((byte) VERSION);
        short16(b, s.bookingTxHash());
        short16(b, s.ownerPseudonym());
        short16(b, s.driverPseudonym());
        short16(b, s.driverSealKey());
        b.putInt(request.length).put(request);
        b.putLong(s.startTime().getEpochSecond()).putLong(s.startImportWh());
        b.putLong(s.lastSampleAt().getEpochSecond()).putInt(s.lastSampleAt().getNano()).putLong(s.lastImportWh());
        StateFrame.appendCrc(b);
        return b.array();
    }

    static Load decode(byte[] bytes) {
        ByteBuffer b;
        switch (StateFrame.open(bytes, FILE_NAME, MAGIC, VERSION)) {
            case StateFrame.Opened.Corrupt c -> {
                return new Load.Corrupt(c.reason());
            }
            case StateFrame.Opened.Body body -> b = body.body();
        }
        try {
            byte[] booking = short16(b);
            byte[] owner = short16(b);
            byte[] driver = short16(b);
            byte[] sealKey = short16(b);
            int len = b.getInt();
            if (len < 0 || len > MAX_REQUEST) {
                return new Load.Corrupt(FILE_NAME + " start request length: expected 0.." + MAX_REQUEST + ", got " + Integer.toUnsignedString(len));
            }
            byte[] request = new byte[len];
            b.get(request);
            Instant start = Instant.ofEpochSecond(b.getLong());
            long startWh = b.getLong();
            Instant last = Instant.ofEpochSecond(b.getLong(), b.getInt());
            long lastWh = b.getLong();
            if (b.hasRemaining()) {
                return new Load.Corrupt(FILE_NAME + ": expected end of data, got " + b.remaining() + " more bytes");
            }
            return new Load.Found(new OpenSession(booking, owner, driver, sealKey, request, start, startWh, last, lastWh));
        } catch (BufferUnderflowException e) {
            return new Load.Corrupt(FILE_NAME + ": expected more bytes, got " + bytes.length + " in all");
        } catch (IllegalArgumentException | DateTimeException e) {
            return new Load.Corrupt(FILE_NAME + ": " + e.getMessage());
        }
    }

    private static void short16(ByteBuffer b, byte[] value) {
        if (value.length > 0xffff) {
            throw new IllegalArgumentException("session field: expected ≤ 65535 bytes, got " + value.length);
        }
        b.putShort((short) value.length).put(value);
    }

    private static byte[] short16(ByteBuffer b) {
        byte[] v = new byte[b.getShort() & 0xffff];
        b.get(v);
        return v;
    }
}
