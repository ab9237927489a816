package io.wattproof.lightclient.encoding;

import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.ConsensusVersion;
import io.wattproof.lightclient.types.ExecResult;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.lightclient.types.PublicKey;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.Instant;

/**
 * Protobuf encodings of the CometBFT messages, byte for byte as gogoproto writes them
 * (proto/tendermint/types/types.proto, validator.proto, version/types.proto, crypto/keys.proto).
 * Field numbers are cited next to each write.
 */
public final class Protobuf {
    private Protobuf() {}

    /** {@code tendermint.version.Consensus}: block = 1, app = 2 (uint64). */
    public static byte[] consensusVersion(ConsensusVersion v) {
        return new ProtoWriter().varint(1, v.block()).varint(2, v.app()).toByteArray();
    }

    /**
     * {@code google.protobuf.Timestamp}: seconds = 1 (int64, since the Unix epoch, negative before it),
     * nanos = 2 (int32, 0..999999999). Go's {@code t.Unix()} and {@code t.Nanosecond()} split an
     * instant the same way as {@link Instant#getEpochSecond()} and {@link Instant#getNano()}.
     */
    public static byte[] timestamp(Instant t) {
        return new ProtoWriter().varint(1, t.getEpochSecond()).varint(2, t.getNano()).toByteArray();
    }

    /** {@code tendermint.types.PartSetHeader}: total = 1 (uint32), hash = 2. */
    public static byte[] partSetHeader(PartSetHeader p) {
        return new ProtoWriter().varint(1, p.total()).bytes(2, p.hash()).toByteArray();
    }

    /** {@code tendermint.types.BlockID}: hash = 1, part_set_header = 2 (non-nullable, always written). */
    public static byte[] blockId(BlockId b) {
        return new ProtoWriter().bytes(1, b.hash()).message(2, partSetHeader(b.partSetHeader())).toByteArray();
    }

    /** {@code tendermint.types.Header}, fields 1 to 14 in declaration order. */
    public static byte[] header(Header h) {
        return new ProtoWriter()
                .message(1, consensusVersion(h.version()))
                .string(2, h.chainId())
                .varint(3, h.height())
                .message(4, timestamp(h.time()))
                .message(5, blockId(h.lastBlockId()))
                .bytes(6, h.lastCommitHash())
                .bytes(7, h.dataHash())
                .bytes(8, h.validatorsHash())
                .bytes(9, h.nextValidatorsHash())
                .bytes(10, h.consensusHash())
                .bytes(11, h.appHash())
                .bytes(12, h.lastResultsHash())
                .bytes(13, h.evidenceHash())
                .bytes(14, h.proposerAddress())
                .toByteArray();
    }

    /** {@code tendermint.types.CommitSig}: block_id_flag = 1, validator_address = 2, timestamp = 3 (non-nullable), signature = 4. */
    public static byte[] commitSig(CommitSig s) {
        return new ProtoWriter()
                .varint(1, s.blockIdFlag().code())
                .bytes(2, s.validatorAddress())
                .message(3, timestamp(s.timestamp()))
                .bytes(4, s.signature())
                .toByteArray();
    }

    /** {@code tendermint.types.Commit}: height = 1, round = 2 (int32), block_id = 3 (non-nullable), signatures = 4. */
    public static byte[] commit(Commit c) {
        ProtoWriter w = new ProtoWriter().varint(1, c.height()).varint(2, c.round()).message(3, blockId(c.blockId()));
        for (CommitSig s : c.signatures()) {
            w.message(4, commitSig(s));
        }
        return w.toByteArray();
    }

    /** {@code tendermint.types.SignedHeader}: header = 1, commit = 2. */
    public static byte[] signedHeader(SignedHeader sh) {
        return new ProtoWriter().message(1, header(sh.header())).message(2, commit(sh.commit())).toByteArray();
    }

    /** {@code tendermint.crypto.PublicKey}: oneof sum { ed25519 = 1; secp256k1 = 2; }. */
    public static byte[] publicKey(PublicKey k) {
        // A oneof member is written even when empty; keys are never empty here anyway.
        return new ProtoWriter().message(k.type().protoField(), k.bytes().toArray()).toByteArray();
    }

    /** {@code tendermint.types.Validator}: address = 1, pub_key = 2 (non-nullable), voting_power = 3, proposer_priority = 4. */
    public static byte[] validator(Validator v) {
        return new ProtoWriter()
                .bytes(1, v.address())
                .message(2, publicKey(v.publicKey()))
                .varint(3, v.votingPower())
                .varint(4, v.proposerPriority())
                .toByteArray();
    }

    /**
     * {@code tendermint.types.SimpleValidator}: pub_key = 1, voting_power = 2; the leaf of the
     * validator-set hash (types/validator.go {@code Validator.Bytes}).
     */
    public static byte[] simpleValidator(Validator v) {
        return new ProtoWriter().message(1, publicKey(v.publicKey())).varint(2, v.votingPower()).toByteArray();
    }

    /** {@code tendermint.types.ValidatorSet}: validators = 1, proposer = 2 (nullable), total_voting_power = 3. */
    public static byte[] validatorSet(ValidatorSet set) {
        ProtoWriter w = new ProtoWriter();
        for (Validator v : set.validators()) {
            w.message(1, validator(v));
        }
        set.proposer().ifPresent(p -> w.message(2, validator(p)));
        return w.varint(3, set.totalVotingPower()).toByteArray();
    }

    /**
     * {@code tendermint.types.LightBlock}: signed_header = 1, validator_set = 2. The next validator
     * set has no place in this message; see {@link LightBlock}.
     */
    public static byte[] lightBlock(LightBlock b) {
        return new ProtoWriter()
                .message(1, signedHeader(b.signedHeader()))
                .message(2, validatorSet(b.validators()))
                .toByteArray();
    }

    /**
     * Reads {@code tendermint.abci.ExecTxResult} bytes as a block's results tree holds them: code = 1
     * (uint32), data = 2, gas_wanted = 5, gas_used = 6 (int64); the non-deterministic fields (log,
     * info, events, codespace) are never in those bytes and are skipped if present.
     */
    public static ExecResult execTxResult(byte[] bytes) throws MalformedInputException {
        ProtoReader r = ProtoReader.parse("exec_tx_result", bytes);
        long code = r.varint(1);
        if (code < 0 || code > 0xFFFF_FFFFL) {
            throw new MalformedInputException("exec_tx_result.code", "value " + Long.toUnsignedString(code)
                    + " does not fit a uint32");
        }
        return new ExecResult(code, r.bytes(2), r.varint(5), r.varint(6));
    }
}
