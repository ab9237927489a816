package io.wattproof.agent.gpio;

import io.wattproof.agent.uplink.LiveChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The immediate event of a tamper input change: a retained message on {@code
 * wattproof/v1/devices/<id>/tamper} saying whether the input is active, since when, on which
 * pin. Retained, so an operator who subscribes later still sees the state, and the last change
 * replaces any earlier one. It goes over the live channel (QoS 0, never waiting): while the
 * broker is unreachable the newest state is retried every few seconds until it is out. The
 * evidence is not this message but the TAMPER flag of the next signed record (docs/gpio.md).
 */
public final class TamperEventPublisher implements TamperListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TamperEventPublisher.class);
    static final Duration RETRY = Duration.ofSeconds(5);

    private final String topic;
    private final LiveChannel channel;
    private final ScheduledExecutorService executor;
    private TamperEvent pending;
    private ScheduledFuture<?> retry;

    public TamperEventPublisher(String deviceId, LiveChannel channel) {
        this.topic = topic(deviceId);
        this.channel = channel;
        this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tamper-event").daemon().factory());
    }

    public static String topic(String deviceId) {
        return "wattproof/v1/devices/" + deviceId + "/tamper";
    }

    /** {@code {"active":true,"at":"2026-11-27T10:00:00.123Z","pin":5}} */
    static String json(TamperEvent e) {
        return "{\"active\":" + e.active() + ",\"at\":\"" + e.at() + "\",\"pin\":" + e.pin() + "}";
    }

    @Override
    public void tamperChanged(TamperEvent event) {
        // Called on a GPIO thread: hand over and return.
        executor.execute(() -> {
            pending = event;
            publish();
        });
    }

    private void publish() {
        if (pending == null) {
            return;
        }
        if (channel.publishLive(topic, json(pending).getBytes(StandardCharsets.US_ASCII), true)) {
            log.info("tamper event sent active={} pin={} at={}", pending.active(), pending.pin(), pending.at());
            pending = null;
            if (retry != null) {
                retry.cancel(false);
                retry = null;
            }
        } else if (retry == null) {
            retry = executor.scheduleWithFixedDelay(this::publish, RETRY.toMillis(), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
