package io.wattproof.agent.uplink;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Shares one {@link LiveChannel} among several owners (telemetry, a charging pile): the uplink
 * holds one subscriber, so each owner gets a view of its own from {@link #attach()}. Publishes go
 * straight through; the underlying subscriber subscribes to the union of the views' filters, and a
 * message goes to each view one of whose filters matches its topic (MQTT 5 section 4.7).
 */
public final class LiveChannelFanOut {
    private final LiveChannel channel;
    private final List<View> views = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    public LiveChannelFanOut(LiveChannel channel) {
        this.channel = channel;
    }

    /** A channel for one owner; its {@link LiveChannel#live} replaces only that owner's subscriber. */
    public LiveChannel attach() {
        View v = new View();
        views.add(v);
        return v;
    }

    /**
     * Whether {@code topic} matches {@code filter} (MQTT 5 section 4.7: {@code +} one level,
     * {@code #} this level and all below, as the last level only; a topic starting with {@code $}
     * is not matched by a filter starting with a wildcard, section 4.7.2).
     */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return i == f.length - 1;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    private void resubscribe() {
        synchronized (lock) {
            boolean any = views.stream().anyMatch(v -> v.subscriber != null);
            // The uplink subscribes to every filter again and says connected() to everyone: a
            // subscription made while connected must reach the broker now, not at the next connection.
            channel.live(any ? new Combined() : null);
        }
    }

    private final class View implements LiveChannel {
        private volatile Subscriber subscriber;

        @Override
        public void live(Subscriber s) {
            subscriber = s;
            resubscribe();
        }

        @Override
        public boolean publishLive(String topic, byte[] payload, boolean retained) {
            return channel.publishLive(topic, payload, retained);
        }
    }

    private final class Combined implements LiveChannel.Subscriber {
        @Override
        public List<String> subscriptions() {
            Set<String> all = new LinkedHashSet<>();
            for (View v : views) {
                LiveChannel.Subscriber s = v.subscriber;
                if (s != null) {
                    all.addAll(s.subscriptions());
                }
            }
            return new ArrayList<>(all);
        }

        @Override
        public void connected() {
            for (View v : views) {
                LiveChannel.Subscriber s = v.subscriber;
                if (s != null) {
                    s.connected();
                }
            }
        }

        @Override
        public void disconnected() {
            for (View v : views) {
                LiveChannel.Subscriber s = v.subscriber;
                if (s != null) {
                    s.disconnected();
                }
            }
        }

        @Override
        public void arrived(String topic, byte[] payload, boolean retained) {
            for (View v : views) {
                LiveChannel.Subscriber s = v.subscriber;
                if (s != null && s.subscriptions().stream().anyMatch(filter -> matches(filter, topic))) {
                    s.arrived(topic, payload.clone(), retained);
                }
            }
        }
    }
}
