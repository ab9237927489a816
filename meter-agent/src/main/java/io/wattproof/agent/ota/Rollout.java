package io.wattproof.agent.ota;

import io.wattproof.ota.v1.UpdateStatus;
import io.wattproof.ota.v1.UpdatePhase;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How far a published release has gone, judged from the devices' statuses alone (docs/ota.md,
 * "Publishing"). Pure: statuses and the publishing instant in, outcomes out.
 *
 * <p>A status <em>concerns</em> the release when its target version is one of the release's
 * image versions, when an idle device already runs one of them, or when it arrived live at or
 * after {@code since} (a device that refuses the announcement itself may name no target). A
 * retained status about some other version was written before the release and says nothing
 * about it.
 *
 * @param imageVersions the versions of the release's images
 * @param targeted the devices the release was announced to; empty: every device whose status concerns it
 * @param since when the release was announced, by the server's clock
 */
public record Rollout(Set<Long> imageVersions, Set<String> targeted, Instant since) {
    public Rollout {
        imageVersions = Set.copyOf(imageVersions);
        targeted = Set.copyOf(targeted);
        Objects.requireNonNull(since, "since");
        if (imageVersions.isEmpty()) {
            throw new IllegalArgumentException("image versions: expected at least one, got none");
        }
    }

    /** Where one device stands with the release; the last three are final. */
    public enum Outcome {
        /** No status yet, or one that does not concern the release, or downloading or on trial. */
        PENDING,
        /** Committed one of the release's versions, or already ran it. */
        UPDATED,
        /** Installed it and went back: the health check failed or the boot attempts ran out. */
        ROLLED_BACK,
        /** Refused the announcement, the image or the install. */
        REFUSED;

        public boolean isFinal() {
            return this != PENDING;
        }
    }

    /**
     * @param outcomes every targeted device (with --device, also those with no status yet)
     * @param finished at least one device is targeted and every one is final
     * @param allUpdated finished, and every targeted device updated
     */
    public record Summary(Map<String, Outcome> outcomes, boolean finished, boolean allUpdated) {
        public Summary {
            // Sorted by device id, for stable output.
            outcomes = Collections.unmodifiableMap(new TreeMap<>(outcomes));
        }

        public long count(Outcome o) {
            return outcomes.values().stream().filter(o::equals).count();
        }
    }

    public boolean concerns(UpdateServer.DeviceStatus s) {
        UpdateStatus st = s.status();
        if (imageVersions.contains(st.getTargetVersion())) {
            return true;
        }
        if (st.getPhase() == UpdatePhase.UPDATE_PHASE_IDLE && imageVersions.contains(st.getRunningVersion())) {
            return true;
        }
        return !s.retained() && !s.receivedAt().isBefore(since);
    }

    public Outcome judge(UpdateServer.DeviceStatus s) {
        if (!concerns(s)) {
            return Outcome.PENDING;
        }
        UpdateStatus st = s.status();
        return switch (st.getPhase()) {
            case UPDATE_PHASE_UPDATED -> imageVersions.contains(st.getTargetVersion()) ? Outcome.UPDATED : Outcome.PENDING;
            case UPDATE_PHASE_IDLE -> imageVersions.contains(st.getRunningVersion()) ? Outcome.UPDATED : Outcome.PENDING;
            case UPDATE_PHASE_ROLLED_BACK -> Outcome.ROLLED_BACK;
            case UPDATE_PHASE_REFUSED -> Outcome.REFUSED;
            default -> Outcome.PENDING;
        };
    }

    /** The devices targeted and where each stands, from the last status of every device. */
    public Summary summarize(Map<String, UpdateServer.DeviceStatus> statuses) {
        Set<String> devices = new TreeSet<>(targeted);
        if (targeted.isEmpty()) {
            statuses.values().stream().filter(this::concerns).map(UpdateServer.DeviceStatus::deviceId).forEach(devices::add);
        }
        Map<String, Outcome> outcomes = new TreeMap<>();
        for (String d : devices) {
            UpdateServer.DeviceStatus s = statuses.get(d);
            outcomes.put(d, s == null ? Outcome.PENDING : judge(s));
        }
        boolean finished = !outcomes.isEmpty() && outcomes.values().stream().allMatch(Outcome::isFinal);
        boolean allUpdated = finished && outcomes.values().stream().allMatch(Outcome.UPDATED::equals);
        return new Summary(outcomes, finished, allUpdated);
    }
}
