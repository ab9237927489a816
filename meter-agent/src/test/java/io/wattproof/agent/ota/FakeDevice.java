package io.wattproof.agent.ota;

import io.wattproof.ota.metadata.ImageEntry;
import io.wattproof.ota.transport.Download;
import io.wattproof.ota.transport.OtaTopics;
import io.wattproof.ota.v1.Announcement;
import io.wattproof.ota.v1.ChunkRequest;
import io.wattproof.ota.v1.Image;
import io.wattproof.ota.v1.Signed;
import io.wattproof.ota.v1.Targets;
import io.wattproof.ota.v1.UpdatePhase;
import io.wattproof.ota.v1.UpdateStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;

/**
 * A device of the update channel's tests, on a raw Paho client: reads the announcement (fleet or
 * its own), downloads the first image through the ota module's {@link Download} core, asking
 * again for a chunk that did not come within a second, and publishes its status, retained, as it
 * goes. It does not check signatures: it tests the channel, not the metadata.
 */
public final class FakeDevice implements AutoCloseable {
    /** What the device does once it has the image (or, for REFUSE, instead of downloading). */
    public enum Ending { UPDATE, ROLL_BACK, REFUSE }

    private final String prefix;
    private final String id;
    private final Ending ending;
    private final long running;
    private final RawDevice mqtt;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor();
    /** Every status published, in order. */
    public final List<UpdateStatus> published = new CopyOnWriteArrayList<>();
    private Download download;
    private long lastRequested = -1;

    public FakeDevice(String uri, String prefix, String id, long running, Ending ending) throws Exception {
        this(uri, null, prefix, id, running, ending);
    }

    /** Over TLS with {@code tls} (a device's certificate for the field broker); null: plain. */
    public FakeDevice(String uri, SSLSocketFactory tls, String prefix, String id, long running, Ending ending) throws Exception {
        this.prefix = prefix;
        this.id = id;
        this.running = running;
        this.ending = ending;
        this.mqtt = new RawDevice(uri, "fake-" + id, tls, this::onMessage);
        status(UpdatePhase.UPDATE_PHASE_IDLE, 0, 0, 0, "");
        mqtt.subscribe(OtaTopics.chunk(prefix, id), 0);
        mqtt.subscribe(OtaTopics.announcement(prefix, id), 1);
        mqtt.subscribe(OtaTopics.fleetAnnouncement(prefix), 1);
        retry.scheduleWithFixedDelay(this::retry, 1, 1, TimeUnit.SECONDS);
    }

    public String id() {
        return id;
    }

    private synchronized void onMessage(RawDevice.Received r) {
        if (r.topic().endsWith("/announce")) {
            if (r.payload().length == 0 || download != null) {
                return;
            }
            Image image;
            try {
                Announcement a = Announcement.parseFrom(r.payload());
                image = Targets.parseFrom(Signed.parseFrom(a.getSignedTargets()).getBody()).getImages(0);
            } catch (Exception e) {
                status(UpdatePhase.UPDATE_PHASE_REFUSED, 0, 0, 0, "announcement: " + e.getMessage());
                return;
            }
            if (ending == Ending.REFUSE) {
                status(UpdatePhase.UPDATE_PHASE_REFUSED, image.getVersion(), 0, image.getLength(),
                        "image.compatible_boards: expected fake, got " + image.getCompatibleBoardsList() + " (wrong_board)");
                return;
            }
            download = Download.start(new ImageEntry(image.getName(), image.getVersion(), image.getCompatibleBoardsList(), image.getLength(),
                    image.getSha256().toByteArray(), image.getMinFromVersion()), Download.DEFAULT_CHUNK_SIZE);
            status(UpdatePhase.UPDATE_PHASE_DOWNLOADING, image.getVersion(), 0, image.getLength(), "");
            request();
        } else if (r.topic().equals(OtaTopics.chunk(prefix, id)) && download != null && !download.complete()) {
            switch (download.accept(r.payload())) {
                case Download.Result.Progress p -> {
                    status(UpdatePhase.UPDATE_PHASE_DOWNLOADING, download.image().version(), p.received(), download.image().length(), "");
                    request();
                }
                case Download.Result.Done d -> {
                    long v = d.image().version();
                    status(UpdatePhase.UPDATE_PHASE_TRIAL, v, d.image().length(), d.image().length(), "");
                    if (ending == Ending.UPDATE) {
                        status(UpdatePhase.UPDATE_PHASE_UPDATED, v, 0, 0, "");
                    } else {
                        status(UpdatePhase.UPDATE_PHASE_ROLLED_BACK, v, 0, 0, "health.brokerReachable: expected true, got false (health)");
                    }
                }
                case Download.Result.Ignored i -> { }
                case Download.Result.Refused f -> status(UpdatePhase.UPDATE_PHASE_REFUSED, download.image().version(), 0, 0,
                        f.refusal().message());
            }
        }
    }

    private void request() {
        Optional<ChunkRequest> next = download.nextRequest();
        if (next.isPresent()) {
            lastRequested = download.received();
            mqtt.publish(OtaTopics.request(prefix, id), next.get().toByteArray(), 0, false, false);
        }
    }

    private synchronized void retry() {
        if (download != null && !download.complete() && lastRequested == download.received()) {
            request();
        }
    }

    private void status(UpdatePhase phase, long target, long received, long length, String detail) {
        boolean updated = phase == UpdatePhase.UPDATE_PHASE_UPDATED;
        UpdateStatus s = UpdateStatus.newBuilder().setPhase(phase).setRunningVersion(updated ? target : running)
                .setFloor(updated ? target : running).setTargetVersion(target).setReceived(received).setLength(length).setDetail(detail)
                .setTime(System.currentTimeMillis() / 1000).build();
        published.add(s);
        mqtt.publish(OtaTopics.status(prefix, id), s.toByteArray(), 1, true, false);
    }

    @Override
    public void close() {
        retry.shutdownNow();
        mqtt.close();
    }
}
