package io.wattproof.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveChannelFanOutTest {
    /** Test double of the uplink's live channel: one subscriber slot, as MqttUplink has, and a log of publishes. */
    static final class OneSlotChannel implements LiveChannel {
        Subscriber subscriber;
        final List<String> published = new ArrayList<>();

        @Override
        public void live(Subscriber s) {
            subscriber = s;
        }

        @Override
        public boolean publishLive(String topic, byte[] payload, boolean retained) {
            published.add(topic + (retained ? " retained" : ""));
            return true;
        }
    }

    static final class Owner implements LiveChannel.Subscriber {
        final List<String> filters;
        final List<String> arrived = new ArrayList<>();
        int connections;

        Owner(String... filters) {
            this.filters = List.of(filters);
        }

        @Override
        public List<String> subscriptions() {
            return filters;
        }

        @Override
        public void connected() {
            connections++;
        }

        @Override
        public void disconnected() {}

        @Override
        public void arrived(String topic, byte[] payload, boolean retained) {
            arrived.add(topic);
        }
    }

    @Test
    void twoOwnersShareTheOneSlotAndEachHearsOnlyItsOwnTopics() {
        OneSlotChannel channel = new OneSlotChannel();
        LiveChannelFanOut fanOut = new LiveChannelFanOut(channel);
        LiveChannel telemetry = fanOut.attach();
        LiveChannel pile = fanOut.attach();
        Owner t = new Owner("homeassistant/status");
        Owner p = new Owner("wattproof/v1/devices/ab/charge/requests");
        telemetry.live(t);
        pile.live(p);
        assertEquals(List.of("homeassistant/status", "wattproof/v1/devices/ab/charge/requests"), channel.subscriber.subscriptions());
        channel.subscriber.connected();
        assertEquals(1, t.connections);
        assertEquals(1, p.connections);
        channel.subscriber.arrived("wattproof/v1/devices/ab/charge/requests", new byte[] {1}, false);
        channel.subscriber.arrived("homeassistant/status", new byte[] {2}, false);
        assertEquals(List.of("wattproof/v1/devices/ab/charge/requests"), p.arrived);
        assertEquals(List.of("homeassistant/status"), t.arrived);
        assertTrue(pile.publishLive("x/y", new byte[0], true));
        assertEquals(List.of("x/y retained"), channel.published);
        telemetry.live(null);
        assertEquals(List.of("wattproof/v1/devices/ab/charge/requests"), channel.subscriber.subscriptions());
        pile.live(null);
        assertNull(channel.subscriber, "no owner left: the slot is cleared");
    }

    @Test
    void topicFiltersMatchAsMqtt5Section47Says() {
        assertTrue(LiveChannelFanOut.matches("a/b/c", "a/b/c"));
        assertFalse(LiveChannelFanOut.matches("a/b/c", "a/b"));
        assertFalse(LiveChannelFanOut.matches("a/b", "a/b/c"));
        assertTrue(LiveChannelFanOut.matches("a/+/c", "a/x/c"));
        assertFalse(LiveChannelFanOut.matches("a/+/c", "a/x/y/c"));
        assertTrue(LiveChannelFanOut.matches("a/#", "a"), "# matches the parent level too");
        assertTrue(LiveChannelFanOut.matches("a/#", "a/b/c"));
        assertTrue(LiveChannelFanOut.matches("#", "a/b"));
        assertFalse(LiveChannelFanOut.matches("#", "$SYS/x"), "section 4.7.2");
        assertFalse(LiveChannelFanOut.matches("+/x", "$SYS/x"));
        assertTrue(LiveChannelFanOut.matches("+/+", "/x"), "an empty level is a level");
        assertFalse(LiveChannelFanOut.matches("a/#/c", "a/b/c"), "# only as the last level");
    }
}
