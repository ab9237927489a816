package io.wattproof.agent.ota;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.agent.uplink.PahoSession;
import io.wattproof.ota.transport.OtaTopics;
import io.wattproof.ota.v1.Announcement;
import io.wattproof.ota.v1.Chunk;
import io.wattproof.ota.v1.ChunkRequest;
import io.wattproof.ota.v1.UpdatePhase;
import io.wattproof.ota.v1.UpdateStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's end of the update channel over MQTT 5 (docs/ota.md, "Publishing"): announces a
 * signed release, retained, to the fleet or to chosen devices; answers every device's
 * {@code ChunkRequest} with the bytes asked for, on that device's own chunk topic only; and keeps
 * the last {@code UpdateStatus} of every device.
 *
 * <p>Requests and statuses come from devices and are not trusted: one that does not parse, names
 * an image not served, starts at or past the image's end or asks for 0 or more than
 * {@link OtaTopics#MAX_CHUNK_DATA_BYTES} bytes gets no answer and is counted by
 * {@link RequestRefusal}. A device retries a request that got no answer (docs/ota.md, "Transport"),
 * so a dropped request costs a retry and nothing else. Nothing a device sends can stop the server.
 *
 * <p>Requests are subscribed only once an image is served, so a server used to read statuses
 * answers nothing. Chunks go out at QoS 0 (what devices subscribe with) from Paho's callback thread
 * without waiting; announcements are published at QoS 1 and waited for.
 */
public final class UpdateServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpdateServer.class);

    /** Largest request read: its four fields (a name of at most 128 characters) take well under this. */
    public static final int MAX_REQUEST_BYTES = 512;
    /** Largest status read: nine short fields and a detail line. */
    public static final int MAX_STATUS_BYTES = 4096;

    /**
     * @param prefix the protocol's topic prefix ({@code wattproof/v1} by default), without a trailing {@code /}
     * @param clientId unique per connection (a broker drops an older connection with the same id, MQTT 5 §3.1.4)
     * @param connectTimeout for the connection, each SUBACK and each announcement's PUBACK
     * @param tls for an {@code ssl://} broker: the operator's TLS (docs/mosquitto.md, "Operators");
     *     empty: the JVM's trust store, no client certificate
     */
    public record Settings(String brokerUri, String prefix, String clientId, Duration connectTimeout, Optional<SSLSocketFactory> tls) {
        public Settings {
            Objects.requireNonNull(brokerUri, "broker uri");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(clientId, "client id");
            Objects.requireNonNull(connectTimeout, "connect timeout");
            Objects.requireNonNull(tls, "tls");
            if (prefix.isEmpty() || prefix.endsWith("/") || prefix.contains("+") || prefix.contains("#")) {
                throw new IllegalArgumentException("prefix: expected topic levels without wildcards or a trailing '/', got '" + prefix + "'");
            }
        }

        /** Connect within 10 s; client id {@code ota-server-<random>}; no TLS settings of its own. */
        public static Settings of(String brokerUri, String prefix) {
            byte[] suffix = new byte[4];
            new SecureRandom().nextBytes(suffix);
            return new Settings(brokerUri, prefix, "ota-server-" + HexFormat.of().formatHex(suffix), Duration.ofSeconds(10),
                    Optional.empty());
        }

        public Settings withTls(SSLSocketFactory factory) {
            return new Settings(brokerUri, prefix, clientId, connectTimeout, Optional.of(factory));
        }
    }

    /** A broker that cannot be reached, or refuses a subscription or a publish. */
    public static final class ConnectionException extends Exception {
        public ConnectionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Why a request got no answer. */
    public enum RequestRefusal {
        /** The topic is not {@code <prefix>/devices/<id>/ota/request}. */
        NOT_A_DEVICE_TOPIC,
        /** More than {@link #MAX_REQUEST_BYTES}. */
        TOO_LONG,
        /** Not a {@code ChunkRequest}. */
        MALFORMED,
        /** No image of that name and version is served. */
        UNKNOWN_IMAGE,
        /** {@code max_length} is 0 or above {@link OtaTopics#MAX_CHUNK_DATA_BYTES}. */
        MAX_LENGTH_OUT_OF_RANGE,
        /** {@code offset} is at or past the image's length. */
        OFFSET_BEYOND_END,
        /** The image could not be read (its file shrank or failed), or the chunk could not be sent. */
        SEND_FAILED
    }

    /**
     * What the server did so far: chunks and data bytes sent, requests answered with nothing, and
     * statuses ignored (not parsable, too long, no phase, or not on a device's status topic).
     */
    public record Counters(long chunks, long bytes, long refusedRequests, long ignoredStatuses) {}

    /**
     * A device's last status as received, not checked (devices do not sign it). {@code retained}:
     * the broker delivered it from its store when the server subscribed (MQTT 5 §3.3.1.3: the
     * RETAIN flag is set only on messages sent because of a new subscription), so it was written
     * before this server started; otherwise it arrived live, at {@code receivedAt} by the server's clock.
     */
    public record DeviceStatus(String deviceId, UpdateStatus status, boolean retained, Instant receivedAt) {}

    private interface ImageSource extends AutoCloseable {
        long length();

        /** Fills {@code into} from {@code offset}; false if the source ends first. */
        boolean read(long offset, ByteBuffer into) throws IOException;

        @Override
        void close();
    }

    private record ImageKey(String name, long version) {}

    private final Settings settings;
    private final Clock clock;
    private final PahoSession session;
    private final Map<ImageKey, ImageSource> images = new ConcurrentHashMap<>();
    private final Map<String, DeviceStatus> statuses = new ConcurrentHashMap<>();
    private final List<Consumer<DeviceStatus>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong ignoredStatuses = new AtomicLong();
    private final Map<RequestRefusal, AtomicLong> refusals = new EnumMap<>(RequestRefusal.class);

    /** Connects and subscribes to every device's status; the retained statuses arrive right after. */
    public UpdateServer(Settings settings, Clock clock) throws ConnectionException {
        this.settings = settings;
        this.clock = clock;
        for (RequestRefusal r : RequestRefusal.values()) {
            refusals.put(r, new AtomicLong());
        }
        String requests = OtaTopics.requestFilter(settings.prefix());
        String status = OtaTopics.statusFilter(settings.prefix());
        try {
            this.session = PahoSession.connect(settings.brokerUri(), settings.clientId(), settings.connectTimeout(), settings.tls(), "ota server",
                    this::onMessage);
        } catch (PahoSession.Failure e) {
            throw new ConnectionException(e.getMessage(), e.getCause());
        }
        try {
            // QoS 1: a device's status is retained and published at QoS 1, and losing a final one would leave a rollout pending.
            subscribe(status, 1);
        } catch (ConnectionException e) {
            session.close();
            throw e;
        }
        log.info("ota server connected server={} prefix={} requests={}", settings.brokerUri(), settings.prefix(), requests);
    }

    private void onMessage(String topic, MqttMessage message) {
        if (topic.endsWith("/ota/request")) {
            onRequest(topic, message.getPayload());
        } else if (topic.endsWith("/ota/status")) {
            onStatus(topic, message.getPayload(), message.isRetained());
        }
    }

    /**
     * Serves the file as image {@code name} version {@code version}, replacing one served under
     * that name and version. Its length is taken now; the file must not change while served (the
     * device checks every byte against the signed SHA-256 anyway).
     */
    public void serve(String name, long version, Path file) throws IOException, ConnectionException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        long length = channel.size();
        put(name, version, new ImageSource() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public boolean read(long offset, ByteBuffer into) throws IOException {
                long at = offset;
                while (into.hasRemaining()) {
                    int n = channel.read(into, at);
                    if (n < 0) {
                        return false;
                    }
                    at += n;
                }
                return true;
            }

            @Override
            public void close() {
                try {
                    channel.close();
                } catch (IOException e) {
                    log.debug("ota server image close failed file={} error={}", file, e.toString());
                }
            }
        });
        log.info("ota server serving image={} version={} length={} file={}", name, version, length, file);
    }

    /** Serves the bytes (copied) as image {@code name} version {@code version}. */
    public void serve(String name, long version, byte[] image) throws ConnectionException {
        byte[] copy = image.clone();
        put(name, version, new ImageSource() {
            @Override
            public long length() {
                return copy.length;
            }

            @Override
            public boolean read(long offset, ByteBuffer into) {
                into.put(copy, (int) offset, into.remaining());
                return true;
            }

            @Override
            public void close() {}
        });
        log.info("ota server serving image={} version={} length={} (in memory)", name, version, copy.length);
    }

    private void put(String name, long version, ImageSource source) throws ConnectionException {
        Objects.requireNonNull(name, "name");
        ImageSource old = images.put(new ImageKey(name, version), source);
        if (old != null) {
            old.close();
        }
        String filter = OtaTopics.requestFilter(settings.prefix());
        if (!session.isSubscribed(filter)) {
            // QoS 0, like the chunks: a lost request is retried by the device.
            subscribe(filter, 0);
        }
    }

    /** Stops answering requests for that image; true if it was served. */
    public boolean stopServing(String name, long version) {
        ImageSource old = images.remove(new ImageKey(name, version));
        if (old != null) {
            old.close();
        }
        return old != null;
    }

    /** Publishes the announcement retained on {@code <prefix>/ota/announce}, which every device reads. */
    public void announceToFleet(Announcement announcement) throws ConnectionException {
        publishRetained(OtaTopics.fleetAnnouncement(settings.prefix()), announcementBytes(announcement));
    }

    /**
     * Publishes the announcement retained on each device's own announcement topic (a subset of the
     * fleet). A device id that is not one topic level without wildcards is an
     * {@link IllegalArgumentException}, raised before anything is published.
     */
    public void announceToDevices(Collection<String> deviceIds, Announcement announcement) throws ConnectionException {
        byte[] payload = announcementBytes(announcement);
        List<String> topics = deviceIds.stream().map(id -> OtaTopics.announcement(settings.prefix(), id)).toList();
        for (String topic : topics) {
            publishRetained(topic, payload);
        }
    }

    /** Clears the fleet's retained announcement: an empty retained message removes it (MQTT 5 §3.3.1.3). */
    public void withdrawFromFleet() throws ConnectionException {
        publishRetained(OtaTopics.fleetAnnouncement(settings.prefix()), new byte[0]);
    }

    /** Clears each device's retained announcement. */
    public void withdrawFromDevices(Collection<String> deviceIds) throws ConnectionException {
        List<String> topics = deviceIds.stream().map(id -> OtaTopics.announcement(settings.prefix(), id)).toList();
        for (String topic : topics) {
            publishRetained(topic, new byte[0]);
        }
    }

    /** Every device's last status, by device id. */
    public Map<String, DeviceStatus> statuses() {
        return new TreeMap<>(statuses);
    }

    public Optional<DeviceStatus> status(String deviceId) {
        return Optional.ofNullable(statuses.get(deviceId));
    }

    /**
     * Calls {@code listener} with every status kept from now on, on Paho's callback thread: it must
     * return quickly and not call back into the broker. A listener's exception is logged.
     */
    public void onStatus(Consumer<DeviceStatus> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public Counters counters() {
        long refused = refusals.values().stream().mapToLong(AtomicLong::get).sum();
        return new Counters(chunks.get(), bytes.get(), refused, ignoredStatuses.get());
    }

    /** Requests answered with nothing, by reason. */
    public Map<RequestRefusal, Long> refusals() {
        Map<RequestRefusal, Long> m = new EnumMap<>(RequestRefusal.class);
        refusals.forEach((r, n) -> m.put(r, n.get()));
        return m;
    }

    private void onRequest(String topic, byte[] payload) {
        Optional<String> device = OtaTopics.deviceOf(settings.prefix(), topic, "request");
        if (device.isEmpty()) {
            refuse(RequestRefusal.NOT_A_DEVICE_TOPIC, topic, "topic " + topic);
            return;
        }
        String id = device.get();
        if (payload.length > MAX_REQUEST_BYTES) {
            refuse(RequestRefusal.TOO_LONG, id, "request: expected at most " + MAX_REQUEST_BYTES + " bytes, got " + payload.length);
            return;
        }
        ChunkRequest request;
        try {
            request = ChunkRequest.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            refuse(RequestRefusal.MALFORMED, id, "request: " + e.getMessage());
            return;
        }
        ImageSource image = images.get(new ImageKey(request.getImageName(), request.getImageVersion()));
        if (image == null) {
            refuse(RequestRefusal.UNKNOWN_IMAGE, id, "request.image: expected a served image, got '" + request.getImageName() + "' version "
                    + Long.toUnsignedString(request.getImageVersion()));
            return;
        }
        int max = request.getMaxLength();
        // uint32 arrives as a Java int: one above 2^31 - 1 is negative, and out of range too.
        if (max <= 0 || max > OtaTopics.MAX_CHUNK_DATA_BYTES) {
            refuse(RequestRefusal.MAX_LENGTH_OUT_OF_RANGE, id, "request.max_length: expected 1.." + OtaTopics.MAX_CHUNK_DATA_BYTES + ", got "
                    + Integer.toUnsignedString(max));
            return;
        }
        long offset = request.getOffset();
        long length = image.length();
        // uint64: compared unsigned, so an offset of 2^63 or more is past the end, not negative.
        if (Long.compareUnsigned(offset, length) >= 0) {
            refuse(RequestRefusal.OFFSET_BEYOND_END, id, "request.offset: expected below " + length + ", got " + Long.toUnsignedString(offset));
            return;
        }
        int n = (int) Math.min(max, length - offset);
        ByteBuffer data = ByteBuffer.allocate(n);
        try {
            if (!image.read(offset, data)) {
                refuse(RequestRefusal.SEND_FAILED, id, "image " + request.getImageName() + ": ended before " + length + " bytes");
                return;
            }
        } catch (IOException e) {
            refuse(RequestRefusal.SEND_FAILED, id, "image " + request.getImageName() + ": " + e);
            return;
        }
        data.flip();
        Chunk chunk = Chunk.newBuilder().setImageName(request.getImageName()).setImageVersion(request.getImageVersion()).setOffset(offset)
                .setData(ByteString.copyFrom(data)).setLast(offset + n == length).build();
        MqttMessage m = new MqttMessage(chunk.toByteArray());
        m.setQos(0);
        try {
            // Not waited for: this runs on Paho's callback thread, and QoS 0 has no acknowledgement.
            session.send(OtaTopics.chunk(settings.prefix(), id), m);
        } catch (PahoSession.Failure e) {
            refuse(RequestRefusal.SEND_FAILED, id, "chunk: " + e.getMessage());
            return;
        }
        chunks.incrementAndGet();
        bytes.addAndGet(n);
        log.debug("ota server chunk device={} image={} version={} offset={} length={} last={}", id, request.getImageName(),
                request.getImageVersion(), offset, n, chunk.getLast());
    }

    private void refuse(RequestRefusal reason, String device, String detail) {
        refusals.get(reason).incrementAndGet();
        log.info("ota server request unanswered device={} reason={} detail={}", device, reason, detail);
    }

    private void onStatus(String topic, byte[] payload, boolean retained) {
        Optional<String> device = OtaTopics.deviceOf(settings.prefix(), topic, "status");
        if (device.isEmpty()) {
            ignoreStatus(topic, "not a device's status topic");
            return;
        }
        String id = device.get();
        if (payload.length == 0) {
            // An empty retained message clears the device's status (MQTT 5 §3.3.1.3): forget it too.
            statuses.remove(id);
            return;
        }
        if (payload.length > MAX_STATUS_BYTES) {
            ignoreStatus(id, "status: expected at most " + MAX_STATUS_BYTES + " bytes, got " + payload.length);
            return;
        }
        UpdateStatus status;
        try {
            status = UpdateStatus.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            ignoreStatus(id, "status: " + e.getMessage());
            return;
        }
        if (status.getPhase() == UpdatePhase.UPDATE_PHASE_UNSPECIFIED || status.getPhase() == UpdatePhase.UNRECOGNIZED) {
            ignoreStatus(id, "status.phase: expected one of IDLE..REFUSED, got " + status.getPhaseValue());
            return;
        }
        DeviceStatus s = new DeviceStatus(id, status, retained, clock.instant());
        statuses.put(id, s);
        log.debug("ota server status device={} phase={} target={} received={}/{}", id, status.getPhase(), status.getTargetVersion(),
                status.getReceived(), status.getLength());
        for (Consumer<DeviceStatus> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                log.warn("ota server status listener failed device={} error={}", id, e.toString());
            }
        }
    }

    private void ignoreStatus(String device, String detail) {
        ignoredStatuses.incrementAndGet();
        log.info("ota server status ignored device={} detail={}", device, detail);
    }

    private static byte[] announcementBytes(Announcement announcement) {
        byte[] payload = announcement.toByteArray();
        if (payload.length > OtaTopics.MAX_ANNOUNCEMENT_BYTES) {
            throw new IllegalArgumentException("announcement: expected at most " + OtaTopics.MAX_ANNOUNCEMENT_BYTES
                    + " bytes (devices drop longer ones unread), got " + payload.length);
        }
        if (announcement.getSignedTargets().isEmpty()) {
            throw new IllegalArgumentException("announcement.signed_targets: expected a signed targets, got none");
        }
        return payload;
    }

    private void publishRetained(String topic, byte[] payload) throws ConnectionException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(true);
        try {
            session.publish(topic, m);
        } catch (PahoSession.Failure e) {
            throw new ConnectionException(e.getMessage(), e.getCause());
        }
        log.info("ota server {} topic={} bytes={}", payload.length == 0 ? "withdrew" : "announced", topic, payload.length);
    }

    /** Subscribes and waits for the SUBACK (MQTT 5 §3.9); a reason code ≥ 0x80 is a refusal, e.g. by the ACL. */
    private void subscribe(String filter, int qos) throws ConnectionException {
        try {
            session.subscribe(filter, qos, "does the broker's ACL give the operator this filter?");
        } catch (PahoSession.Failure e) {
            throw new ConnectionException(e.getMessage(), e.getCause());
        }
    }

    /** Disconnects and closes the served files; retained announcements stay on the broker. */
    @Override
    public void close() {
        session.close();
        images.values().forEach(ImageSource::close);
        images.clear();
    }
}
