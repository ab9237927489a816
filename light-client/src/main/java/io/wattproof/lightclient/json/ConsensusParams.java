package io.wattproof.lightclient.json;

import io.wattproof.lightclient.types.Bytes;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The consensus parameters a genesis document carries ({@code types.ConsensusParams}, CometBFT 0.37
 * and 0.38). Units: bytes for {@code blockMaxBytes} and {@code evidenceMaxBytes}, gas for
 * {@code blockMaxGas} ({@code -1} = no limit), blocks for {@code evidenceMaxAgeNumBlocks}.
 * {@code voteExtensionsEnableHeight} is the 0.38 {@code abci} section; empty leaves it out, as a 0.37
 * node does.
 */
public record ConsensusParams(
        long blockMaxBytes,
        long blockMaxGas,
        long evidenceMaxAgeNumBlocks,
        Duration evidenceMaxAgeDuration,
        long evidenceMaxBytes,
        List<String> pubKeyTypes,
        long appVersion,
        OptionalLong voteExtensionsEnableHeight) {

    /**
     * types/params.go {@code DefaultConsensusParams} of CometBFT 0.38: 21 MiB blocks, no gas limit,
     * evidence up to 100,000 blocks and 48 hours old and 1 MiB, Ed25519 keys, app version 0, vote
     * extensions off (height 0).
     */
    public static final ConsensusParams DEFAULT = new ConsensusParams(22_020_096, -1, 100_000, Duration.ofHours(48),
            1_048_576, List.of("ed25519"), 0, OptionalLong.of(0));

    public ConsensusParams {
        Objects.requireNonNull(evidenceMaxAgeDuration, "evidenceMaxAgeDuration");
        pubKeyTypes = List.copyOf(pubKeyTypes);
        Objects.requireNonNull(voteExtensionsEnableHeight, "voteExtensionsEnableHeight");
    }

    /** The same parameters with other accepted validator key types ({@code "ed25519"}, {@code "secp256k1"}). */
    public ConsensusParams withPubKeyTypes(List<String> types) {
        return new ConsensusParams(blockMaxBytes, blockMaxGas, evidenceMaxAgeNumBlocks, evidenceMaxAgeDuration,
                evidenceMaxBytes, types, appVersion, voteExtensionsEnableHeight);
    }

    /**
     * The header's {@code consensus_hash} for these parameters (types/params.go
     * {@code ConsensusParams.Hash}): SHA-256 of the protobuf {@code HashedParams{block_max_bytes = 1,
     * block_max_gas = 2}}, both int64 varints left out when zero. Only the block size limits take part.
     */
    public Bytes hash() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varintField(out, 1, blockMaxBytes);
        varintField(out, 2, blockMaxGas);
        try {
            return Bytes.of(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** A proto3 varint field (wire type 0); an int64 below zero takes ten bytes, as its two's complement. */
    private static void varintField(ByteArrayOutputStream out, int field, long value) {
        if (value == 0) {
            return;
        }
        out.write(field << 3);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
