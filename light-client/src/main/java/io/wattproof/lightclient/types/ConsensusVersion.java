package io.wattproof.lightclient.types;

/**
 * Protocol versions in a header ({@code tendermint.version.Consensus}): block protocol (11 for
 * CometBFT 0.34 to 0.38) and application version; both proto {@code uint64}, held as the same
 * 64 bits in a {@code long}.
 */
public record ConsensusVersion(long block, long app) {}
