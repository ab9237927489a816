package io.wattproof.lightclient.types;

import java.time.Instant;
import java.util.Objects;

/**
 * A CometBFT block header ({@code tendermint.types.Header}). Hash fields are 32 bytes or empty,
 * {@code proposerAddress} is 20 bytes; those lengths are checked by the verifier, not here, so a
 * malformed header can still be parsed and reported on.
 */
public record Header(
        ConsensusVersion version,
        String chainId,
        long height,
        Instant time,
        BlockId lastBlockId,
        Bytes lastCommitHash,
        Bytes dataHash,
        Bytes validatorsHash,
        Bytes nextValidatorsHash,
        Bytes consensusHash,
        Bytes appHash,
        Bytes lastResultsHash,
        Bytes evidenceHash,
        Bytes proposerAddress) {
    public Header {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(lastBlockId, "lastBlockId");
        Objects.requireNonNull(lastCommitHash, "lastCommitHash");
        Objects.requireNonNull(dataHash, "dataHash");
        Objects.requireNonNull(validatorsHash, "validatorsHash");
        Objects.requireNonNull(nextValidatorsHash, "nextValidatorsHash");
        Objects.requireNonNull(consensusHash, "consensusHash");
        Objects.requireNonNull(appHash, "appHash");
        Objects.requireNonNull(lastResultsHash, "lastResultsHash");
        Objects.requireNonNull(evidenceHash, "evidenceHash");
        Objects.requireNonNull(proposerAddress, "proposerAddress");
    }
}
