package io.wattproof.lightclient.types;

import java.util.Objects;

/**
 * The parts of a chain's genesis document ({@code types.GenesisDoc}) a light client uses: the chain
 * id, the first height and the initial validator set.
 */
public record GenesisDoc(String chainId, long initialHeight, ValidatorSet validators) {
    public GenesisDoc {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(validators, "validators");
    }
}
