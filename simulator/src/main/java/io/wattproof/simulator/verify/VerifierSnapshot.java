package io.wattproof.simulator.verify;

import io.wattproof.crypto.DeviceId;
import io.wattproof.simulator.verify.Verdict.Reason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counters of a {@link ReadingVerifier} at one moment, in total and per registered device.
 * Rejections that name no registered device (malformed payloads, unknown devices) count only in
 * the total.
 */
public record VerifierSnapshot(Counters total, Map<DeviceId, DeviceSnapshot> devices) {
    public VerifierSnapshot {
        Objects.requireNonNull(total, "total");
        devices = Collections.unmodifiableMap(new LinkedHashMap<>(devices));
    }

    /**
     * Sequence numbers signed by the devices but never verified, summed over the devices in the
     * map (device id to the last sequence its outbox says it signed). A device that is not
     * registered here counts all of its sequences as gaps.
     */
    public long gaps(Map<DeviceId, Long> lastSequenceSignedByDevice) {
        long sum = 0;
        for (Map.Entry<DeviceId, Long> e : lastSequenceSignedByDevice.entrySet()) {
            DeviceSnapshot device = devices.get(e.getKey());
            sum += device != null ? device.gaps(e.getValue()) : DeviceSnapshot.checkLastSigned(e.getValue());
        }
        return sum;
    }

    /**
     * @param verified records verified (each sequence counts once)
     * @param duplicates validly signed copies of verified or held records
     * @param held records waiting now for a missing predecessor (a gauge, not a running count)
     * @param rejected rejections by reason; reasons never seen are absent
     */
    public record Counters(long verified, long duplicates, long held, Map<Reason, Long> rejected) {
        public Counters {
            EnumMap<Reason, Long> copy = new EnumMap<>(Reason.class);
            copy.putAll(rejected);
            rejected = Collections.unmodifiableMap(copy);
        }

        public long rejected(Reason reason) {
            return rejected.getOrDefault(reason, 0L);
        }

        public long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }

        Counters plus(Counters o) {
            EnumMap<Reason, Long> sum = new EnumMap<>(Reason.class);
            sum.putAll(rejected);
            o.rejected.forEach((reason, n) -> sum.merge(reason, n, Long::sum));
            return new Counters(verified + o.verified, duplicates + o.duplicates, held + o.held, sum);
        }
    }

    /**
     * @param chainHead highest sequence up to which every record of the device is verified (0: none)
     */
    public record DeviceSnapshot(DeviceId deviceId, long chainHead, Counters counters) {
        public DeviceSnapshot {
            Objects.requireNonNull(deviceId, "device id");
            Objects.requireNonNull(counters, "counters");
        }

        /**
         * How many of the sequence numbers 1..{@code lastSequenceSignedByDevice} were never
         * verified. Verified sequences are always exactly 1..chainHead (held records do not count
         * until they are chained), so this is what lies beyond the chain head.
         */
        public long gaps(long lastSequenceSignedByDevice) {
            return checkLastSigned(lastSequenceSignedByDevice) - Math.min(chainHead, lastSequenceSignedByDevice);
        }

        static long checkLastSigned(long lastSequenceSignedByDevice) {
            if (lastSequenceSignedByDevice < 0) {
                throw new IllegalArgumentException("last sequence signed by device: expected at least 0, got "
                        + lastSequenceSignedByDevice);
            }
            return lastSequenceSignedByDevice;
        }
    }
}
