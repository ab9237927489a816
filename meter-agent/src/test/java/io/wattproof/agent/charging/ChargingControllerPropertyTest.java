package io.wattproof.agent.charging;

import static io.wattproof.agent.charging.ChargingFixture.BOOKED_END;
import static io.wattproof.agent.charging.ChargingFixture.BOOKED_START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wattproof.agent.TestDeviceKey;
import io.wattproof.agent.charging.ChargingCommand.CloseRelay;
import io.wattproof.agent.charging.ChargingCommand.OpenRelay;
import io.wattproof.agent.charging.ChargingCommand.SubmitSession;
import io.wattproof.agent.charging.ChargingCommand.SubmitSessionStart;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random event sequences against the one safety property: the relay is never closed without a
 * verified booking and a valid start request. The oracle is the generator's own knowledge of which
 * requests it built valid, independent of the controller's code; the assertions read only the
 * command log.
 */
class ChargingControllerPropertyTest {
    private static final ChargingFixture F = new ChargingFixture();
    private static final DeviceKey STRANGER = new TestDeviceKey();
    /** Two bookings of the same offer, one of which is sometimes never handed to the controller. */
    private static final VerifiedBooking A = F.verified(F.booking().setNonce(1).build());
    private static final VerifiedBooking B = F.verified(F.booking().setNonce(2).build());

    /** What the generator fed and what came out, one line per event. */
    private record Step(String event, boolean validStart, List<ChargingCommand> out) {}

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void theRelayIsNeverClosedWithoutAVerifiedBookingAndAValidStartRequest(long seed) {
        Random rnd = new Random(seed);
        ChargingController c = new ChargingController(ChargingController.Settings.defaults(F.pileId(), ChargingFixture.CHAIN));
        Set<String> held = new HashSet<>();
        List<Step> log = new ArrayList<>();
        Instant now = BOOKED_START.minusSeconds(600);
        long register = 5_000;
        for (int i = 0; i < 400; i++) {
            now = now.plusSeconds(rnd.nextInt(rnd.nextInt(10) == 0 ? 900 : 20));
            int kind = rnd.nextInt(100);
            Step step;
            if (kind < 8) {
                VerifiedBooking b = rnd.nextInt(3) == 0 ? B : A;
                held.add(b.bookingHashHex());
                step = new Step("booking " + b.bookingHashHex(), false, c.onBooking(b));
            } else if (kind < 30) {
                VerifiedBooking b = rnd.nextBoolean() ? A : B;
                DeviceKey signer = rnd.nextInt(4) == 0 ? STRANGER : F.driver;
                DeviceId pile = rnd.nextInt(6) == 0 ? DeviceId.of(new byte[20]) : F.pileId();
                Instant at = now.minusSeconds(rnd.nextInt(90) - 10);
                boolean validRequest = signer == F.driver && pile.equals(F.pileId())
                        && !at.isBefore(now.minusSeconds(60)) && !at.isAfter(now.plusSeconds(5))
                        && !now.isBefore(BOOKED_START) && now.isBefore(BOOKED_END)
                        && !at.isBefore(BOOKED_START) && at.isBefore(BOOKED_END);
                byte[] tx = rnd.nextInt(15) == 0 ? new byte[] {(byte) rnd.nextInt()} : F.start(signer, b.bookingTxHash(), pile, at, null);
                boolean valid = validRequest && tx.length > 1 && held.contains(b.bookingHashHex());
                step = new Step("start " + b.bookingHashHex() + " valid=" + valid, valid, c.onStartRequest(tx, now));
            } else if (kind < 70) {
                register += rnd.nextInt(40) == 0 ? -3 : rnd.nextInt(60);
                register = Math.max(register, 0);
                step = new Step("sample " + register, false, c.onSample(new MeterSample(register, rnd.nextInt(11_000)), now));
            } else if (kind < 78) {
                VerifiedBooking b = rnd.nextBoolean() ? A : B;
                step = new Step("stop", false, c.onStopRequest(F.stop(rnd.nextInt(3) == 0 ? STRANGER : F.driver, b.bookingTxHash(), now), now));
            } else if (kind < 90) {
                step = new Step("tick", false, c.onTick(now));
            } else if (kind < 95) {
                step = new Step("fault", false, c.onFault("random", now));
            } else {
                step = new Step("feedback", false, c.onRelayFeedback(rnd.nextBoolean(), now));
            }
            log.add(step);
        }
        check(log);
    }

    private static void check(List<Step> log) {
        boolean closed = false;
        Set<String> started = new HashSet<>();
        int starts = 0;
        int ends = 0;
        int closes = 0;
        for (int i = 0; i < log.size(); i++) {
            Step s = log.get(i);
            for (ChargingCommand cmd : s.out()) {
                switch (cmd) {
                    case CloseRelay cr -> {
                        if (!s.validStart()) {
                            fail("CloseRelay on step " + i + " (" + s.event() + ") without a verified booking and a valid start request; log tail "
                                    + log.subList(Math.max(0, i - 5), i + 1));
                        }
                        if (closed) {
                            fail("CloseRelay on step " + i + " while the relay was already commanded closed");
                        }
                        closed = true;
                        closes++;
                    }
                    case OpenRelay or -> closed = false;
                    case SubmitSessionStart st -> {
                        starts++;
                        assertTrue(started.add(HexFormat.of().formatHex(st.body().getBookingTxHash().toByteArray())),
                                "a booking starts at most once, step " + i);
                        assertTrue(closed, "a session starts only with the relay closed, step " + i);
                    }
                    case SubmitSession ss -> {
                        ends++;
                        assertTrue(!closed, "a session is submitted only after OpenRelay, step " + i);
                    }
                    default -> { }
                }
            }
        }
        assertTrue(closes > 0, "the sequence reached a valid start at least once, so the property was exercised");
        assertTrue(ends == starts || ends == starts - 1, "every started session but the running one is submitted once: " + starts + " starts, " + ends + " ends");
        assertEquals(ends, log.stream().flatMap(s -> s.out().stream()).filter(SubmitSession.class::isInstance).count());
    }
}
