package io.wattproof.lightclient.store;

import java.util.NavigableMap;
import java.util.Optional;

/**
 * The light client's memory: light blocks by height, each with its {@link BlockStatus}. Every
 * write is durable when the call returns; a crash at any instant leaves each block either as it
 * was before the call or as the call left it.
 *
 * <p>Not thread-safe: the light client calls it from one thread.
 */
public interface LightStore extends AutoCloseable {

    /** Stores {@code block} at its height with {@code status}, replacing what was there. */
    void put(StoredBlock block) throws LightStoreException;

    Optional<StoredBlock> get(long height) throws LightStoreException;

    /**
     * Changes the status of the block at {@code height}.
     *
     * @throws LightStoreException when there is no block at that height
     */
    void setStatus(long height, BlockStatus status) throws LightStoreException;

    /** The block with the greatest height among those with {@code status}. */
    Optional<StoredBlock> latest(BlockStatus status) throws LightStoreException;

    /** The block with the smallest height among those with {@code status}. */
    Optional<StoredBlock> lowest(BlockStatus status) throws LightStoreException;

    /** Every stored height with its status, in height order (a snapshot). */
    NavigableMap<Long, BlockStatus> statuses();

    /**
     * Removes the lowest blocks until at most {@code keep} remain, but never the latest trusted
     * one, which later verification starts from.
     *
     * @return how many blocks were removed
     */
    int prune(int keep) throws LightStoreException;

    @Override
    void close() throws LightStoreException;
}
