package io.wattproof.agent.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.uplink.LiveChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TamperEventPublisherTest {
    /** A live channel that refuses the first {@code refusals} publishes, as one that is not connected does. */
    private static final class RecordingChannel implements LiveChannel {
        final List<String> sent = new ArrayList<>();
        final AtomicInteger refusals;

        RecordingChannel(int refusals) {
            this.refusals = new AtomicInteger(refusals);
        }

        @Override
        public void live(Subscriber subscriber) {}

        @Override
        public synchronized boolean publishLive(String topic, byte[] payload, boolean retained) {
            if (refusals.getAndDecrement() > 0) {
                return false;
            }
            sent.add(topic + " " + retained + " " + new String(payload, StandardCharsets.US_ASCII));
            return true;
        }

        synchronized List<String> sent() {
            return List.copyOf(sent);
        }
    }

    private static final Instant AT = Instant.parse("2026-11-27T10:00:00.125Z");

    @Test
    void aChangeIsPublishedRetainedAtOnce() throws Exception {
        RecordingChannel channel = new RecordingChannel(0);
        try (TamperEventPublisher p = new TamperEventPublisher("ab".repeat(20), channel)) {
            p.tamperChanged(new TamperEvent(AT, true, 5));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (channel.sent().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertEquals(List.of("wattproof/v1/devices/" + "ab".repeat(20) + "/tamper true {\"active\":true,\"at\":\"2026-11-27T10:00:00.125Z\",\"pin\":5}"),
                channel.sent());
    }

    @Test
    void offlineTheNewestStateIsRetriedUntilItIsOut() throws Exception {
        RecordingChannel channel = new RecordingChannel(2);
        try (TamperEventPublisher p = new TamperEventPublisher("cd".repeat(20), channel)) {
            p.tamperChanged(new TamperEvent(AT, true, 5));
            p.tamperChanged(new TamperEvent(AT.plusSeconds(1), false, 5));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (channel.sent().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200);
        }
        List<String> sent = channel.sent();
        // Both refusals used up on the way; only the newest state goes out, once.
        assertEquals(1, sent.size(), sent.toString());
        assertTrue(sent.get(0).endsWith("{\"active\":false,\"at\":\"2026-11-27T10:00:01.125Z\",\"pin\":5}"), sent.toString());
    }
}
