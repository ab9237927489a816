package io.wattproof.agent.telemetry;

import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.meter.MeterSample;
import io.wattproof.agent.uplink.LiveChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry shell: every {@link TelemetrySettings#period()} it looks at the agent's newest
 * meter reading and status, moves the start of "today" on (keeping it in {@link DayStartFile}), and,
 * while connected, publishes {@link LiveValues} on {@code <prefix>/devices/<id>/telemetry}.
 *
 * <p>It runs on its own thread and only reads what the agent exposes; the agent's worker never
 * waits for it, and its publishes are QoS 0 and never wait either ({@link LiveChannel}), so a slow
 * or absent broker cannot hold up reading, signing or storing a record.
 *
 * <p>Telemetry is published not retained (MQTT 5 section 3.3.1.3): a value is true when it is
 * sent, and a stored one would be shown as current to a subscriber arriving later, after a power
 * cut of the board, say. A Message Expiry Interval (section 3.3.2.3.3) would bound that, but the
 * broker would still keep rewriting a retained message every period (a disk write with
 * {@code persistence true}), and the next value arrives within one period anyway. Discovery configs
 * are retained, as Home Assistant expects, so a Home Assistant that starts later finds them.
 */
public final class TelemetryPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelemetryPublisher.class);

    private final String deviceId;
    private final Supplier<Optional<MeterSample>> samples;
    private final Supplier<AgentStatus> status;
    private final LiveChannel channel;
    private final TelemetrySettings settings;
    private final Clock clock;
    private final String telemetryTopic;
    private final Optional<HomeAssistantDiscovery> discovery;
    private final ScheduledExecutorService thread;

    // Telemetry-thread state.
    private Optional<DayStart> day = Optional.empty();
    private Optional<MeterSample> previous = Optional.empty();
    private boolean connected;

    private TelemetryPublisher(String deviceId, Supplier<Optional<MeterSample>> samples, Supplier<AgentStatus> status,
            LiveChannel channel, TelemetrySettings settings, Clock clock) {
        this.deviceId = Objects.requireNonNull(deviceId, "device id");
        this.samples = samples;
        this.status = status;
        this.channel = channel;
        this.settings = settings;
        this.clock = clock;
        String device = settings.topicPrefix() + "/devices/" + deviceId;
        this.telemetryTopic = device + "/telemetry";
        this.discovery = settings.homeAssistant()
                ? Optional.of(new HomeAssistantDiscovery(settings.discoveryPrefix(), deviceId, telemetryTopic, device + "/status",
                        settings.model(), settings.swVersion(), settings.location()))
                : Optional.empty();
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("telemetry-" + deviceId.substring(0, Math.min(8, deviceId.length()))).daemon().factory());
    }

    /** Starts publishing for a running agent over its uplink's connection. */
    public static TelemetryPublisher start(MeterAgent agent, LiveChannel channel, TelemetrySettings settings, Clock clock) {
        return start(agent.deviceId(), agent::latestSample, agent::status, channel, settings, clock);
    }

    /** As {@link #start(MeterAgent, LiveChannel, TelemetrySettings, Clock)}, from any source of readings and status. */
    public static TelemetryPublisher start(String deviceId, Supplier<Optional<MeterSample>> samples, Supplier<AgentStatus> status,
            LiveChannel channel, TelemetrySettings settings, Clock clock) {
        TelemetryPublisher p = new TelemetryPublisher(deviceId, samples, status, channel, settings, clock);
        p.thread.execute(p::loadDay);
        long periodMs = settings.period().toMillis();
        p.thread.scheduleAtFixedRate(p::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
        channel.live(p.new Events());
        log.info("telemetry started device={} topic={} period={}s home_assistant={} zone={}", deviceId, p.telemetryTopic,
                settings.period().toSeconds(), settings.homeAssistant(), settings.zone());
        return p;
    }

    public String telemetryTopic() {
        return telemetryTopic;
    }

    private void loadDay() {
        switch (DayStartFile.read(settings.dataDir(), settings.zone())) {
            case DayStartFile.Found f -> {
                day = Optional.of(f.start());
                log.info("telemetry day start loaded device={} day={} start_wh={} partial={}", deviceId, f.start().day(),
                        f.start().startWh(), f.start().partial());
            }
            case DayStartFile.Absent a -> {}
            case DayStartFile.Unusable u ->
                // Not fatal and not deleted: "today" starts at the next reading (flagged partial),
                // and the file is replaced when that day start is written.
                log.warn("telemetry day start ignored device={} problem={}", deviceId, u.problem());
        }
    }

    private void tick() {
        try {
            Optional<MeterSample> latest = samples.get();
            if (latest.isEmpty()) {
                return; // the meter has not been read yet: nothing to say, and certainly not 0 kWh
            }
            MeterSample sample = latest.get();
            if (previous.isEmpty() || sample.readAt().isAfter(previous.get().readAt())) {
                DayStart next = EnergyDay.at(day, previous, sample, settings.zone(), settings.maxGap());
                if (day.isEmpty() || !day.get().equals(next)) {
                    day = Optional.of(next);
                    persist(next);
                }
                previous = latest;
            }
            if (!connected) {
                return;
            }
            LiveValues values = LiveValues.of(sample, day.get(), status.get(), settings.location(), clock.instant(),
                    settings.freshFor());
            if (!channel.publishLive(telemetryTopic, TelemetryJson.encode(values), false)) {
                log.debug("telemetry not sent device={}: not connected or earlier messages still unsent", deviceId);
            }
        } catch (RuntimeException e) {
            // A failed tick must not end the schedule (ScheduledExecutorService stops on a throw).
            log.warn("telemetry tick failed device={} error={}", deviceId, e.toString());
        }
    }

    private void persist(DayStart start) {
        log.info("telemetry day starts device={} day={} start_wh={} since={} partial={}", deviceId, start.day(), start.startWh(),
                start.since(), start.partial());
        try {
            DayStartFile.write(settings.dataDir(), start, settings.zone());
        } catch (IOException e) {
            log.warn("telemetry day start not saved device={} file={} error={}; a restart today starts the day again",
                    deviceId, settings.dataDir().resolve(DayStartFile.FILE_NAME), e.getMessage());
        }
    }

    private void publishDiscovery() {
        if (!connected || discovery.isEmpty()) {
            return;
        }
        int sent = 0;
        List<HomeAssistantDiscovery.Config> configs = discovery.get().configs();
        for (HomeAssistantDiscovery.Config c : configs) {
            if (channel.publishLive(c.topic(), c.bytes(), true)) {
                sent++;
            }
        }
        log.info("home assistant discovery published device={} configs={}/{}", deviceId, sent, configs.size());
    }

    private final class Events implements LiveChannel.Subscriber {
        @Override
        public List<String> subscriptions() {
            return discovery.isPresent() ? List.of(HomeAssistantDiscovery.BIRTH_TOPIC) : List.of();
        }

        @Override
        public void connected() {
            submit(() -> {
                connected = true;
                publishDiscovery();
                tick();
            });
        }

        @Override
        public void disconnected() {
            submit(() -> connected = false);
        }

        @Override
        public void arrived(String topic, byte[] payload, boolean retained) {
            // Home Assistant's birth message after it (re)started: it may have lost what it knew,
            // so announce again (home-assistant.io/integrations/mqtt, "Discovery messages"). A
            // retained copy only repeats the birth that the connect just answered.
            if (HomeAssistantDiscovery.BIRTH_TOPIC.equals(topic) && !retained
                    && HomeAssistantDiscovery.BIRTH_ONLINE.equals(new String(payload, StandardCharsets.UTF_8))) {
                submit(TelemetryPublisher.this::publishDiscovery);
            }
        }
    }

    private void submit(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // Closed.
        }
    }

    @Override
    public void close() {
        channel.live(null);
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
