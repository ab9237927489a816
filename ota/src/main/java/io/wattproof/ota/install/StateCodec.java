package io.wattproof.ota.install;

import io.wattproof.ota.install.SlotState.Condition;
import io.wattproof.ota.install.SlotState.Content;
import io.wattproof.ota.install.SlotState.Trial;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The state file's bytes, big-endian, fixed length: magic "WPSL", format 1 (u16), generation
 * (u64, one more on every write), good slot (u8: 0 = A, 1 = B), slot A and slot B each as
 * condition (u8, {@link Condition} ordinal) and version (u64), trial present (u8 0/1), its slot
 * (u8), version (u64), attempts left (u8), booted (u8 0/1), floor (u64), then CRC-32 (IEEE 802.3,
 * as java.util.zip.CRC32) of all the bytes before it.
 */
final class StateCodec {
    static final byte[] MAGIC = {'W', 'P', 'S', 'L'};
    static final int FORMAT = 1;
    static final int LENGTH = 4 + 2 + 8 + 1 + 9 + 9 + 1 + 1 + 8 + 1 + 1 + 8 + 4;

    sealed interface Decoded {
        record Ok(long generation, SlotState state) implements Decoded {}

        record Damaged(String why) implements Decoded {}
    }

    private StateCodec() {}

    static byte[] encode(long generation, SlotState s) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(MAGIC).putShort((short) FORMAT).putLong(generation).put((byte) s.good().ordinal());
        for (Content c : new Content[] {s.a(), s.b()}) {
            b.put((byte) c.condition().ordinal()).putLong(c.version());
        }
        Trial t = s.trial().orElse(null);
        b.put((byte) (t == null ? 0 : 1));
        b.put((byte) (t == null ? 0 : t.slot().ordinal()));
        b.putLong(t == null ? 0 : t.version());
        b.put((byte) (t == null ? 0 : t.attemptsLeft()));
        b.put((byte) (t != null && t.booted() ? 1 : 0));
        b.putLong(s.floor().value());
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, LENGTH - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    static Decoded decode(byte[] bytes) {
        if (bytes.length != LENGTH) {
            return new Decoded.Damaged("length: expected " + LENGTH + ", got " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, LENGTH - 4);
        int stored = b.getInt(LENGTH - 4);
        if (stored != (int) crc.getValue()) {
            return new Decoded.Damaged(String.format("crc32: expected %08x, got %08x", crc.getValue(), stored));
        }
        byte[] magic = new byte[4];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            return new Decoded.Damaged("magic: expected WPSL, got " + java.util.HexFormat.of().formatHex(magic));
        }
        int format = Short.toUnsignedInt(b.getShort());
        if (format != FORMAT) {
            return new Decoded.Damaged("format: expected " + FORMAT + ", got " + format);
        }
        long generation = b.getLong();
        int good = Byte.toUnsignedInt(b.get());
        Content[] contents = new Content[2];
        for (int i = 0; i < 2; i++) {
            int cond = Byte.toUnsignedInt(b.get());
            long version = b.getLong();
            if (cond >= Condition.values().length || version < 0) {
                return new Decoded.Damaged("slot " + Slot.values()[i] + ": condition " + cond + ", version " + version + " out of range");
            }
            contents[i] = new Content(Condition.values()[cond], version);
        }
        int present = Byte.toUnsignedInt(b.get());
        int trialSlot = Byte.toUnsignedInt(b.get());
        long trialVersion = b.getLong();
        int attempts = Byte.toUnsignedInt(b.get());
        int booted = Byte.toUnsignedInt(b.get());
        long floor = b.getLong();
        if (good > 1 || present > 1 || trialSlot > 1 || booted > 1 || floor < 0 || generation < 0) {
            return new Decoded.Damaged("field out of range: good " + good + ", trial " + present + "/" + trialSlot + "/" + booted + ", floor " + floor);
        }
        Optional<Trial> trial = present == 0 ? Optional.empty()
                : Optional.of(new Trial(Slot.values()[trialSlot], trialVersion, attempts, booted == 1));
        SlotState state = new SlotState(Slot.values()[good], contents[0], contents[1], trial, new VersionFloor(floor));
        Optional<String> wrong = state.inconsistency();
        if (wrong.isPresent()) {
            return new Decoded.Damaged("state: " + wrong.get());
        }
        return new Decoded.Ok(generation, state);
    }
}
