package io.wattproof.simulator.dashboard;

import io.wattproof.simulator.ledger.app.AppSnapshot;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One meter in depth: its row, what the ledger holds about it, and its newest records on the
 * ledger with the dashboard's checks.
 *
 * @param onLedger the ledger's view of the device; empty when it is not registered
 * @param records newest first
 */
public record MeterDetail(MeterRow row, Optional<AppSnapshot.DeviceView> onLedger, List<RecordView> records) {
    public MeterDetail {
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(onLedger, "on ledger");
        records = List.copyOf(records);
    }
}
