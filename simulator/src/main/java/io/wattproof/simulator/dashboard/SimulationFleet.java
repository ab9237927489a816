package io.wattproof.simulator.dashboard;

import io.wattproof.agent.AgentStatus;
import io.wattproof.crypto.DeviceId;
import io.wattproof.simulator.Simulation;
import io.wattproof.simulator.fleet.SimulatedDevice;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.app.AppSnapshot;
import io.wattproof.simulator.verify.RegisteredKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A running {@link Simulation} as the dashboard's source: reads its devices, ledger and application. */
public final class SimulationFleet implements FleetSource {
    /** Records shown in a meter's drill-down. */
    public static final int RECORDS_SHOWN = 10;

    private final Simulation sim;
    private final LedgerRecords records;

    public SimulationFleet(Simulation sim, Clock clock) {
        this.sim = sim;
        this.records = new LedgerRecords(ChainSource.of(sim.ledger()), clock);
    }

    @Override
    public FleetSample sample(Instant now) {
        AppSnapshot state = sim.application().snapshot();
        long height = sim.ledger().latestHeight();
        Optional<Instant> blockTime = sim.ledger().committedBlock(height).map(CommittedBlock::time);
        Optional<Duration> blockInterval = blockTime.flatMap(t -> sim.ledger().committedBlock(height - 1)
                .map(before -> Duration.between(before.time(), t)));
        List<SimulatedDevice> devices = sim.devices();
        List<MeterRow> rows = new ArrayList<>(devices.size());
        for (int i = 0; i < devices.size(); i++) {
            rows.add(row(i + 1, devices.get(i), state));
        }
        return new FleetSample(now, sim.ledger().chainId(), height, blockTime, blockInterval, sim.readings(), sim.confirmed(),
                sim.verified(), sim.rejected(), sim.gaps(), sim.forgeriesDetected(), rows);
    }

    private static MeterRow row(int index, SimulatedDevice d, AppSnapshot state) {
        DeviceId id = d.key().deviceId();
        AgentStatus s = d.status();
        Optional<AppSnapshot.DeviceView> view = state.device(id);
        return new MeterRow(index, id.hex(), d.meterSerial(), d.latestSample().map(m -> m.snapshot().totalPowerW()),
                s == null ? 0 : s.lastSequence(), d.confirmed(), s == null ? 0 : s.outboxDepth(), s == null ? 0 : s.unconfirmed(),
                s != null && s.connected(), view.map(AppSnapshot.DeviceView::headSequence).orElse(0L),
                Alarms.ofMeter(s, view, d.forgeriesDetected()));
    }

    @Override
    public Optional<MeterDetail> meter(DeviceId device) {
        List<SimulatedDevice> devices = sim.devices();
        for (int i = 0; i < devices.size(); i++) {
            SimulatedDevice d = devices.get(i);
            if (d.key().deviceId().equals(device)) {
                AppSnapshot state = sim.application().snapshot();
                Optional<AppSnapshot.DeviceView> view = state.device(device);
                Optional<RegisteredKey> key = view.map(v -> new RegisteredKey(v.deviceId(), v.algorithm(), v.publicKeyInfo()));
                return Optional.of(new MeterDetail(row(i + 1, d, state), view, records.latest(device, key, RECORDS_SHOWN)));
            }
        }
        return Optional.empty();
    }
}
