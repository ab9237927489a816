package io.wattproof.agent.charging;

import io.wattproof.agent.AtomicFiles;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * What a pile keeps across restarts beside its session file, {@code <data dir>/charging-pile.bin}:
 * the nonce of its last offer (docs/charging.md: the next must be exactly one more, so it must
 * never be forgotten), its offers as signed (a booking names an offer by its tx hash, so the bytes
 * are kept whole), and the bookings that already had a session (after a restart the pile hands
 * over only bookings still booked, docs/charging.md "Bookings that had their session"). Written
 * whole and durably with {@link AtomicFiles}.
 *
 * <p>Layout, big-endian:
 *
 * <pre>
 *   "WPPS" u8 version=1
 *   u64 offer nonce (0 before the first offer)
 *   u32 count, then per offer: u32 len ‖ SignedTx bytes (≤ 64 KiB)
 *   u32 count, then per used booking: 32 bytes booking tx hash ‖ 20 bytes car owner's key id ‖
 *       i64 booked window end (epoch s) ‖ i64 unit price ‖ i64 max_energy_wh ‖ i64 max_amount
 *   u32 CRC-32 of everything before it
 * </pre>
 */
public final class PileStateFile {
    public static final String FILE_NAME = "charging-pile.bin";
    private static final byte[] MAGIC = "WPPS".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int MAX_TX = 64 * 1024;
    private static final int MAX_ENTRIES = 100_000;

    /**
     * A booking that reached a start register: never handed to the controller again, and enough of
     * it to tell the car owner how the session closed after a restart.
     */
    public record UsedBooking(byte[] bookingTxHash, byte[] driverId, long windowEnd, long unitPrice, long maxEnergyWh,
            long maxAmount) {
        public UsedBooking {
            if (bookingTxHash.length != 32 || driverId.length != 20) {
                throw new IllegalArgumentException("used booking: expected a 32-byte hash and a 20-byte key id, got "
                        + bookingTxHash.length + " and " + driverId.length + " bytes");
            }
            bookingTxHash = bookingTxHash.clone();
            driverId = driverId.clone();
        }

        @Override
        public byte[] bookingTxHash() {
            return bookingTxHash.clone();
        }

        @Override
        public byte[] driverId() {
            return driverId.clone();
        }

        public String bookingHashHex() {
            return HexFormat.of().formatHex(bookingTxHash);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UsedBooking u && Arrays.equals(bookingTxHash, u.bookingTxHash) && Arrays.equals(driverId, u.driverId)
                    && windowEnd == u.windowEnd && unitPrice == u.unitPrice && maxEnergyWh == u.maxEnergyWh
                    && maxAmount == u.maxAmount;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bookingTxHash);
        }

        @Override
        public String toString() {
            return "UsedBooking[" + bookingHashHex() + "]";
        }
    }

    /** The pile's remembered state; {@code offers} are serialized SignedTx bytes. */
    public record State(long offerNonce, List<byte[]> offers, List<UsedBooking> used) {
        public static final State EMPTY = new State(0, List.of(), List.of());

        public State {
            if (offerNonce < 0) {
                throw new IllegalArgumentException("offer nonce: expected ≥ 0, got " + offerNonce);
            }
            offers = offers.stream().map(byte[]::clone).toList();
            used = List.copyOf(used);
        }

        @Override
        public List<byte[]> offers() {
            return offers.stream().map(byte[]::clone).toList();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof State s) || offerNonce != s.offerNonce || offers.size() != s.offers.size() || !used.equals(s.used)) {
                return false;
            }
            for (int i = 0; i < offers.size(); i++) {
                if (!Arrays.equals(offers.get(i), s.offers.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(offerNonce) * 31 + used.hashCode();
        }
    }

    /** What was found at start. */
    public sealed interface Load {
        record Found(State state) implements Load {}

        record Absent() implements Load {}

        /** Unreadable: left in place; the pile makes no offer until a person has looked (the nonce is unknown). */
        record Corrupt(String reason) implements Load {}
    }

    private final Path file;

    public PileStateFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path path() {
        return file;
    }

    public void write(State state) throws IOException {
        AtomicFiles.replace(file, encode(state), AtomicFiles.OWNER_ONLY, true);
    }

    public Load load() throws IOException {
        try {
            return decode(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return new Load.Absent();
        }
    }

    static byte[] encode(State s) {
        if (s.offers().size() > MAX_ENTRIES || s.used().size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("pile state: expected ≤ " + MAX_ENTRIES + " offers and used bookings, got "
                    + s.offers().size() + " and " + s.used().size());
        }
        int size = MAGIC.length + 1 + 8 + 4 + 4 + s.used().size() * (32 + 20 + 32) + 4;
        for (byte[] o : s.offers()) {
            if (o.length > MAX_TX) {
                throw new IllegalArgumentException("pile state offer: expected ≤ " + MAX_TX + " bytes, got " + o.length);
            }
            size += 4 + o.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(MAGIC).put((byte) VERSION).putLong(s.offerNonce()).putInt(s.offers().size());
        for (byte[] o : s.offers()) {
            b.putInt(o.length).put(o);
        }
        b.putInt(s.used().size());
        for (UsedBooking u : s.used()) {
            b.put(u.bookingTxHash()).put(u.driverId()).putLong(u.windowEnd()).putLong(u.unitPrice()).putLong(u.maxEnergyWh())
                    .putLong(u.maxAmount());
        }
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
            long nonce = b.getLong();
            int offers = b.getInt();
            if (offers < 0 || offers > MAX_ENTRIES) {
                return new Load.Corrupt(FILE_NAME + " offer count: expected 0.." + MAX_ENTRIES + ", got " + Integer.toUnsignedString(offers));
            }
            List<byte[]> offerTxs = new ArrayList<>();
            for (int i = 0; i < offers; i++) {
                int len = b.getInt();
                if (len < 0 || len > MAX_TX) {
                    return new Load.Corrupt(FILE_NAME + " offer " + i + " length: expected 0.." + MAX_TX + ", got "
                            + Integer.toUnsignedString(len));
                }
                byte[] tx = new byte[len];
                b.get(tx);
                offerTxs.add(tx);
            }
            int used = b.getInt();
            if (used < 0 || used > MAX_ENTRIES) {
                return new Load.Corrupt(FILE_NAME + " used booking count: expected 0.." + MAX_ENTRIES + ", got "
                        + Integer.toUnsignedString(used));
            }
            List<UsedBooking> usedBookings = new ArrayList<>();
            for (int i = 0; i < used; i++) {
                byte[] hash = new byte[32];
                byte[] driver = new byte[20];
                b.get(hash).get(driver);
                usedBookings.add(new UsedBooking(hash, driver, b.getLong(), b.getLong(), b.getLong(), b.getLong()));
            }
            if (b.hasRemaining()) {
                return new Load.Corrupt(FILE_NAME + ": expected end of data, got " + b.remaining() + " more bytes");
            }
            return new Load.Found(new State(nonce, offerTxs, usedBookings));
        } catch (BufferUnderflowException e) {
            return new Load.Corrupt(FILE_NAME + ": expected more bytes, got " + bytes.length + " in all");
        } catch (IllegalArgumentException e) {
            return new Load.Corrupt(FILE_NAME + ": " + e.getMessage());
        }
    }
}
