package io.wattproof.ota.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.ota.install.HealthCheck;
import io.wattproof.ota.install.InstallRefusal;
import io.wattproof.ota.install.Installer;
import io.wattproof.ota.install.Outcome;
import io.wattproof.ota.install.Running;
import io.wattproof.ota.install.Slot;
import io.wattproof.ota.metadata.ImageChoice;
import io.wattproof.ota.metadata.ImageEntry;
import io.wattproof.ota.metadata.Refusal;
import io.wattproof.ota.metadata.TrustStore;
import io.wattproof.ota.metadata.TrustedRoot;
import io.wattproof.ota.metadata.Verdict;
import io.wattproof.ota.metadata.VerifiedTargets;
import io.wattproof.ota.transport.Download;
import io.wattproof.ota.transport.DownloadFile;
import io.wattproof.ota.transport.OtaTopics;
import io.wattproof.ota.v1.Announcement;
import io.wattproof.ota.v1.ChunkRequest;
import io.wattproof.ota.v1.Root;
import io.wattproof.ota.v1.Signed;
import io.wattproof.ota.v1.UpdatePhase;
import io.wattproof.ota.v1.UpdateStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's side of an update, from announcement to commit or rollback (docs/ota.md, "The
 * device's update shell"). It ties the checks together in TUF's order: newer roots first, then the
 * targets against the trusted root and the last targets ({@link TrustStore}), then the image for
 * this board above the running version and the floor ({@link ImageChoice}), then the download,
 * hashed while it streams ({@link DownloadFile}), then the install to the slot not running
 * ({@link Installer}) and a restart into it. After that restart the new instance finds itself on
 * trial and lets the {@link HealthCheck} decide between {@link Installer#confirm} and
 * {@link Installer#rollback}.
 *
 * <p>It owns no thread and no connection: the shell that embeds it (the meter agent, or the
 * simulator's virtual device) hands it what arrives, calls {@link #tick} periodically with the
 * health probes, and carries out what it asks through {@link Channel} and {@link Restart}. Not
 * thread-safe: the shell calls it from one thread. Nothing it receives can make it throw; every
 * refusal is reported in the {@link UpdateStatus} it publishes and leaves the device as it was.
 */
public final class UpdateClient {
    private static final Logger log = LoggerFactory.getLogger(UpdateClient.class);

    /** Where the client's messages go; each call may fail (false) and is simply tried again later. */
    public interface Channel {
        boolean request(ChunkRequest request);

        boolean status(UpdateStatus status);
    }

    /**
     * Restarts the application, so that the next start boots the slot the installer chose. Called
     * after an install (to boot the trial) and after a failed health check (to boot the good slot
     * again). The shell must not call back into this client afterwards.
     */
    public interface Restart {
        void restart(String why);
    }

    /**
     * @param board this device's board name, matched against an image's compatible boards
     * @param downloadDir where part files are kept across restarts
     * @param chunkSize bytes asked for at once, at most {@link OtaTopics#MAX_CHUNK_DATA_BYTES}
     * @param requestTimeout how long a request may go unanswered before it is sent again
     * @param syncEvery accepted chunks between syncs of the part file
     * @param health the trial's health check
     * @param retryAfter how long after a refused download or install the last accepted targets are tried again
     */
    public record Settings(String board, Path downloadDir, int chunkSize, Duration requestTimeout, int syncEvery, HealthCheck health,
            Duration retryAfter) {
        public Settings {
            Objects.requireNonNull(board, "board");
            Objects.requireNonNull(downloadDir, "download dir");
            if (chunkSize < 1 || chunkSize > OtaTopics.MAX_CHUNK_DATA_BYTES) {
                throw new IllegalArgumentException("chunk size: expected 1.." + OtaTopics.MAX_CHUNK_DATA_BYTES + ", got " + chunkSize);
            }
            if (requestTimeout.isNegative() || requestTimeout.isZero() || retryAfter.isNegative() || retryAfter.isZero()) {
                throw new IllegalArgumentException("request timeout and retry: expected positive, got " + requestTimeout + ", " + retryAfter);
            }
            if (syncEvery < 1) {
                throw new IllegalArgumentException("sync every: expected 1 or more chunks, got " + syncEvery);
            }
            Objects.requireNonNull(health, "health");
        }

        /** 64 KiB chunks, a request repeated after 5 s, a sync every 16 chunks (1 MiB), retries after 10 min. */
        public static Settings of(String board, Path downloadDir, HealthCheck health) {
            return new Settings(board, downloadDir, Download.DEFAULT_CHUNK_SIZE, Duration.ofSeconds(5), 16, health, Duration.ofMinutes(10));
        }

        public Settings withRequestTimeout(Duration timeout) {
            return new Settings(board, downloadDir, chunkSize, timeout, syncEvery, health, retryAfter);
        }

        public Settings withRetryAfter(Duration retry) {
            return new Settings(board, downloadDir, chunkSize, requestTimeout, syncEvery, health, retry);
        }
    }

    private final Settings settings;
    private final TrustStore trust;
    private final Installer installer;
    private final Channel channel;
    private final Restart restart;
    private final Running running;
    private final Instant bootedAt;

    private volatile UpdateStatus status;
    /** The floor as this client last knew it: raised by a commit. */
    private long floor;
    /** The download under way; null otherwise. */
    private DownloadFile download;
    private Instant lastRequestAt;
    private long requestsRepeated;
    /** The last announcement whose targets were accepted, for a retry after a refused download. */
    private Announcement accepted;
    private Instant retryAt;
    /** Set once a restart was asked for: nothing more happens in this instance. */
    private boolean restarting;
    private boolean judged;
    /** The last announcement that came while the trial was undecided: looked at once it is committed. */
    private byte[] heldAnnouncement;

    /**
     * @param running what booted at this start ({@link Installer#bootSlot} then {@link Installer#running})
     * @param bootedAt when it booted, the start of the health check's window
     */
    public UpdateClient(Settings settings, TrustStore trust, Installer installer, Running running, Instant bootedAt, Channel channel,
            Restart restart) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.installer = Objects.requireNonNull(installer, "installer");
        this.running = Objects.requireNonNull(running, "running");
        this.bootedAt = Objects.requireNonNull(bootedAt, "booted at");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.restart = Objects.requireNonNull(restart, "restart");
        this.floor = running.floor();
        if (running.trial()) {
            status = status(UpdatePhase.UPDATE_PHASE_TRIAL, running.version(), "", bootedAt);
        } else if (running.rejected().isPresent()) {
            status = status(UpdatePhase.UPDATE_PHASE_ROLLED_BACK, running.rejected().getAsLong(),
                    "version " + running.rejected().getAsLong() + " failed its trial; running " + running.version() + " again", bootedAt);
        } else {
            status = status(UpdatePhase.UPDATE_PHASE_IDLE, 0, "", bootedAt);
        }
    }

    /** The status last reported. */
    public UpdateStatus status() {
        return status;
    }

    public Running running() {
        return running;
    }

    /** Chunk requests sent again because no answer came in time. */
    public long requestsRepeated() {
        return requestsRepeated;
    }

    /** The channel is (again) connected: the status is published again, and a download continues. */
    public void connected(Instant now) {
        channel.status(status);
        if (download != null) {
            sendRequest(now);
        }
    }

    /**
     * An announcement arrived (on the fleet's topic or the device's own). Newer roots are applied,
     * then the targets are checked and the image chosen; a download starts if one is needed.
     */
    public void announcement(byte[] wire, Instant now) {
        if (restarting) {
            return;
        }
        if (running.trial() && !judged) {
            // The trial decides first. A retained announcement is not sent again on this connection,
            // so the last one is held and looked at once the trial is committed.
            heldAnnouncement = wire;
            return;
        }
        if (wire == null || wire.length == 0) {
            // An empty retained message withdraws an announcement: nothing to do.
            return;
        }
        if (wire.length > OtaTopics.MAX_ANNOUNCEMENT_BYTES) {
            refuse(0, new Refusal(Refusal.Reason.MALFORMED, "announcement", "at most " + OtaTopics.MAX_ANNOUNCEMENT_BYTES + " bytes",
                    wire.length + " bytes"), now);
            return;
        }
        Announcement a;
        try {
            a = Announcement.parseFrom(wire);
        } catch (InvalidProtocolBufferException e) {
            refuse(0, new Refusal(Refusal.Reason.MALFORMED, "announcement", "an Announcement", "bytes that do not parse"), now);
            return;
        }
        consider(a, now);
    }

    private void consider(Announcement a, Instant now) {
        try {
            List<byte[]> roots = newerRoots(a);
            if (!roots.isEmpty() && trust.applyRoots(roots, now) instanceof Verdict.Refused<TrustedRoot> r) {
                refuse(0, r.refusal(), now);
                return;
            }
            VerifiedTargets targets;
            switch (trust.acceptTargets(a.getSignedTargets().toByteArray(), now)) {
                case Verdict.Refused<VerifiedTargets> r -> {
                    refuse(0, r.refusal(), now);
                    return;
                }
                case Verdict.Accepted<VerifiedTargets> ok -> targets = ok.value();
            }
            accepted = a;
            retryAt = null;
            switch (ImageChoice.choose(targets, settings.board(), running.version(), floor)) {
                case ImageChoice.UpToDate u -> {
                    if (status.getPhase() != UpdatePhase.UPDATE_PHASE_UPDATED && status.getPhase() != UpdatePhase.UPDATE_PHASE_ROLLED_BACK) {
                        publish(status(UpdatePhase.UPDATE_PHASE_IDLE, 0, "", now, targets.version()));
                    }
                }
                case ImageChoice.Refused r -> refuse(0, r.refusal(), now);
                case ImageChoice.Install install -> begin(install.image(), targets.version(), now);
            }
        } catch (IOException e) {
            // The device's own storage failed; nothing was trusted. Tried again at the next announcement.
            log.error("update trust store failed: {}", e.toString());
            publish(status(UpdatePhase.UPDATE_PHASE_REFUSED, 0, "storage: " + e.getMessage(), now));
        }
    }

    /** Roots above the trusted version, in order; an unreadable one is kept so that the chain check names it. */
    private List<byte[]> newerRoots(Announcement a) {
        long trusted = trust.load() instanceof TrustStore.State.Trusted t ? t.root().version() : 0;
        List<byte[]> newer = new ArrayList<>();
        for (ByteString root : a.getSignedRootsList()) {
            long version;
            try {
                version = Root.parseFrom(Signed.parseFrom(root).getBody()).getVersion();
            } catch (InvalidProtocolBufferException e) {
                version = Long.MAX_VALUE;
            }
            if (Long.compareUnsigned(version, trusted) > 0) {
                newer.add(root.toByteArray());
            }
        }
        return newer;
    }

    private void begin(ImageEntry image, long targetsVersion, Instant now) throws IOException {
        OptionalLong rejected = running.rejected();
        if (rejected.isPresent() && rejected.getAsLong() == image.version()) {
            // It failed its trial here; installing it again would only fail again. A newer release is needed.
            return;
        }
        if (download != null) {
            if (download.download().image().equals(image)) {
                return;
            }
            download.close();
            download = null;
        }
        Files.createDirectories(settings.downloadDir());
        switch (DownloadFile.open(settings.downloadDir(), image, settings.chunkSize(), settings.syncEvery())) {
            case DownloadFile.Opened.Refused r -> refuse(image.version(), r.refusal(), now);
            case DownloadFile.Opened.Ready ready -> {
                download = ready.file();
                log.info("update download version={} length={} from={}", image.version(), image.length(), download.download().received());
                if (download.download().complete()) {
                    // A power cut between the last chunk and the install: the image is whole already.
                    install(now);
                } else {
                    publish(downloading(now, targetsVersion));
                    sendRequest(now);
                }
            }
        }
    }

    /** A chunk arrived on the device's chunk topic. */
    public void chunk(byte[] wire, Instant now) {
        if (restarting || download == null || wire == null) {
            return;
        }
        if (wire.length > OtaTopics.MAX_CHUNK_MESSAGE_BYTES) {
            return;
        }
        Download.Result result;
        try {
            result = download.accept(wire);
        } catch (IOException e) {
            log.error("update download cannot be stored: {}", e.toString());
            abandon(now, "storage: " + e.getMessage());
            return;
        }
        switch (result) {
            case Download.Result.Ignored i -> log.debug("update chunk ignored: {}", i.reason());
            case Download.Result.Progress p -> {
                long length = download.download().image().length();
                // About every tenth of the image, so a dashboard sees it move without a status per chunk.
                if (p.received() * 10 / length != status.getReceived() * 10 / length) {
                    publish(downloading(now, status.getTargetsVersion()));
                }
                sendRequest(now);
            }
            case Download.Result.Refused r -> {
                long version = download.download().image().version();
                closeDownload();
                refuse(version, r.refusal(), now);
                retryAt = now.plus(settings.retryAfter());
            }
            case Download.Result.Done d -> install(now);
        }
    }

    private void install(Instant now) {
        ImageEntry image = download.download().image();
        Path file = download.imageFile();
        closeDownload();
        Outcome<Slot> installed;
        try {
            installed = installer.install(file, image);
        } catch (IOException e) {
            log.error("update install failed version={}: {}", image.version(), e.toString());
            publish(status(UpdatePhase.UPDATE_PHASE_REFUSED, image.version(), "install: " + e.getMessage(), now));
            retryAt = now.plus(settings.retryAfter());
            return;
        } finally {
            deleteQuietly(file);
        }
        switch (installed) {
            case Outcome.Refused<Slot> r -> {
                publish(status(UpdatePhase.UPDATE_PHASE_REFUSED, image.version(), r.refusal().message(), now));
                retryAt = now.plus(settings.retryAfter());
            }
            case Outcome.Done<Slot> slot -> {
                publish(status(UpdatePhase.UPDATE_PHASE_TRIAL, image.version(), "installed in slot " + slot.value() + "; restarting", now));
                log.info("update installed version={} slot={}; restarting into it", image.version(), slot.value());
                restarting = true;
                restart.restart("version " + image.version() + " installed in slot " + slot.value());
            }
        }
    }

    /**
     * Periodic work: a request without an answer is sent again, a refused download is retried, and
     * a trial is judged by its health probes.
     */
    public void tick(HealthCheck.Probes probes, Instant now) {
        if (restarting) {
            return;
        }
        if (running.trial() && !judged) {
            judge(probes, now);
            return;
        }
        if (download != null && lastRequestAt != null && !now.isBefore(lastRequestAt.plus(settings.requestTimeout()))) {
            requestsRepeated++;
            sendRequest(now);
        }
        if (download == null && retryAt != null && !now.isBefore(retryAt) && accepted != null) {
            retryAt = null;
            consider(accepted, now);
        }
    }

    private void judge(HealthCheck.Probes probes, Instant now) {
        switch (settings.health().judge(probes, bootedAt, now)) {
            case HealthCheck.Verdict.Waiting w -> {}
            case HealthCheck.Verdict.Passed p -> {
                judged = true;
                try {
                    if (installer.confirm() instanceof Outcome.Refused<Slot> r) {
                        log.error("update commit refused version={}: {}", running.version(), r.refusal());
                        publish(status(UpdatePhase.UPDATE_PHASE_REFUSED, running.version(), "commit: " + r.refusal().message(), now));
                        return;
                    }
                } catch (IOException e) {
                    // Not committed: the boot attempts run out at a later start and the good slot returns.
                    log.error("update commit failed version={}: {}", running.version(), e.toString());
                    publish(status(UpdatePhase.UPDATE_PHASE_REFUSED, running.version(), "commit: " + e.getMessage(), now));
                    return;
                }
                log.info("update committed version={} slot={}", running.version(), running.slot());
                floor = Math.max(floor, running.version());
                publish(status(UpdatePhase.UPDATE_PHASE_UPDATED, running.version(), "", now));
                if (heldAnnouncement != null) {
                    byte[] held = heldAnnouncement;
                    heldAnnouncement = null;
                    announcement(held, now);
                }
            }
            case HealthCheck.Verdict.Failed f -> {
                judged = true;
                rollBack(f.why(), now);
            }
        }
    }

    private void rollBack(InstallRefusal why, Instant now) {
        String detail = why.message();
        try {
            if (installer.rollback() instanceof Outcome.Refused<Slot> r) {
                detail += "; rollback refused: " + r.refusal().message();
            }
        } catch (IOException e) {
            // The trial is not marked bad, but its attempts are spent at the next start all the same.
            detail += "; rollback not recorded: " + e.getMessage();
        }
        log.warn("update health check failed version={}: {}; restarting into the good slot", running.version(), detail);
        publish(status(UpdatePhase.UPDATE_PHASE_ROLLED_BACK, running.version(), detail, now));
        restarting = true;
        restart.restart("version " + running.version() + " failed its health check: " + detail);
    }

    private void sendRequest(Instant now) {
        Optional<ChunkRequest> next = download.nextRequest();
        if (next.isPresent()) {
            channel.request(next.get());
            lastRequestAt = now;
        }
    }

    private void abandon(Instant now, String detail) {
        long version = download.download().image().version();
        closeDownload();
        publish(status(UpdatePhase.UPDATE_PHASE_REFUSED, version, detail, now));
        retryAt = now.plus(settings.retryAfter());
    }

    private void closeDownload() {
        try {
            download.close();
        } catch (IOException e) {
            log.warn("update part file not closed cleanly: {}", e.toString());
        }
        download = null;
        lastRequestAt = null;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("downloaded image not deleted: {}", e.toString());
        }
    }

    private void refuse(long version, Refusal refusal, Instant now) {
        log.warn("update refused version={}: {}", version, refusal.message());
        publish(status(UpdatePhase.UPDATE_PHASE_REFUSED, version, refusal.message(), now));
    }

    private UpdateStatus downloading(Instant now, long targetsVersion) {
        Download d = download.download();
        return status(UpdatePhase.UPDATE_PHASE_DOWNLOADING, d.image().version(), "", now, targetsVersion).toBuilder()
                .setReceived(d.received()).setLength(d.image().length()).build();
    }

    private UpdateStatus status(UpdatePhase phase, long target, String detail, Instant now) {
        return status(phase, target, detail, now, status == null ? lastTargetsVersion() : status.getTargetsVersion());
    }

    private UpdateStatus status(UpdatePhase phase, long target, String detail, Instant now, long targetsVersion) {
        return UpdateStatus.newBuilder().setPhase(phase).setRunningVersion(running.version()).setFloor(floor)
                .setTargetVersion(target).setDetail(detail).setTime(now.getEpochSecond()).setTargetsVersion(targetsVersion).build();
    }

    private long lastTargetsVersion() {
        return trust.load() instanceof TrustStore.State.Trusted t ? t.last().version() : 0;
    }

    private void publish(UpdateStatus next) {
        status = next;
        channel.status(next);
    }
}
