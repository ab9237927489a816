package io.wattproof.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which durations of a run are simulated and which stay real when the lab runs {@code speed}
 * times faster than real time (docs/architecture.md, "Time compression in the simulator").
 *
 * <p>On simulated time, one clock for all: the agents' clocks (interval boundaries, record
 * timestamps, receipt due times), the virtual meters' load curves and energy integration, and the
 * ledger's block and vote timestamps. The light client compares a header's time with its own
 * clock (trusting period, and clock drift, "the assumed precision of the clock"; CometBFT
 * spec light-client/verification), so the ledger and the agents must read the same clock. On
 * real time: everything that waits on a network peer or a thread (MQTT keep-alive and
 * reconnects, Modbus response timeouts, light-block request timeouts, the block interval, the
 * drain at the end).
 *
 * <p>A few agent settings are durations on its clock that really bound real work; the simulator
 * passes them scaled, so that a faster lab does not turn patience into a storm:
 * {@link #receiptTimeout} (and with it the back-off after refusals), {@link #maxLateness} and
 * {@link #samplePeriod}. At speed 1 each is what the agent would choose itself. The agent and
 * the dashboard scale two real bounds themselves when given a ScaledClock
 * ({@code ScaledClock.simulated}): the clock-step tolerance and the light client's max clock drift.
 *
 * @param speed simulated seconds per real second, {@value #MIN_SPEED}..{@value #MAX_SPEED}
 */
public record TimeCompression(int speed) {
    public static final int MIN_SPEED = 1;
    public static final int MAX_SPEED = 10_000;
    public static final TimeCompression REAL_TIME = new TimeCompression(1);

    /**
     * The shortest metering interval in real time the lab keeps up with: a boundary read is
     * scheduled on a shared machine with a jitter of some milliseconds, and at most half an
     * interval late is it still that interval's (the agent's max lateness).
     */
    static final Duration MIN_REAL_INTERVAL = Duration.ofMillis(100);
    /** The agent's own bounds at real time (AgentConfig.Builder): sample at most every 10 s, accept 5 s lateness. */
    private static final long AGENT_MAX_SAMPLE_SECONDS = 10;
    private static final Duration AGENT_MAX_LATENESS = Duration.ofSeconds(5);
    /** Each meter read costs a Modbus round trip and a status update; not more often than this, really. */
    private static final Duration MIN_REAL_SAMPLE_PERIOD = Duration.ofMillis(50);
    /** How late a boundary read may really be on a loaded machine (a GC pause, a busy core). */
    private static final Duration REAL_LATENESS = Duration.ofMillis(250);

    public TimeCompression {
        if (speed < MIN_SPEED || speed > MAX_SPEED) {
            throw new IllegalArgumentException("speed: expected " + MIN_SPEED + ".." + MAX_SPEED + ", got " + speed);
        }
    }

    public boolean isRealTime() {
        return speed == 1;
    }

    /** The simulated time that passes in {@code real}. */
    public Duration simulated(Duration real) {
        return real.multipliedBy(speed);
    }

    /** The real time {@code simulated} takes. */
    public Duration real(Duration simulated) {
        return simulated.dividedBy(speed);
    }

    /**
     * Why {@code interval} cannot be metered at this speed, or empty: in real time it must be at
     * least {@link #MIN_REAL_INTERVAL}.
     */
    public Optional<String> intervalProblem(Duration interval) {
        if (real(interval).compareTo(MIN_REAL_INTERVAL) >= 0) {
            return Optional.empty();
        }
        long max = interval.toMillis() / MIN_REAL_INTERVAL.toMillis();
        return Optional.of("expected at most " + Math.max(1, max) + " for a " + interval.toSeconds() + " s interval (each interval at least "
                + MIN_REAL_INTERVAL.toMillis() + " ms in real time), got " + speed);
    }

    /**
     * The agent's sample period: the largest divisor of the interval (AgentConfig requires one) not
     * above 10 s or, faster, not above what {@link #MIN_REAL_SAMPLE_PERIOD} really is in simulated
     * time. At speed 1 the agent's own default.
     */
    public Duration samplePeriod(Duration interval) {
        long seconds = interval.toSeconds();
        long cap = Math.max(AGENT_MAX_SAMPLE_SECONDS, simulated(MIN_REAL_SAMPLE_PERIOD).toSeconds());
        for (long d = Math.min(seconds, cap); d > 1; d--) {
            if (seconds % d == 0) {
                return Duration.ofSeconds(d);
            }
        }
        return Duration.ofSeconds(1);
    }

    /**
     * How late a boundary read may be, in simulated time: the agent's 5 s or, faster, what
     * {@link #REAL_LATENESS} really is, but never more than half an interval (a read later than that
     * is nearer the next boundary). At speed 1 the agent's own default.
     */
    public Duration maxLateness(Duration interval) {
        Duration half = interval.dividedBy(2);
        Duration late = simulated(REAL_LATENESS).compareTo(AGENT_MAX_LATENESS) > 0 ? simulated(REAL_LATENESS) : AGENT_MAX_LATENESS;
        return late.compareTo(half) < 0 ? late : half;
    }

    /**
     * The agent's receipt timeout on its (simulated) clock for a timeout of {@code real}: it waits
     * for a gateway, a broker and a block, all of which take real time. Five simulated seconds at
     * speed 1000 would send every record again after 5 ms.
     */
    public Duration receiptTimeout(Duration real) {
        return simulated(real);
    }

    /**
     * The tariff's settlement delay, simulated seconds: two intervals, and at least two blocks
     * and 2 s of real time, so that readings delayed by a block or a reconnect still count.
     */
    public long settlementDelaySeconds(Duration interval, Duration blockInterval) {
        long byBlocks = (2 * blockInterval.toSeconds() + 2) * speed;
        return Math.max(2 * interval.toSeconds(), byBlocks);
    }

    /**
     * Where the run's simulated clock starts: now, or just after the last block of a chain the run
     * folder continues, when an earlier faster run left its blocks in the future. Block times only
     * rise (CometBFT spec, "Time"), a header from the future fails the light client's clock-drift
     * check, and an agent records no interval before its last one ended.
     */
    public static Instant startAt(Instant now, Optional<Instant> lastBlockTime) {
        if (lastBlockTime.isPresent() && !lastBlockTime.get().isBefore(now)) {
            return lastBlockTime.get().plusSeconds(1);
        }
        return now;
    }
}
