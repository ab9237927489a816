package io.wattproof.agent.ota;

import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.uplink.LiveChannel;
import io.wattproof.ota.client.UpdateClient;
import io.wattproof.ota.install.HealthCheck;
import io.wattproof.ota.install.Installer;
import io.wattproof.ota.install.Running;
import io.wattproof.ota.metadata.TrustStore;
import io.wattproof.ota.transport.OtaTopics;
import io.wattproof.ota.v1.ChunkRequest;
import io.wattproof.ota.v1.UpdateStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meter agent's shell around {@link UpdateClient} (docs/ota.md, "The device's update shell"):
 * it subscribes to the fleet's and the device's announcements and to the device's chunks on the
 * live channel, sends chunk requests and the retained status there, and gathers the health probes
 * from the running {@link MeterAgent}: the agent is up when its metering loop has run since the
 * boot, the broker is reachable when the uplink is connected, and a reading was signed when the
 * agent's last sequence has moved past the one it started with.
 *
 * <p>Every call into the client happens on one thread of this service, so MQTT callbacks return at
 * once. The restart the client asks for is handed to the caller's {@link UpdateClient.Restart} on
 * that thread; it must not wait for this service to close (it is this service's thread), so a
 * restart that stops the agent does so on a thread of its own.
 */
public final class UpdateService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpdateService.class);
    /** How often the health probes are looked at and unanswered requests are counted. */
    public static final Duration TICK = Duration.ofSeconds(1);

    private final UpdateClient client;
    private final LiveChannel live;
    private final String prefix;
    private final String deviceId;
    private final Clock clock;
    private final Supplier<AgentStatus> agentStatus;
    private final ScheduledExecutorService worker;
    private final long sequenceAtBoot;
    /** When the sequence was first seen past the boot's; the probe's "a reading was signed". */
    private Instant firstSignedAt;

    private UpdateService(UpdateClient.Settings settings, TrustStore trust, Installer installer, Running running, Instant bootedAt,
            LiveChannel live, String prefix, Supplier<AgentStatus> agentStatus, UpdateClient.Restart restart, Clock clock) {
        this.live = live;
        this.prefix = prefix;
        this.clock = clock;
        this.agentStatus = agentStatus;
        AgentStatus first = agentStatus.get();
        this.deviceId = first.deviceId();
        this.sequenceAtBoot = first.lastSequence();
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ota-" + deviceId.substring(0, Math.min(8, deviceId.length())));
            t.setDaemon(true);
            return t;
        });
        UpdateClient.Channel channel = new UpdateClient.Channel() {
            @Override
            public boolean request(ChunkRequest request) {
                return live.publishLive(OtaTopics.request(prefix, deviceId), request.toByteArray(), false);
            }

            @Override
            public boolean status(UpdateStatus status) {
                return live.publishLive(OtaTopics.status(prefix, deviceId), status.toByteArray(), true);
            }
        };
        this.client = new UpdateClient(settings, trust, installer, running, bootedAt, channel, restart);
    }

    /**
     * Starts the update shell beside a running agent.
     *
     * @param running what booted at this start ({@link Installer#bootSlot}, then {@link Installer#running})
     * @param bootedAt when it booted: a trial's health window starts here
     * @param live the agent's live channel (a view of a {@link io.wattproof.agent.uplink.LiveChannelFanOut})
     * @param restart what the device does to boot the slot the installer chose
     */
    public static UpdateService start(MeterAgent agent, LiveChannel live, String prefix, UpdateClient.Settings settings, TrustStore trust,
            Installer installer, Running running, Instant bootedAt, UpdateClient.Restart restart, Clock clock) {
        return start(agent::status, live, prefix, settings, trust, installer, running, bootedAt, restart, clock);
    }

    /** As above, with the probes read from {@code agentStatus} (tests give a status of their own). */
    static UpdateService start(Supplier<AgentStatus> agentStatus, LiveChannel live, String prefix, UpdateClient.Settings settings,
            TrustStore trust, Installer installer, Running running, Instant bootedAt, UpdateClient.Restart restart, Clock clock) {
        UpdateService service = new UpdateService(settings, trust, installer, running, bootedAt, live, prefix, agentStatus, restart, clock);
        service.begin();
        return service;
    }

    private void begin() {
        live.live(new LiveChannel.Subscriber() {
            @Override
            public List<String> subscriptions() {
                return List.of(OtaTopics.fleetAnnouncement(prefix), OtaTopics.announcement(prefix, deviceId), OtaTopics.chunk(prefix, deviceId));
            }

            @Override
            public void connected() {
                run(() -> client.connected(clock.instant()));
            }

            @Override
            public void disconnected() {}

            @Override
            public void arrived(String topic, byte[] payload, boolean retained) {
                if (topic.equals(OtaTopics.chunk(prefix, deviceId))) {
                    run(() -> client.chunk(payload, clock.instant()));
                } else {
                    run(() -> client.announcement(payload, clock.instant()));
                }
            }
        });
        long tick = TICK.toMillis();
        worker.scheduleWithFixedDelay(() -> client.tick(probes(), clock.instant()), tick, tick, TimeUnit.MILLISECONDS);
    }

    private void run(Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // The client refuses bad input without throwing; this is a defect, and the agent must keep metering.
                    log.error("update shell failed device={}", deviceId, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed: a message that arrives during shutdown is dropped; the retained ones come again.
        }
    }

    /** The probes of {@link HealthCheck}, from the agent's status. */
    private HealthCheck.Probes probes() {
        AgentStatus s = agentStatus.get();
        if (firstSignedAt == null && s.lastSequence() > sequenceAtBoot) {
            firstSignedAt = clock.instant();
        }
        return new HealthCheck.Probes(s.lastTickAt().isPresent(), s.connected(), Optional.ofNullable(firstSignedAt));
    }

    /** The status the device last reported. */
    public UpdateStatus status() {
        return client.status();
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
