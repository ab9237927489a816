package io.wattproof.agent.charging;

import static io.wattproof.agent.charging.ChargingFixture.BOOKED_END;
import static io.wattproof.agent.charging.ChargingFixture.BOOKED_START;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.TestDeviceKey;
import io.wattproof.agent.charging.ChargingCommand.CloseRelay;
import io.wattproof.agent.charging.ChargingCommand.OpenRelay;
import io.wattproof.agent.charging.ChargingCommand.PersistSession;
import io.wattproof.agent.charging.ChargingCommand.PublishLive;
import io.wattproof.agent.charging.ChargingCommand.RejectRequest;
import io.wattproof.agent.charging.ChargingCommand.SubmitSession;
import io.wattproof.agent.charging.ChargingCommand.SubmitSessionStart;
import io.wattproof.agent.charging.ChargingController.Phase;
import io.wattproof.crypto.DeviceId;
import io.wattproof.protocol.v1.ChargingSession.EndReason;
import io.wattproof.protocol.v1.SessionStart;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChargingControllerTest {
    private final ChargingFixture f = new ChargingFixture();
    private final ChargingController c = new ChargingController(ChargingController.Settings.defaults(f.pileId(), ChargingFixture.CHAIN));
    private final VerifiedBooking booking = f.verified();
    private final Instant t = BOOKED_START.plusSeconds(600);

    private static <T extends ChargingCommand> T only(Class<T> type, List<ChargingCommand> out) {
        List<ChargingCommand> of = out.stream().filter(type::isInstance).toList();
        assertEquals(1, of.size(), "one " + type.getSimpleName() + " in " + out);
        return type.cast(of.get(0));
    }

    private String rejected(List<ChargingCommand> out) {
        assertEquals(1, out.size(), out.toString());
        return assertInstanceOf(RejectRequest.class, out.get(0)).reason();
    }

    /** Booking held, start accepted, start register 1000 Wh read at t. */
    private void startCharging() {
        c.onBooking(booking);
        byte[] request = f.start(booking, t.minusSeconds(2));
        assertEquals(List.of(new CloseRelay()), c.onStartRequest(request, t));
        assertEquals(Phase.AUTHORISED, c.phase());
        List<ChargingCommand> out = c.onSample(new MeterSample(1000, 7200), t.plusSeconds(1));
        assertEquals(Phase.CHARGING, c.phase());
        assertInstanceOf(PersistSession.class, out.get(0), "persisted before SessionStart leaves: " + out);
        SessionStart start = only(SubmitSessionStart.class, out).body();
        assertEquals(1000, start.getStartImportWh());
        assertEquals(t.plusSeconds(1).getEpochSecond(), start.getStartTime());
        assertArrayEquals(booking.bookingTxHash(), start.getBookingTxHash().toByteArray());
        assertArrayEquals(f.pileId().bytes(), start.getPileDeviceId().toByteArray());
        assertArrayEquals(request, start.getStartRequest().toByteArray(), "the request exactly as received");
    }

    private ClosedSession submitted(List<ChargingCommand> out) {
        return only(SubmitSession.class, out).session();
    }

    @Test
    void liveValuesCarryPowerEnergyAndAmountOnTheDriversTopic() {
        startCharging();
        List<ChargingCommand> out = c.onSample(new MeterSample(1500, 7100), t.plusSeconds(11));
        PublishLive live = only(PublishLive.class, out);
        assertEquals(7100, live.powerW());
        assertEquals(500, live.energyWh());
        assertEquals(500 * ChargingFixture.PRICE / 1000, live.amount());
        assertEquals("wattproof/v1/drivers/" + f.driver.deviceId().hex() + "/sessions/" + booking.bookingHashHex() + "/live", live.topic());
        assertEquals("{\"time\":\"" + t.plusSeconds(11) + "\",\"power_w\":7100,\"energy_wh\":500,\"amount\":150000}", live.json());
    }

    @Test
    void reachingTheMaximumEnergyStopsWithLimitReached() {
        startCharging();
        List<ChargingCommand> out = c.onSample(new MeterSample(1000 + 20_000, 7000), t.plusSeconds(100));
        only(OpenRelay.class, out);
        assertEquals(Phase.STOPPING, c.phase());
        ClosedSession s = submitted(c.onSample(new MeterSample(21_002, 0), t.plusSeconds(102)));
        assertEquals(EndReason.LIMIT_REACHED, s.endReason());
        assertEquals(21_002, s.endImportWh());
        assertEquals(20_002, s.energyWh());
        assertEquals(t.plusSeconds(102), s.endTime());
        assertEquals(Phase.CLOSED, c.phase());
    }

    @Test
    void reachingTheMaximumAmountStopsWithLimitReached() {
        ChargingController cheap = new ChargingController(ChargingController.Settings.defaults(f.pileId(), ChargingFixture.CHAIN));
        VerifiedBooking b = f.verified(f.booking().setMaxAmount(300_000).setNonce(2).build());
        cheap.onBooking(b);
        cheap.onStartRequest(f.start(b, t), t);
        cheap.onSample(new MeterSample(0, 7000), t);
        assertEquals(List.of(), cheap.onSample(new MeterSample(999, 7000), t.plusSeconds(10)).stream()
                .filter(OpenRelay.class::isInstance).toList(), "999 Wh cost 299700, under 300000");
        only(OpenRelay.class, cheap.onSample(new MeterSample(1000, 7000), t.plusSeconds(20)));
        ClosedSession s = submitted(cheap.onTick(t.plusSeconds(40)));
        assertEquals(EndReason.LIMIT_REACHED, s.endReason());
        assertEquals(1000, s.endImportWh(), "no end sample within the grace: the last register known");
    }

    @Test
    void aStopRequestStopsWithStoppedByUser() {
        startCharging();
        c.onSample(new MeterSample(1200, 7000), t.plusSeconds(30));
        only(OpenRelay.class, c.onStopRequest(f.stop(booking, t.plusSeconds(40)), t.plusSeconds(41)));
        ClosedSession s = submitted(c.onSample(new MeterSample(1230, 0), t.plusSeconds(43)));
        assertEquals(EndReason.STOPPED_BY_USER, s.endReason());
        assertEquals(230, s.energyWh());
    }

    @Test
    void theEndOfTheWindowStopsWithWindowEnded() {
        startCharging();
        c.onSample(new MeterSample(1400, 7000), BOOKED_END.minusSeconds(2));
        assertEquals(List.of(), c.onTick(BOOKED_END.minusSeconds(1)).stream().filter(OpenRelay.class::isInstance).toList());
        only(OpenRelay.class, c.onTick(BOOKED_END));
        ClosedSession s = submitted(c.onSample(new MeterSample(1401, 0), BOOKED_END.plusSeconds(1)));
        assertEquals(EndReason.WINDOW_ENDED, s.endReason());
    }

    @Test
    void aFaultClosesAtOnceWithTheLastRegister() {
        startCharging();
        c.onSample(new MeterSample(1300, 7000), t.plusSeconds(30));
        List<ChargingCommand> out = c.onFault("modbus timeout", t.plusSeconds(35));
        assertInstanceOf(OpenRelay.class, out.get(0));
        ClosedSession s = submitted(out);
        assertEquals(EndReason.FAULT, s.endReason());
        assertEquals(1300, s.endImportWh());
        assertEquals(t.plusSeconds(30), s.endTime());
    }

    @Test
    void aSilentMeterIsAFault() {
        startCharging();
        assertEquals(List.of(), c.onTick(t.plusSeconds(30)));
        ClosedSession s = submitted(c.onTick(t.plusSeconds(31)));
        assertEquals(EndReason.FAULT, s.endReason());
    }

    @Test
    void aRegisterGoingBackIsAFault() {
        startCharging();
        assertEquals(EndReason.FAULT, submitted(c.onSample(new MeterSample(999, 0), t.plusSeconds(5))).endReason());
    }

    @Test
    void relayFeedbackThatDisagreesIsAFault() {
        startCharging();
        assertEquals(List.of(), c.onRelayFeedback(true, t.plusSeconds(2)));
        List<ChargingCommand> out = c.onRelayFeedback(false, t.plusSeconds(3));
        assertEquals(EndReason.FAULT, submitted(out).endReason());
        // Afterwards the relay should be open; a closed feedback is answered with OpenRelay again.
        only(OpenRelay.class, c.onRelayFeedback(true, t.plusSeconds(4)));
    }

    @Test
    void aStartRequestWithoutAVerifiedBookingIsRejected() {
        String reason = rejected(c.onStartRequest(f.start(booking, t), t));
        assertEquals("start request booking_tx_hash: expected one of 0 verified bookings of this pile, got " + booking.bookingHashHex(), reason);
        assertEquals(Phase.IDLE, c.phase());
    }

    @Test
    void aStartRequestSignedByAnotherKeyIsRejected() {
        c.onBooking(booking);
        String reason = rejected(c.onStartRequest(f.start(new TestDeviceKey(), booking.bookingTxHash(), f.pileId(), t, null), t));
        assertTrue(reason.startsWith("start request signed tx signature: expected one by " + f.driver.deviceId()), reason);
    }

    @Test
    void anOldOrFutureStartRequestIsRejected() {
        c.onBooking(booking);
        assertTrue(rejected(c.onStartRequest(f.start(booking, t.minusSeconds(61)), t)).startsWith("start request requested_at: expected within"));
        assertTrue(rejected(c.onStartRequest(f.start(booking, t.plusSeconds(6)), t)).startsWith("start request requested_at"));
        assertEquals(List.of(new CloseRelay()), c.onStartRequest(f.start(booking, t.minusSeconds(60)), t), "60 s old is still fine");
    }

    @Test
    void aStartRequestForAnotherBookingOrPileIsRejected() {
        c.onBooking(booking);
        assertTrue(rejected(c.onStartRequest(f.start(f.driver, new byte[32], f.pileId(), t, null), t))
                .startsWith("start request booking_tx_hash: expected one of 1 verified bookings"));
        String reason = rejected(c.onStartRequest(f.start(f.driver, booking.bookingTxHash(), DeviceId.of(new byte[20]), t, null), t));
        assertTrue(reason.startsWith("start request pile_device_id: expected " + f.pileId()), reason);
    }

    @Test
    void aStartRequestOutsideTheBookedWindowIsRejected() {
        c.onBooking(booking);
        Instant early = BOOKED_START.minusSeconds(1);
        assertTrue(rejected(c.onStartRequest(f.start(booking, early), early)).startsWith("start request: expected now inside the booked window"));
        assertTrue(rejected(c.onStartRequest(f.start(booking, BOOKED_END), BOOKED_END)).startsWith("start request: expected now inside"));
        String reason = rejected(c.onStartRequest(f.start(booking, BOOKED_START.minusSeconds(1)), BOOKED_START.plusSeconds(2)));
        assertTrue(reason.startsWith("start request requested_at: expected inside the booked window"), reason);
        assertEquals(Phase.IDLE, c.phase());
    }

    @Test
    void aBookingStartsOnlyOnce() {
        startCharging();
        c.onStopRequest(f.stop(booking, t.plusSeconds(20)), t.plusSeconds(20));
        c.onSample(new MeterSample(1100, 0), t.plusSeconds(21));
        assertEquals(Phase.CLOSED, c.phase());
        c.onBooking(booking);
        assertTrue(rejected(c.onStartRequest(f.start(booking, t.plusSeconds(30)), t.plusSeconds(30)))
                .contains("expected a booking without a session"));
    }

    @Test
    void aStopRequestByAnotherKeyOrForAnotherBookingIsRejectedAndChargingGoesOn() {
        startCharging();
        assertTrue(rejected(c.onStopRequest(f.stop(new TestDeviceKey(), booking.bookingTxHash(), t.plusSeconds(5)), t.plusSeconds(5)))
                .startsWith("stop request signed tx signature"));
        assertTrue(rejected(c.onStopRequest(f.stop(f.driver, new byte[32], t.plusSeconds(5)), t.plusSeconds(5)))
                .startsWith("stop request booking_tx_hash: expected " + booking.bookingHashHex()));
        assertTrue(rejected(c.onStopRequest(f.stop(booking, t.minusSeconds(120)), t.plusSeconds(5)))
                .startsWith("stop request requested_at"));
        assertEquals(Phase.CHARGING, c.phase());
    }

    @Test
    void garbageRequestsAreRejectedWithoutChangingState() {
        c.onBooking(booking);
        assertTrue(rejected(c.onStartRequest(new byte[] {1, 2, 3}, t)).startsWith("start request signed tx: expected a wattproof.v1.SignedTx"));
        assertTrue(rejected(c.onStartRequest(f.stop(booking, t), t)).startsWith("start request signed tx body_type: expected START_REQUEST"));
        assertEquals(Phase.IDLE, c.phase());
    }

    @Test
    void noStartRegisterBeforeTheMeterTimeoutAbandonsWithoutASession() {
        c.onBooking(booking);
        c.onStartRequest(f.start(booking, t), t);
        List<ChargingCommand> out = c.onTick(t.plusSeconds(30));
        only(OpenRelay.class, out);
        assertEquals(Phase.IDLE, c.phase());
        assertEquals(0, out.stream().filter(SubmitSession.class::isInstance).count(), "no SessionStart went out, so nothing to close");
    }

    @Test
    void aRunningSessionIsPersistedAboutEveryMinute() {
        startCharging();
        assertEquals(0, c.onSample(new MeterSample(1010, 7000), t.plusSeconds(30)).stream().filter(PersistSession.class::isInstance).count());
        PersistSession p = only(PersistSession.class, c.onSample(new MeterSample(1100, 7000), t.plusSeconds(61)));
        assertEquals(1100, p.session().lastImportWh());
        assertEquals(t.plusSeconds(61), p.session().lastSampleAt());
    }

    @Test
    void resumeAfterAPowerCutClosesTheOpenSessionAsFaultAtTheLastKnownRegister() {
        startCharging();
        OpenSession persisted = only(PersistSession.class, c.onSample(new MeterSample(1800, 7000), t.plusSeconds(70))).session();

        ChargingController restarted = new ChargingController(ChargingController.Settings.defaults(f.pileId(), ChargingFixture.CHAIN));
        Instant later = t.plusSeconds(600);
        List<ChargingCommand> out = restarted.resume(persisted, later);
        assertInstanceOf(OpenRelay.class, out.get(0));
        ClosedSession s = submitted(out);
        assertEquals(EndReason.FAULT, s.endReason());
        assertEquals(1000, s.session().startImportWh());
        assertEquals(1800, s.endImportWh());
        assertEquals(t.plusSeconds(70), s.endTime());
        assertEquals(Phase.CLOSED, restarted.phase());
        restarted.onBooking(booking);
        assertTrue(rejected(restarted.onStartRequest(f.start(booking, later), later)).contains("expected a booking without a session"),
                "the booking of a resumed session never starts again");
        assertThrows(IllegalStateException.class, () -> c.resume(persisted, later), "not while a session runs");
    }
}
