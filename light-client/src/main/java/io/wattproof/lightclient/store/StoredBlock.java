package io.wattproof.lightclient.store;

import java.util.Arrays;

/**
 * A light block as the store keeps it: its height, its status and its encoding (the light client
 * writes a {@link LightBlockRecords} envelope: the {@code tendermint.types.LightBlock} protobuf and
 * the next validator set; the store does not look inside).
 */
public record StoredBlock(long height, BlockStatus status, byte[] lightBlock) {
    public StoredBlock {
        if (height < 1) {
            throw new IllegalArgumentException("height: expected ≥ 1, got " + height);
        }
        lightBlock = lightBlock.clone();
    }

    @Override
    public byte[] lightBlock() {
        return lightBlock.clone();
    }

    StoredBlock withStatus(BlockStatus newStatus) {
        return new StoredBlock(height, newStatus, lightBlock);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredBlock b && height == b.height && status == b.status && Arrays.equals(lightBlock, b.lightBlock);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(height) * 31 + status.hashCode();
    }

    @Override
    public String toString() {
        return "StoredBlock[height=" + height + ", status=" + status + ", bytes=" + lightBlock.length + "]";
    }
}
