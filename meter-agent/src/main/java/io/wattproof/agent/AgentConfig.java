package io.wattproof.agent;

import io.wattproof.agent.interval.IntervalSchedule;
import io.wattproof.agent.ledger.LedgerSettings;
import io.wattproof.agent.record.FirmwareIdentity;
import io.wattproof.protocol.SignBytes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What an agent needs besides its key, meter and uplink.
 *
 * @param dataDir folder of the agent's durable state (outbox.log)
 * @param chainId ledger chain the records are signed for
 * @param schedule metering interval
 * @param samplePeriod how often the meter is read between boundaries, for peak power and voltage
 *     and current extremes; divides the interval
 * @param maxLateness how late a boundary read may be and still close an interval
 * @param meterSerial serial number recorded in each Reading
 * @param firmware version and hash recorded in each Reading
 * @param outboxBudgetBytes the most the outbox may occupy on disk; at the budget the agent stops
 *     signing new records rather than drop stored ones (docs/architecture.md, "When the disk budget
 *     is reached")
 * @param ledger how to follow the ledger (docs/ledger.md, "What the agent does"); empty: a record
 *     acknowledged by the broker is done, as before the ledger loop existed
 */
public record AgentConfig(
        Path dataDir,
        String chainId,
        IntervalSchedule schedule,
        Duration samplePeriod,
        Duration maxLateness,
        String meterSerial,
        FirmwareIdentity firmware,
        long outboxBudgetBytes,
        Optional<LedgerSettings> ledger) {

    /**
     * 64 MiB: ~200,000 records of ~310 bytes, more than five years of 15-minute intervals, while
     * stored records are kept until ledger receipts let them go; 30 days offline take under 1 MiB.
     */
    public static final long DEFAULT_OUTBOX_BUDGET_BYTES = 64L * 1024 * 1024;
    /** Below this (about 200 records) a budget is a mistake, not a setting. */
    public static final long MIN_OUTBOX_BUDGET_BYTES = 64L * 1024;

    public AgentConfig {
        Objects.requireNonNull(dataDir, "data dir");
        Objects.requireNonNull(ledger, "ledger");
        SignBytes.checkChainId(chainId);
        if (samplePeriod.isZero() || samplePeriod.isNegative() || samplePeriod.getNano() != 0
                || schedule.seconds() % samplePeriod.getSeconds() != 0) {
            throw new IllegalArgumentException("sample period: expected whole seconds dividing the interval of "
                    + schedule.seconds() + " s, got " + samplePeriod);
        }
        if (meterSerial.isEmpty() || meterSerial.length() > 32 || !meterSerial.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("meter serial: expected 1..32 printable ASCII characters, got \"" + meterSerial + "\"");
        }
        if (outboxBudgetBytes < MIN_OUTBOX_BUDGET_BYTES) {
            throw new IllegalArgumentException("outbox budget: expected at least " + MIN_OUTBOX_BUDGET_BYTES + " bytes, got "
                    + outboxBudgetBytes);
        }
    }

    /** Without following the ledger. */
    public AgentConfig(Path dataDir, String chainId, IntervalSchedule schedule, Duration samplePeriod, Duration maxLateness,
            String meterSerial, FirmwareIdentity firmware, long outboxBudgetBytes) {
        this(dataDir, chainId, schedule, samplePeriod, maxLateness, meterSerial, firmware, outboxBudgetBytes, Optional.empty());
    }

    /** The same configuration, following the ledger with {@code settings}. */
    public AgentConfig withLedger(LedgerSettings settings) {
        return new AgentConfig(dataDir, chainId, schedule, samplePeriod, maxLateness, meterSerial, firmware, outboxBudgetBytes,
                Optional.of(settings));
    }

    /** The same configuration, for the build {@code identity} (a device that booted another slot's image). */
    public AgentConfig withFirmware(FirmwareIdentity identity) {
        return new AgentConfig(dataDir, chainId, schedule, samplePeriod, maxLateness, meterSerial, identity, outboxBudgetBytes, ledger);
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Defaults: 15-minute intervals, chain {@code wattproof-sim}, samples every 10 s. */
    public static final class Builder {
        private final Path dataDir;
        private String chainId = "wattproof-sim";
        private IntervalSchedule schedule = new IntervalSchedule(900);
        private Duration samplePeriod;
        private Duration maxLateness;
        private String meterSerial = "unknown";
        private FirmwareIdentity firmware;
        private long outboxBudgetBytes = DEFAULT_OUTBOX_BUDGET_BYTES;
        private LedgerSettings ledger;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder chainId(String chainId) {
            this.chainId = chainId;
            return this;
        }

        public Builder interval(Duration length) {
            this.schedule = IntervalSchedule.of(length);
            return this;
        }

        public Builder samplePeriod(Duration samplePeriod) {
            this.samplePeriod = samplePeriod;
            return this;
        }

        public Builder maxLateness(Duration maxLateness) {
            this.maxLateness = maxLateness;
            return this;
        }

        public Builder meterSerial(String meterSerial) {
            this.meterSerial = meterSerial;
            return this;
        }

        public Builder firmware(FirmwareIdentity firmware) {
            this.firmware = firmware;
            return this;
        }

        public Builder outboxBudgetBytes(long bytes) {
            this.outboxBudgetBytes = bytes;
            return this;
        }

        /** Follow the ledger from this trust anchor, with these timeouts; null for not at all. */
        public Builder ledger(LedgerSettings settings) {
            this.ledger = settings;
            return this;
        }

        public AgentConfig build() {
            long seconds = schedule.seconds();
            Duration period = samplePeriod != null ? samplePeriod : Duration.ofSeconds(largestDivisorAtMost(seconds, 10));
            // A boundary read later than this belongs to no interval we could stand behind.
            Duration lateness = maxLateness != null
                    ? maxLateness
                    : schedule.length().dividedBy(2).compareTo(Duration.ofSeconds(5)) < 0
                            ? schedule.length().dividedBy(2)
                            : Duration.ofSeconds(5);
            return new AgentConfig(dataDir, chainId, schedule, period, lateness, meterSerial,
                    firmware != null ? firmware : RunningBuild.identity(), outboxBudgetBytes, Optional.ofNullable(ledger));
        }

        private static long largestDivisorAtMost(long n, long max) {
            for (long d = Math.min(n, max); d > 1; d--) {
                if (n % d == 0) return d;
            }
            return 1;
        }
    }
}
