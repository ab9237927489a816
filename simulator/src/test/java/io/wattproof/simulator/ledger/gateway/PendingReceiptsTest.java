package io.wattproof.simulator.ledger.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wattproof.lightclient.types.Bytes;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PendingReceiptsTest {
    private static Bytes hash(int i) {
        byte[] b = new byte[32];
        b[0] = (byte) i;
        return Bytes.of(b);
    }

    private static Topics.Source source(int i) {
        return new Topics.Source(Topics.Role.DEVICES, "device-" + i, Topics.Kind.TX);
    }

    @Test
    void aSubmitterIsTakenOnce() {
        PendingReceipts p = new PendingReceipts(10);
        p.remember(hash(1), source(1));
        assertEquals(Optional.of(source(1)), p.take(hash(1)));
        assertEquals(Optional.empty(), p.take(hash(1)));
        assertEquals(0, p.size());
    }

    @Test
    void forgetsTheOldestBeyondTheLimit() {
        PendingReceipts p = new PendingReceipts(3);
        for (int i = 1; i <= 5; i++) {
            p.remember(hash(i), source(i));
        }
        assertEquals(3, p.size());
        assertEquals(2, p.forgotten());
        assertEquals(Optional.empty(), p.take(hash(1)));
        assertEquals(Optional.empty(), p.take(hash(2)));
        assertEquals(Optional.of(source(3)), p.take(hash(3)));
    }

    @Test
    void aResubmissionBecomesTheNewest() {
        PendingReceipts p = new PendingReceipts(2);
        p.remember(hash(1), source(1));
        p.remember(hash(2), source(2));
        p.remember(hash(1), source(1));
        p.remember(hash(3), source(3));
        assertEquals(Optional.of(source(1)), p.take(hash(1)));
        assertEquals(Optional.empty(), p.take(hash(2)));
    }

    @Test
    void refusesALimitBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new PendingReceipts(0));
    }
}
