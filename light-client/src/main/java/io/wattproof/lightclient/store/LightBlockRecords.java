package io.wattproof.lightclient.store;

import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.encoding.LightBlockCodec;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.ValidatorSet;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A light block with its next validator set, as the bytes of a {@link StoredBlock}. The
 * {@code tendermint.types.LightBlock} protobuf has no field for the next set, and a trusted block
 * needs it as the base of a skip, so the store keeps both in a small envelope:
 *
 * <pre>
 * version u8 = 1 | light block length u32 | LightBlockCodec bytes
 *                | next set length u32 (0 = no next set) | LightBlockCodec.encodeValidatorSet bytes
 * </pre>
 *
 * Big-endian. The next set is checked against the header's {@code next_validators_hash} by whoever
 * verifies; here only the bytes are judged.
 */
public final class LightBlockRecords {
    static final int VERSION = 1;

    private LightBlockRecords() {}

    public static StoredBlock toStored(LightBlock block, BlockStatus status) {
        return new StoredBlock(block.height(), status, encode(block));
    }

    public static LightBlock fromStored(StoredBlock stored) throws MalformedInputException {
        LightBlock block = decode(stored.lightBlock());
        if (block.height() != stored.height()) {
            throw new MalformedInputException("light_block.signed_header.header.height",
                    "expected " + stored.height() + " (the stored height), got " + block.height());
        }
        return block;
    }

    public static byte[] encode(LightBlock block) {
        byte[] lb = LightBlockCodec.encode(block);
        byte[] next = block.nextValidators().map(LightBlockCodec::encodeValidatorSet).orElse(new byte[0]);
        return ByteBuffer.allocate(1 + 4 + lb.length + 4 + next.length)
                .put((byte) VERSION).putInt(lb.length).put(lb).putInt(next.length).put(next).array();
    }

    public static LightBlock decode(byte[] data) throws MalformedInputException {
        ByteBuffer b = ByteBuffer.wrap(data);
        if (b.remaining() < 1) {
            throw new MalformedInputException("record.version", "expected 1 byte, got none");
        }
        int version = Byte.toUnsignedInt(b.get());
        if (version != VERSION) {
            throw new MalformedInputException("record.version", "expected " + VERSION + ", got " + version
                    + " (bytes " + head(data) + ")");
        }
        byte[] lb = section(b, "record.light_block");
        byte[] next = section(b, "record.next_validator_set");
        if (b.hasRemaining()) {
            throw new MalformedInputException("record", b.remaining() + " bytes after the next validator set");
        }
        LightBlock block = LightBlockCodec.decode(lb);
        if (next.length == 0) {
            return block;
        }
        Optional<ValidatorSet> nextSet = Optional.of(LightBlockCodec.decodeValidatorSet(next));
        return new LightBlock(block.signedHeader(), block.validators(), nextSet);
    }

    private static byte[] section(ByteBuffer b, String field) throws MalformedInputException {
        if (b.remaining() < 4) {
            throw new MalformedInputException(field + ".length", "expected 4 bytes, " + b.remaining() + " left");
        }
        long length = Integer.toUnsignedLong(b.getInt());
        if (length > b.remaining()) {
            throw new MalformedInputException(field + ".length", "declares " + length + " bytes, " + b.remaining() + " left");
        }
        byte[] out = new byte[(int) length];
        b.get(out);
        return out;
    }

    private static String head(byte[] data) {
        return HexFormat.of().withUpperCase().formatHex(data, 0, Math.min(data.length, 8));
    }
}
