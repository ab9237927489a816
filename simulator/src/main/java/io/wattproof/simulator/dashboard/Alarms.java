package io.wattproof.simulator.dashboard;

import io.wattproof.agent.AgentStatus;
import io.wattproof.simulator.ledger.app.AppSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What on a meter or in the run needs a person's attention, as short lowercase phrases. Pure: the
 * agent's status, the ledger's view of the device and counters in, phrases out.
 */
public final class Alarms {
    private Alarms() {}

    /**
     * A meter's alarms.
     *
     * @param status the agent's status; null when the agent never started
     * @param onLedger the ledger's view of the device; empty when it is not registered
     * @param forgeriesDetected forged headers and proofs the device's agents detected this run
     */
    public static List<String> ofMeter(AgentStatus status, Optional<AppSnapshot.DeviceView> onLedger, long forgeriesDetected) {
        List<String> alarms = new ArrayList<>();
        if (status == null) {
            alarms.add("agent not started");
        } else {
            if (!status.connected()) {
                alarms.add("uplink down");
            }
            if (status.meterFault()) {
                alarms.add("meter not answering");
            }
            if (status.storageFull()) {
                // docs/architecture.md, "When the disk budget is reached": intervals are not recorded.
                alarms.add("outbox full");
            }
            if (status.storageFault()) {
                alarms.add("storage fault");
            }
            if (!status.clockSynchronised()) {
                alarms.add("clock not synchronised");
            }
        }
        if (onLedger.isEmpty()) {
            alarms.add("not registered on the ledger");
        } else {
            AppSnapshot.DeviceView view = onLedger.get();
            if (view.revoked()) {
                alarms.add("key revoked on the ledger");
            }
            if (view.missing() > 0) {
                alarms.add("ledger gap: " + view.missing() + " missing");
            }
        }
        if (forgeriesDetected > 0) {
            alarms.add("forgeries detected: " + forgeriesDetected);
        }
        return alarms;
    }

    /** Every meter's alarms prefixed with its serial, then the run's: refused transactions. */
    public static List<String> ofFleet(FleetSample sample) {
        List<String> alarms = new ArrayList<>();
        for (MeterRow m : sample.meters()) {
            for (String a : m.alarms()) {
                alarms.add(m.serial() + ": " + a);
            }
        }
        if (sample.rejected() > 0) {
            alarms.add("transactions refused: " + sample.rejected());
        }
        return alarms;
    }
}
