package io.wattproof.lightclient.store;

import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** A light store in memory, for tests; it passes the same contract test as the durable one. */
public final class MemoryLightStore implements LightStore {
    private final TreeMap<Long, StoredBlock> blocks = new TreeMap<>();

    @Override
    public void put(StoredBlock block) {
        blocks.put(block.height(), block);
    }

    @Override
    public Optional<StoredBlock> get(long height) {
        return Optional.ofNullable(blocks.get(height));
    }

    @Override
    public void setStatus(long height, BlockStatus status) throws LightStoreException {
        StoredBlock block = blocks.get(height);
        if (block == null) {
            throw new LightStoreException("light store: no block at height " + height + " to mark " + status);
        }
        blocks.put(height, block.withStatus(status));
    }

    @Override
    public Optional<StoredBlock> latest(BlockStatus status) {
        return blocks.descendingMap().values().stream().filter(b -> b.status() == status).findFirst();
    }

    @Override
    public Optional<StoredBlock> lowest(BlockStatus status) {
        return blocks.values().stream().filter(b -> b.status() == status).findFirst();
    }

    @Override
    public NavigableMap<Long, BlockStatus> statuses() {
        TreeMap<Long, BlockStatus> out = new TreeMap<>();
        blocks.forEach((h, b) -> out.put(h, b.status()));
        return out;
    }

    @Override
    public int prune(int keep) {
        List<Long> doomed = Pruning.heightsToRemove(statuses(), keep);
        doomed.forEach(blocks::remove);
        return doomed.size();
    }

    @Override
    public void close() {}
}
