package io.wattproof.simulator.charging;

import io.wattproof.agent.charging.ChargingPile;
import io.wattproof.agent.charging.ChargingTransactions;
import io.wattproof.agent.driver.CarOwner;
import io.wattproof.agent.driver.CarOwnerStore;
import io.wattproof.agent.driver.DriverData;
import io.wattproof.agent.driver.PileInfo;
import io.wattproof.agent.driver.SessionMessage;
import io.wattproof.agent.gpio.LoggingRelay;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.simulator.SimulationConfig.ChargingSetup;
import io.wattproof.simulator.SimulationResult.ChargingCounts;
import io.wattproof.simulator.ledger.app.AppSnapshot.BookingStatus;
import io.wattproof.simulator.ledger.app.AppSnapshot;
import io.wattproof.simulator.ledger.app.EnergyApplication;
import io.wattproof.simulator.load.ChargingLoad;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The charging scenario's cars (docs/charging.md): each car owner has its own key, HPKE key and
 * funded account; it books a slot at one pile through the gateway, plugs in when its window
 * opens, asks the pile to start over MQTT and then behaves in one of three ways, so every way a
 * session ends is exercised in one run:
 *
 * <ul>
 *   <li>car 1, 4, 7, … books little energy and charges until the pile stops at the limit
 *       ({@code LIMIT_REACHED});
 *   <li>car 2, 5, 8, … sends a StopRequest half way through its window ({@code STOPPED_BY_USER});
 *   <li>car 3, 6, 9, … charges until the pile stops at the window's end ({@code WINDOW_ENDED}).
 * </ul>
 *
 * <p>Cars are spread over the piles round robin; the cars of one pile get consecutive slots that
 * share the run between a lead (bookings must be in a block before their window opens) and a
 * tail (the last session's record and the readings that settle it reach the ledger before
 * metering stops).
 */
