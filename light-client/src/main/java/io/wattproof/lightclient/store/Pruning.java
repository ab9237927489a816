package io.wattproof.lightclient.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/** The pruning rule both stores share. */
final class Pruning {
    private Pruning() {}

    /** The lowest heights beyond {@code keep}, sparing the latest trusted block. */
    static List<Long> heightsToRemove(NavigableMap<Long, BlockStatus> statuses, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep: expected ≥ 1, got " + keep);
        }
        Long latestTrusted = null;
        for (Map.Entry<Long, BlockStatus> e : statuses.descendingMap().entrySet()) {
            if (e.getValue() == BlockStatus.TRUSTED) {
                latestTrusted = e.getKey();
                break;
            }
        }
        List<Long> out = new ArrayList<>();
        int excess = statuses.size() - keep;
        for (Long h : statuses.keySet()) {
            if (out.size() >= excess) {
                break;
            }
            if (!h.equals(latestTrusted)) {
                out.add(h);
            }
        }
        return out;
    }
}
