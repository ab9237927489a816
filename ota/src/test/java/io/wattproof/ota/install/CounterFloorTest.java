package io.wattproof.ota.install;

import static io.wattproof.ota.install.SlotStateTest.done;
import static io.wattproof.ota.install.SlotStateTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.MonotonicCounter;
import org.junit.jupiter.api.Test;

class CounterFloorTest {
    private final CounterDouble counter = new CounterDouble();
    private final CounterFloor floor = new CounterFloor(counter);

    @Test
    void raisingCountsUpToTheVersionAndNoFurther() {
        assertEquals(new VersionFloor(4), done(floor.raiseTo(4)));
        assertEquals(4, counter.value());
        assertEquals(4, counter.increments());
        assertEquals(new VersionFloor(4), done(floor.raiseTo(3)), "never lowered, nothing counted");
        assertEquals(4, counter.increments());
        assertEquals(new VersionFloor(4), done(floor.read()));
    }

    @Test
    void aVersionAboveTheMaximumIsRefusedBeforeAnythingIsCounted() {
        CounterDouble small = new CounterDouble(2, 5);
        InstallRefusal r = refused(new CounterFloor(small).raiseTo(6));
        assertEquals(InstallRefusal.Reason.COUNTER, r.reason());
        assertEquals("version: expected ≤ 5 (the counter's maximum), got 6 (counter)", r.message());
        assertEquals(0, small.increments());
        assertEquals(InstallRefusal.Reason.COUNTER, refused(new CounterFloor(small).admit(6, new VersionFloor(0))).reason());
    }

    @Test
    void theMaximumItselfCanBeReachedButNothingAboveAdmitted() {
        CounterDouble small = new CounterDouble(4, 5);
        CounterFloor f = new CounterFloor(small);
        assertEquals(4, done(f.admit(5, new VersionFloor(4))).value(), "admitted above the counter's 4");
        assertEquals(new VersionFloor(5), done(f.raiseTo(5)));
        assertEquals(InstallRefusal.Reason.ROLLBACK, refused(f.admit(5, new VersionFloor(5))).reason());
        assertEquals(InstallRefusal.Reason.COUNTER, refused(f.admit(6, new VersionFloor(5))).reason());
    }

    @Test
    void admissionIsAboveTheCounterAfterCatchingItUpToTheFile() {
        assertEquals(InstallRefusal.Reason.ROLLBACK, refused(floor.admit(3, new VersionFloor(3))).reason());
        assertEquals(3, counter.value(), "caught up to the file's floor first");
        InstallRefusal r = refused(floor.admit(2, new VersionFloor(1)));
        assertEquals("version: expected > counter floor 3, got 2 (rollback)", r.message());
        assertEquals(3, done(floor.admit(4, new VersionFloor(1))).value());
    }

    @Test
    void aCounterThatFailsIsARefusalNamingTheFailure() {
        counter.breakWith("atecc608 at 0x60: no acknowledge");
        InstallRefusal read = refused(floor.read());
        assertEquals(InstallRefusal.Reason.COUNTER, read.reason());
        assertEquals("counter: expected readable, got atecc608 at 0x60: no acknowledge (counter)", read.message());
        assertEquals(InstallRefusal.Reason.COUNTER, refused(floor.admit(2, new VersionFloor(1))).reason());
        assertEquals(InstallRefusal.Reason.COUNTER, refused(floor.raiseTo(2)).reason());
    }

    @Test
    void aCounterThatDoesNotCountIsGivenUpOnAfterAFewTries() {
        int[] calls = {0};
        MonotonicCounter stuck = new MonotonicCounter() {
            @Override
            public long read() {
                return 1;
            }

            @Override
            public long increment() {
                calls[0]++;
                return 1;
            }

            @Override
            public long max() {
                return 100;
            }
        };
        InstallRefusal r = refused(new CounterFloor(stuck).raiseTo(2));
        assertEquals("counter: expected to count up from 1, got unchanged after 3 increments (counter)", r.message());
        assertEquals(CounterFloor.MAX_UNCOUNTED, calls[0]);
    }

    @Test
    void aCounterThatGoesDownIsRefused() {
        MonotonicCounter down = new MonotonicCounter() {
            @Override
            public long read() {
                return 5;
            }

            @Override
            public long increment() throws KeyStoreFailure {
                return 4;
            }

            @Override
            public long max() {
                return 100;
            }
        };
        InstallRefusal r = refused(new CounterFloor(down).raiseTo(6));
        assertTrue(r.message().contains("never goes down"), r.message());
    }

    @Test
    void aCounterThatCountsMoreThanOneIsTakenAsItIs() {
        MonotonicCounter jumpy = new MonotonicCounter() {
            long v;

            @Override
            public long read() {
                return v;
            }

            @Override
            public long increment() {
                v += 2;
                return v;
            }

            @Override
            public long max() {
                return 100;
            }
        };
        assertEquals(new VersionFloor(4), done(new CounterFloor(jumpy).raiseTo(3)));
    }
}
