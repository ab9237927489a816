package io.wattproof.simulator.ledger.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidatorScheduleTest {

    private static ValidatorSchedule schedule(int size, long every) {
        return new ValidatorSchedule(size, every, i -> ValidatorKey.derived(1, i));
    }

    @Test
    void aFixedSetNeverChanges() {
        ValidatorSchedule s = schedule(4, 0);
        ValidatorSet first = s.validatorsAt(1);
        assertEquals(4, first.size());
        first.validators().forEach(v -> assertEquals(ValidatorSchedule.BASE_POWER, v.votingPower()));
        for (long h = 2; h < 200; h++) {
            assertEquals(Hashes.validatorSet(first), Hashes.validatorSet(s.validatorsAt(h)), "height " + h);
            assertTrue(!s.changesAt(h));
        }
    }

    @Test
    void theSetChangesExactlyAtMultiplesOfTheInterval() {
        ValidatorSchedule s = schedule(4, 7);
        for (long h = 2; h <= 60; h++) {
            boolean changed = !Hashes.validatorSet(s.validatorsAt(h - 1)).equals(Hashes.validatorSet(s.validatorsAt(h)));
            assertEquals(h % 7 == 0, changed, "height " + h);
            assertEquals(h % 7 == 0, s.changesAt(h), "height " + h);
        }
    }

    @Test
    void oddChangesRotateAndEvenChangesReweight() {
        ValidatorSchedule s = schedule(4, 5);
        ValidatorSet genesis = s.validatorsAt(1);
        ValidatorSet afterRotation = s.validatorsAt(5);
        ValidatorSet afterReweight = s.validatorsAt(10);
        assertEquals(1, genesis.validators().stream().filter(v -> afterRotation.byAddress(v.address()).isEmpty()).count());
        assertEquals(4, afterRotation.size());
        for (Validator v : afterRotation.validators()) {
            assertTrue(afterReweight.byAddress(v.address()).isPresent(), "a re-weighting keeps every member");
        }
        assertEquals(ValidatorSchedule.BASE_POWER * 3 + ValidatorSchedule.RAISED_POWER, afterReweight.totalVotingPower());
    }

    /**
     * What skipping verification needs: of the old set's power, the validators still in the new set
     * hold well over 1/3 (at least 2/5) — for every set size, across many changes.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 7})
    void consecutiveSetsShareFarMoreThanAThirdOfThePower(int size) {
        ValidatorSchedule s = schedule(size, 3);
        for (long h = 3; h <= 3 * 40; h += 3) {
            ValidatorSet before = s.validatorsAt(h - 1);
            ValidatorSet after = s.validatorsAt(h);
            long kept = 0;
            for (Validator v : before.validators()) {
                if (after.byAddress(v.address()).isPresent()) {
                    kept += v.votingPower();
                }
            }
            assertTrue(kept * 5 >= before.totalVotingPower() * 2,
                    "size " + size + " height " + h + ": kept " + kept + " of " + before.totalVotingPower());
            assertEquals(size, after.size());
        }
    }

    @Test
    void theProposerIsAMemberAndRotates() {
        ValidatorSchedule s = schedule(4, 0);
        for (long h = 1; h <= 8; h++) {
            ValidatorSet set = s.validatorsAt(h);
            Validator proposer = set.proposer().orElseThrow();
            assertTrue(set.byAddress(proposer.address()).isPresent());
        }
        assertNotEquals(s.validatorsAt(1).proposer(), s.validatorsAt(2).proposer());
        assertEquals(s.validatorsAt(1).proposer(), s.validatorsAt(5).proposer());
    }

    @Test
    void everyMemberHasItsKey() {
        ValidatorSchedule s = schedule(3, 2);
        for (long h = 1; h < 30; h++) {
            for (Validator v : s.validatorsAt(h).validators()) {
                assertEquals(v.publicKey(), s.key(v.address()).orElseThrow().publicKey());
            }
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheField() {
        assertEquals("validators: expected ≥ 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> schedule(0, 1)).getMessage());
        assertEquals("valsetChangeEvery: expected ≥ 0 (0 = never), got -1",
                assertThrows(IllegalArgumentException.class, () -> schedule(1, -1)).getMessage());
        assertEquals("height: expected ≥ 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> schedule(1, 1).validatorsAt(0)).getMessage());
    }
}
