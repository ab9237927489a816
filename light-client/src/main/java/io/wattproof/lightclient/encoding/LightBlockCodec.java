package io.wattproof.lightclient.encoding;

import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.ConsensusVersion;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.lightclient.types.PublicKey;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code tendermint.types.LightBlock} to and from bytes, for stores and for light blocks that arrive
 * as protobuf. Decoding is strict where CometBFT's own {@code FromProto} is (a light block needs a
 * signed header, a header and a commit), and refuses values that do not fit their field types.
 */
public final class LightBlockCodec {
    private LightBlockCodec() {}

    public static byte[] encode(LightBlock block) {
        return Protobuf.lightBlock(block);
    }

    public static LightBlock decode(byte[] data) throws MalformedInputException {
        ProtoReader r = ProtoReader.parse("light_block", data);
        ProtoReader sh = r.message(1, "signed_header");
        if (sh == null) {
            throw new MalformedInputException("light_block.signed_header", "missing");
        }
        ProtoReader vs = r.message(2, "validator_set");
        if (vs == null) {
            throw new MalformedInputException("light_block.validator_set", "missing");
        }
        return new LightBlock(signedHeader(sh), validatorSet(vs));
    }

    public static byte[] encodeValidatorSet(ValidatorSet set) {
        return Protobuf.validatorSet(set);
    }

    public static ValidatorSet decodeValidatorSet(byte[] data) throws MalformedInputException {
        return validatorSet(ProtoReader.parse("validator_set", data));
    }

    private static SignedHeader signedHeader(ProtoReader r) throws MalformedInputException {
        ProtoReader h = r.message(1, "header");
        if (h == null) {
            throw new MalformedInputException(r.path() + ".header", "missing");
        }
        ProtoReader c = r.message(2, "commit");
        if (c == null) {
            throw new MalformedInputException(r.path() + ".commit", "missing");
        }
        return new SignedHeader(header(h), commit(c));
    }

    private static Header header(ProtoReader r) throws MalformedInputException {
        ProtoReader v = r.messageOrEmpty(1, "version");
        return new Header(
                new ConsensusVersion(v.varint(1), v.varint(2)),
                r.string(2, "chain_id"),
                r.varint(3),
                timestamp(r.messageOrEmpty(4, "time")),
                blockId(r.messageOrEmpty(5, "last_block_id")),
                r.bytes(6),
                r.bytes(7),
                r.bytes(8),
                r.bytes(9),
                r.bytes(10),
                r.bytes(11),
                r.bytes(12),
                r.bytes(13),
                r.bytes(14));
    }

    private static Instant timestamp(ProtoReader r) throws MalformedInputException {
        long seconds = r.varint(1);
        int nanos = r.int32(2, "nanos");
        // google/protobuf/timestamp.proto: nanos in [0, 999999999]; years 0001 to 9999.
        if (nanos < 0 || nanos > 999_999_999) {
            throw new MalformedInputException(r.path() + ".nanos", "expected 0..999999999, got " + nanos);
        }
        if (seconds < -62_135_596_800L || seconds > 253_402_300_799L) {
            throw new MalformedInputException(r.path() + ".seconds", "outside years 0001..9999: " + seconds);
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static BlockId blockId(ProtoReader r) throws MalformedInputException {
        ProtoReader p = r.messageOrEmpty(2, "part_set_header");
        long total = p.varint(1);
        if (total < 0 || total > 0xFFFF_FFFFL) {
            throw new MalformedInputException(p.path() + ".total", "expected a uint32, got " + Long.toUnsignedString(total));
        }
        return new BlockId(r.bytes(1), new PartSetHeader(total, p.bytes(2)));
    }

    private static Commit commit(ProtoReader r) throws MalformedInputException {
        List<CommitSig> sigs = new ArrayList<>();
        for (ProtoReader s : r.repeated(4, "signatures")) {
            long code = s.varint(1);
            BlockIdFlag flag = BlockIdFlag.fromCode(code).orElseThrow(() -> new MalformedInputException(
                    s.path() + ".block_id_flag", "expected 1 (absent), 2 (commit) or 3 (nil), got " + code));
            sigs.add(new CommitSig(flag, s.bytes(2), timestamp(s.messageOrEmpty(3, "timestamp")), s.bytes(4)));
        }
        return new Commit(r.varint(1), r.int32(2, "round"), blockId(r.messageOrEmpty(3, "block_id")), sigs);
    }

    private static ValidatorSet validatorSet(ProtoReader r) throws MalformedInputException {
        List<Validator> validators = new ArrayList<>();
        for (ProtoReader v : r.repeated(1, "validators")) {
            validators.add(validator(v));
        }
        ProtoReader p = r.message(2, "proposer");
        return new ValidatorSet(validators, p == null ? Optional.empty() : Optional.of(validator(p)));
    }

    private static Validator validator(ProtoReader r) throws MalformedInputException {
        ProtoReader k = r.messageOrEmpty(2, "pub_key");
        PublicKey key;
        try {
            if (k.has(1) && !k.has(2)) {
                key = PublicKey.ed25519(k.bytes(1));
            } else if (k.has(2) && !k.has(1)) {
                key = PublicKey.secp256k1(k.bytes(2));
            } else {
                throw new MalformedInputException(k.path(), "expected exactly one of ed25519 (1) or secp256k1 (2)");
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(k.path(), e.getMessage());
        }
        return new Validator(r.bytes(1), key, r.varint(3), r.varint(4));
    }
}