public final class ChargingScenario implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChargingScenario.class);

    /** Micro-units per kWh: 0.30. */
    public static final long UNIT_PRICE = 300_000;
    public static final int MAX_POWER_W = 11_000;
    /** What the operator credits each car owner's account with: 100.00. */
    public static final long CAR_CREDIT = 100_000_000;
    static final Duration LEAD = Duration.ofSeconds(12);
    static final Duration TAIL = Duration.ofSeconds(10);
    /** The shortest slot worth charging in: a start, a few samples, a stop. */
    static final Duration MIN_SLOT = Duration.ofSeconds(10);
    /** The pile opens its relay at the window's end and then waits for the end register, at most 10 s. */
    public static final Duration RELAY_GRACE = Duration.ofSeconds(12);
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** How a car's session is meant to end. */
    enum Plan { LIMIT, USER_STOP, WINDOW_END }

    /** One car's slot: its pile, window and plan. */
    record Slot(int car, int pile, long windowStart, long windowEnd, Plan plan, double powerW) {
        long maxEnergyWh() {
            // The limit car books about half its window's energy; the others more than they can draw.
            return plan == Plan.LIMIT ? Math.max(1, (long) (powerW * (windowEnd - windowStart) / 2 / 3600)) : 100_000;
        }

        long maxAmount() {
            // One micro-unit above the energy's price, so the energy limit is the one that stops.
            return maxEnergyWh() * UNIT_PRICE / 1000 + 1;
        }
    }

    /** A pile as the scenario drives it: its device id, shell, relay and load. */
    public record Pile(DeviceId id, ChargingPile shell, LoggingRelay relay, ChargingLoad load) {}

    /** What became of one car, for the console. */
    record Outcome(Slot slot, String bookingHex, String result) {}

    private final List<Pile> piles;
    private final List<Slot> slots;
    private final List<CarOwnerStore> stores;
    private final String brokerUri;
    private final String chainId;
    private final Clock clock;
    private final EnergyApplication app;
    private final Set<String> bookings = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private final long sessionsAtStart;
    private final long settledAtStart;
    private final long disputesAtStart;

    private ChargingScenario(List<Pile> piles, List<Slot> slots, List<CarOwnerStore> stores, String brokerUri, String chainId,
            Clock clock, EnergyApplication app) {
        this.piles = piles;
        this.slots = slots;
        this.stores = stores;
        this.brokerUri = brokerUri;
        this.chainId = chainId;
        this.clock = clock;
        this.app = app;
        AppSnapshot.ChargingView c = app.snapshot().charging();
        this.sessionsAtStart = c.sessions();
        this.settledAtStart = c.settled();
        this.disputesAtStart = c.disputes();
    }

    /**
     * The slots of {@code cars} cars on {@code piles} piles in a run of {@code duration} from
     * {@code now}: round robin over the piles, consecutive windows per pile.
     *
     * @throws IllegalArgumentException when the run is too short to give every car a slot of
     *     {@link #MIN_SLOT}
     */
    static List<Slot> plan(int piles, int cars, Instant now, Duration duration) {
        int perPile = (cars + piles - 1) / piles;
        long usable = duration.minus(LEAD).minus(TAIL).toSeconds();
        long slot = usable / perPile;
        if (slot < MIN_SLOT.toSeconds()) {
            throw new IllegalArgumentException("duration: expected at least " + (LEAD.toSeconds() + TAIL.toSeconds()
                    + perPile * MIN_SLOT.toSeconds()) + " s for " + cars + " cars on " + piles + " piles (" + perPile
                    + " slots of " + MIN_SLOT.toSeconds() + " s per pile), got " + duration.toSeconds() + " s");
        }
        long first = now.getEpochSecond() + LEAD.toSeconds();
        List<Slot> slots = new ArrayList<>();
        for (int car = 0; car < cars; car++) {
            int pile = car % piles;
            long start = first + (long) (car / piles) * slot;
            Plan plan = Plan.values()[car % Plan.values().length];
            double power = car % 2 == 0 ? 11_000 : 7_400;
            slots.add(new Slot(car, pile, start, start + slot, plan, power));
        }
        return slots;
    }

    /**
     * Offers every pile on the ledger, waits until the offers are in a block, and starts one
     * thread per car. The car owners' accounts must be funded already ({@link #accounts}).
     */
    public static ChargingScenario start(List<Pile> piles, List<CarOwnerStore> stores, ChargingSetup setup, Duration duration,
            String brokerUri, String chainId, Clock clock, EnergyApplication app) throws Exception {
        Instant now = clock.instant();
        List<Slot> slots = plan(setup.piles(), setup.cars(), now, duration);
        ChargingScenario scenario = new ChargingScenario(piles, slots, stores, brokerUri, chainId, clock, app);
        scenario.offer(now, duration);
        for (Slot s : slots) {
            Thread t = Thread.ofVirtual().name("car-" + (s.car() + 1)).start(() -> scenario.drive(s));
            scenario.threads.add(t);
        }
        return scenario;
    }

    /** The ledger accounts of the car owners, for the operator to fund. */
    public static List<String> accounts(List<CarOwnerStore> stores) {
        return stores.stream().map(s -> ChargingTransactions.driverAccount(s.driverId())).toList();
    }

    /** Opens (or creates) car owner {@code i}'s key folder under the run folder. */
    public static CarOwnerStore carStore(Path runFolder, int i) throws CarOwnerStore.StoreException {
        return CarOwnerStore.open(runFolder.resolve("cars").resolve(String.format("car-%03d", i + 1)), null, true, KeyAlgorithm.ED25519,
                new SecureRandom());
    }

    private void offer(Instant now, Duration duration) throws InterruptedException {
        long windowEnd = now.plus(duration).plus(Duration.ofHours(1)).getEpochSecond();
        List<String> offered = new ArrayList<>();
        for (Pile p : piles) {
            byte[] hash = p.shell().publishOffer(UNIT_PRICE, now.getEpochSecond(), windowEnd, MAX_POWER_W);
            offered.add(HexFormat.of().formatHex(hash));
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!app.snapshot().charging().offers().keySet().containsAll(offered)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pile offers not on the ledger after " + WAIT.toSeconds() + " s: "
                        + offered.stream().filter(h -> !app.snapshot().charging().offers().containsKey(h)).toList());
            }
            Thread.sleep(50);
        }
    }

    private void drive(Slot slot) {
        Pile pile = piles.get(slot.pile());
        CarOwnerStore store = stores.get(slot.car());
        String label = "car " + (slot.car() + 1) + " at pile " + pile.id().hex().substring(0, 8);
        SecureRandom random = new SecureRandom();
        try (CarOwner car = new CarOwner(CarOwner.Settings.of(brokerUri, chainId, store.driverId()).withResend(Duration.ofSeconds(3), 4),
                store.key(), store.sealKey(), store.nonces(), clock, random)) {
            PileInfo.Parsed parsed = car.readPileInfo(pile.id(), WAIT);
            if (!(parsed instanceof PileInfo.Parsed.Ok ok)) {
                outcomes.add(new Outcome(slot, "", "pile info unreadable: " + parsed));
                return;
            }
            PileInfo info = ok.info();
            byte[] offer = info.offers().get(info.offers().size() - 1).txHash();
            DriverData data = DriverData.commit(String.format("Car owner %03d <car%03d@example.org>, plate SIM-%03d", slot.car() + 1,
                    slot.car() + 1, slot.car() + 1), random);
            CarOwner.BookingResult booked = car.book(pile.id(), offer, slot.maxEnergyWh(), slot.maxAmount(), slot.windowStart(),
                    slot.windowEnd(), slot.maxAmount(), data.pseudonym(), WAIT);
            if (!(booked instanceof CarOwner.BookingResult.Booked b)) {
                outcomes.add(new Outcome(slot, "", "booking not accepted: " + booked));
                return;
            }
            bookings.add(b.bookingHex());
            sleepUntil(Instant.ofEpochSecond(slot.windowStart()).plusSeconds(1));
            pile.load().plugIn(slot.powerW());
            CarOwner.RequestResult started = car.start(pile.id(), b.bookingTxHash(), info.sealKey(), info.suite(), data);
            // A pile that has not yet verified the booking (its result needs the next block) stays
            // silent; ask again while the window lasts.
            while (started instanceof CarOwner.RequestResult.TimedOut
                    && clock.instant().isBefore(Instant.ofEpochSecond(slot.windowEnd()).minusSeconds(3))) {
                started = car.start(pile.id(), b.bookingTxHash(), info.sealKey(), info.suite(), data);
            }
            if (!(started instanceof CarOwner.RequestResult.Answered a && a.event() instanceof SessionMessage.Started)) {
                outcomes.add(new Outcome(slot, b.bookingHex(), "start not accepted: " + started));
                return;
            }
            CountDownLatch closed = new CountDownLatch(1);
            String[] end = {"no closed event"};
            try (CarOwner.Watch watch = car.watch(b.bookingTxHash(), m -> {
                if (m instanceof SessionMessage.Closed c) {
                    end[0] = c.endReason() + " " + c.energyWh() + " Wh " + c.amount() + " µ";
                    closed.countDown();
                }
            })) {
                if (slot.plan() == Plan.USER_STOP) {
                    sleepUntil(Instant.ofEpochSecond((slot.windowStart() + slot.windowEnd()) / 2));
                    CarOwner.RequestResult stopped = car.stop(pile.id(), b.bookingTxHash());
                    if (stopped instanceof CarOwner.RequestResult.Answered s && s.event() instanceof SessionMessage.Closed c) {
                        end[0] = c.endReason() + " " + c.energyWh() + " Wh " + c.amount() + " µ";
                        closed.countDown();
                    }
                }
                long waitMs = Duration.between(clock.instant(), Instant.ofEpochSecond(slot.windowEnd()).plus(RELAY_GRACE)).toMillis();
                closed.await(Math.max(0, waitMs), TimeUnit.MILLISECONDS);
            }
            outcomes.add(new Outcome(slot, b.bookingHex(), end[0]));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("{} failed: {}", label, e.toString());
            outcomes.add(new Outcome(slot, "", "failed: " + e));
        }
    }

    private void sleepUntil(Instant t) throws InterruptedException {
        long ms = Duration.between(clock.instant(), t).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    /** Waits until every car is done, at most until {@code deadlineNanos} (System.nanoTime()). */
    public boolean awaitCars(long deadlineNanos) throws InterruptedException {
        for (Thread t : threads) {
            long ms = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
            if (!t.join(Duration.ofMillis(ms))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits, at most until {@code deadlineNanos}, until every booking made in this run is settled,
     * expired or disputed, and then counts.
     */
    public ChargingCounts counts(long deadlineNanos) throws InterruptedException {
        while (unaccounted(app.snapshot()) > 0 && System.nanoTime() < deadlineNanos) {
            Thread.sleep(200);
        }
        AppSnapshot state = app.snapshot();
        AppSnapshot.ChargingView c = state.charging();
        long violations = 0;
        Instant end = clock.instant();
        for (Pile p : piles) {
            for (RelayAudit.Violation v : RelayAudit.check(p.id(), p.relay().changes(), c.bookings().values(), RELAY_GRACE, end)) {
                log.error("relay violation pile={} {}", v.pile(), v.reason());
                violations++;
            }
        }
        return new ChargingCounts(bookings.size(), c.sessions() - sessionsAtStart, c.settled() - settledAtStart,
                c.disputes() - disputesAtStart, unaccounted(state), violations);
    }

    private long unaccounted(AppSnapshot state) {
        long n = 0;
        for (String b : bookings) {
            Optional<AppSnapshot.BookingView> view = state.charging().booking(b);
            BookingStatus status = view.map(AppSnapshot.BookingView::status).orElse(BookingStatus.BOOKED);
            if (status == BookingStatus.BOOKED || status == BookingStatus.ACTIVE || status == BookingStatus.COMPLETED) {
                n++;
            }
        }
        return n;
    }

    /** One line per car: its pile, window, plan and what became of it. */
    public List<String> outcomeLines() {
        List<String> lines = new ArrayList<>();
        synchronized (outcomes) {
            for (Outcome o : outcomes.stream().sorted(java.util.Comparator.comparingInt(o -> o.slot().car())).toList()) {
                Slot s = o.slot();
                lines.add(String.format("car %d at pile %s window %ds..%ds plan %s booking %s: %s", s.car() + 1,
                        piles.get(s.pile()).id().hex().substring(0, 8), s.windowStart() % 100_000, s.windowEnd() % 100_000, s.plan(),
                        o.bookingHex().isEmpty() ? "-" : o.bookingHex().substring(0, 12), o.result()));
            }
        }
        return lines;
    }

    /** Sessions, settled and disputes so far in this run, for the progress line. */
    public String progress() {
        AppSnapshot.ChargingView c = app.snapshot().charging();
        return " bookings=" + bookings.size() + " sessions=" + (c.sessions() - sessionsAtStart) + " settled=" + (c.settled() - settledAtStart);
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
    }
}
