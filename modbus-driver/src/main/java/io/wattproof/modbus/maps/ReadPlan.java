package io.wattproof.modbus.maps;

import java.util.List;

/**
 * The requests that read a set of values of a map, in the order they are sent (input registers
 * first, then holding, each by address), and the names asked for, in map order. The requests also
 * cover the SunSpec scale factors those values need.
 */
public record ReadPlan(List<PlannedRead> reads, List<String> requested) {
    public ReadPlan {
        reads = List.copyOf(reads);
        requested = List.copyOf(requested);
    }
}
