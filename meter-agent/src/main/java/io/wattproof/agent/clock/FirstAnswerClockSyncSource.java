package io.wattproof.agent.clock;

import java.util.ArrayList;
import java.util.List;

/**
 * Asks each source in turn and takes the first answer that is not {@link ClockSyncStatus.Unknown}:
 * a host runs one time service, and the others simply are not there. Unknown only if none knows,
 * with every source's reason.
 */
public final class FirstAnswerClockSyncSource implements ClockSyncSource {
    private final List<ClockSyncSource> sources;

    public FirstAnswerClockSyncSource(List<ClockSyncSource> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("clock sync sources: expected at least one, got none");
        }
        this.sources = List.copyOf(sources);
    }

    @Override
    public ClockSyncStatus status() {
        List<String> reasons = new ArrayList<>();
        for (ClockSyncSource source : sources) {
            ClockSyncStatus s = source.status();
            if (!(s instanceof ClockSyncStatus.Unknown)) {
                return s;
            }
            reasons.add(s.reason());
        }
        return new ClockSyncStatus.Unknown(String.join("; ", reasons));
    }
}
