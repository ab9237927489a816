package io.wattproof.simulator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wattproof.agent.AgentStatus;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.simulator.ledger.app.AppSnapshot;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlarmsTest {
    private static final DeviceId ID = DeviceId.fromPublicKeyInfo(new byte[] {1, 2, 3});

    private static AgentStatus status(boolean connected, boolean meterFault, boolean storageFull, boolean storageFault,
            boolean clockSynchronised) {
        return new AgentStatus(ID.hex(), 7, 0, connected, 0, meterFault, storageFull, Optional.empty(), Optional.empty(), storageFault,
                clockSynchronised, 0);
    }

    private static AppSnapshot.DeviceView view(boolean revoked, List<AppSnapshot.GapRange> gaps) {
        return new AppSnapshot.DeviceView(ID, KeyAlgorithm.ED25519, new byte[] {1, 2, 3}, "board", "lab", "household-001", revoked,
                Optional.empty(), 7, gaps, 7);
    }

    @Test
    void aHealthyRegisteredMeterHasNone() {
        assertEquals(List.of(), Alarms.ofMeter(status(true, false, false, false, true), Optional.of(view(false, List.of())), 0));
    }

    @Test
    void everyConditionHasItsPhrase() {
        assertEquals(List.of("uplink down", "meter not answering", "outbox full", "storage fault", "clock not synchronised",
                        "key revoked on the ledger", "ledger gap: 3 missing", "forgeries detected: 2"),
                Alarms.ofMeter(status(false, true, true, true, false),
                        Optional.of(view(true, List.of(new AppSnapshot.GapRange(2, 3), new AppSnapshot.GapRange(5, 5)))), 2));
    }

    @Test
    void anAgentNeverStartedAndADeviceUnknownToTheLedgerAreAlarms() {
        assertEquals(List.of("agent not started", "not registered on the ledger"), Alarms.ofMeter(null, Optional.empty(), 0));
    }
}
