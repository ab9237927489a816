package io.wattproof.agent.cli;

import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.agent.ota.RejectionRecordingInstaller;
import io.wattproof.agent.ota.UpdateService;
import io.wattproof.agent.uplink.LiveChannel;
import io.wattproof.crypto.MonotonicCounter;
import io.wattproof.ota.client.UpdateClient;
import io.wattproof.ota.install.HealthCheck;
import io.wattproof.ota.install.Installer;
import io.wattproof.ota.install.Outcome;
import io.wattproof.ota.install.RaucInstaller;
import io.wattproof.ota.install.Running;
import io.wattproof.ota.install.Slot;
import io.wattproof.ota.metadata.TrustStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The update shell of {@code run --config} (docs/daemon.md, "Updates"; docs/ota.md, "In the
 * daemon"). In two steps, because what booted must be known before the agent starts and the shell
 * needs the running agent: {@link #boot} asks RAUC which slot booted and what runs there, then
 * {@link #start} runs {@link UpdateService} on a view of the agent's live channel. Whatever keeps
 * the shell from starting — no trust file, a damaged one, a rauc that fails, a health window the
 * first record cannot arrive in — is a standing alarm, and the agent meters on: an update problem
 * never stops metering.
 */
final class DaemonUpdates {
    private static final Logger log = LoggerFactory.getLogger(DaemonUpdates.class);
    /** Beyond two intervals, by default: a reconnect after the boot and a slow first meter read. */
    static final Duration DEFAULT_WINDOW_MARGIN = Duration.ofMinutes(5);
    /** How long the reboot command may take to hand the reboot to the system before it counts as failed. */
    static final Duration REBOOT_TIMEOUT = Duration.ofMinutes(1);

    private DaemonUpdates() {}

    /**
     * What booted, found before the agent starts.
     *
     * @param board the name matched against the images' compatible boards
     * @param window the trial's health window
     * @param bootedAt when this start began: a trial's window opens here
     */
    record Boot(String board, Path stateDir, Duration window, TrustStore trust, Installer installer, Running running,
            Instant bootedAt, List<String> rebootCommand) {
        Boot {
            Objects.requireNonNull(board, "board");
            Objects.requireNonNull(running, "running");
            rebootCommand = List.copyOf(rebootCommand);
        }
    }

    /**
     * The trial's window: the configured one, or two intervals plus {@link #DEFAULT_WINDOW_MARGIN}.
     * The agent closes an interval from two boundary reads (IntervalEngine), so the first record a
     * new version signs comes up to two intervals after its start; a shorter window would fail
     * every trial and roll every update back.
     */
    static Duration window(DeviceConfig.Ota ota, Duration interval) {
        return ota.healthWindow().orElse(interval.multipliedBy(2).plus(DEFAULT_WINDOW_MARGIN));
    }

    /**
     * Reads the trust file and asks RAUC what booted ({@code bootSlot()}, then {@code running()}).
     * Empty, with a standing alarm in {@code alarms}, when updates cannot be taken at this start.
     *
     * @param boardName the board profile's name, used when the section names no board
     * @param interval the agent's interval
     */
    static Optional<Boot> boot(DeviceConfig.Ota ota, String boardName, Duration interval, Path dataDir, Clock clock, List<String> alarms) {
        return boot(ota, boardName, interval, dataDir, Optional.empty(), clock, alarms);
    }

    /**
     * As above; with {@code counter}, the floor is also kept in the secure element's monotonic
     * counter (docs/ota.md, "Floor in the secure element"), so an old floor file put back cannot
     * let an older release in.
     */
    static Optional<Boot> boot(DeviceConfig.Ota ota, String boardName, Duration interval, Path dataDir, Optional<MonotonicCounter> counter,
            Clock clock, List<String> alarms) {
        Path stateDir = ota.stateDir(dataDir);
        Duration window = window(ota, interval);
        if (window.compareTo(interval.multipliedBy(2)) <= 0) {
            return notTaken(alarms, "ota.health_window " + window + " is not longer than two intervals of " + interval
                    + ": a new version's first record could not arrive in it, and every update would be rolled back");
        }
        TrustStore trust = new TrustStore(stateDir);
        switch (trust.load()) {
            case TrustStore.State.Empty e -> {
                return notTaken(alarms, trust.file() + ": no such file; install the release root with 'meter-agent provision ... "
                        + "--ota-root FILE' (docs/provisioning.md)");
            }
            case TrustStore.State.Corrupt c -> {
                return notTaken(alarms, c.reason() + " (" + trust.file() + ", left in place)");
            }
            case TrustStore.State.Trusted t -> log.info("update trust root_version={} targets_version={}", t.root().version(),
                    t.last().version());
        }
        Installer installer;
        Running running;
        try {
            // RAUC's slots carry no version of ours: a failed trial's version is remembered beside its floor file.
            RaucInstaller rauc = counter.isPresent() ? new RaucInstaller(ota.rauc(), stateDir, ota.provisionedVersion(), counter.get())
                    : new RaucInstaller(ota.rauc(), stateDir, ota.provisionedVersion());
            installer = new RejectionRecordingInstaller(rauc, stateDir);
            if (installer.bootSlot() instanceof Outcome.Refused<Slot> r) {
                return notTaken(alarms, "RAUC cannot say which slot booted: " + r.refusal().message());
            }
            switch (installer.running()) {
                case Outcome.Refused<Running> r -> {
                    return notTaken(alarms, "what runs is unknown: " + r.refusal().message());
                }
                case Outcome.Done<Running> d -> running = d.value();
            }
        } catch (IOException | RuntimeException e) {
            // A missing rauc executable ends here ("Cannot run program"), as does a state folder that cannot be made.
            return notTaken(alarms, "RAUC: " + e.getMessage());
        }
        Instant bootedAt = clock.instant();
        log.info("update boot slot={} version={} trial={} floor={} rejected={} health_window={}", running.slot(), running.version(),
                running.trial(), running.floor(), running.rejected().isPresent() ? running.rejected().getAsLong() : "none", window);
        return Optional.of(new Boot(ota.board().orElse(boardName), stateDir, window, trust, installer, running, bootedAt,
                ota.rebootCommand()));
    }

    /**
     * Starts the update shell beside the running agent on {@code live}, its own view of the agent's
     * live channel; a restart it asks for runs the reboot command.
     */
    static Optional<UpdateService> start(Boot boot, MeterAgent agent, LiveChannel live, String topicPrefix, Clock clock,
            List<String> alarms) {
        try {
            UpdateClient.Settings settings = UpdateClient.Settings.of(boot.board(), boot.stateDir().resolve("download"),
                    new HealthCheck(boot.window()));
            return Optional.of(UpdateService.start(agent, live, topicPrefix, settings, boot.trust(), boot.installer(), boot.running(),
                    boot.bootedAt(), new RebootCommand(boot.rebootCommand(), REBOOT_TIMEOUT), clock));
        } catch (RuntimeException e) {
            return notTaken(alarms, e.toString());
        }
    }

    private static <T> Optional<T> notTaken(List<String> alarms, String why) {
        alarms.add("updates not taken: " + why);
        log.error("updates not taken: {}; the agent meters on", why);
        return Optional.empty();
    }

    /**
     * The device's restart after an install or a failed trial: RAUC has chosen the slot the boot
     * loader starts next, so the whole system reboots. A command that fails is logged and the agent
     * meters on in the slot it runs; the next reboot, whatever causes it, boots RAUC's choice.
     */
    record RebootCommand(List<String> command, Duration timeout) implements UpdateClient.Restart {
        private static final int MAX_OUTPUT = 4096;

        RebootCommand {
            command = List.copyOf(command);
            Objects.requireNonNull(timeout, "timeout");
        }

        @Override
        public void restart(String why) {
            log.warn("update reboot: {}; running {}", why, command);
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException | RuntimeException e) {
                log.error("update reboot command {} cannot run: {}; the agent meters on, the slot RAUC chose boots at the next reboot",
                        command, e.getMessage());
                return;
            }
            try {
                p.getOutputStream().close();
                CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    log.error("update reboot command {} did not finish within {}; the agent meters on", command, timeout);
                    return;
                }
                if (p.exitValue() != 0) {
                    log.error("update reboot command {} failed exit={} output={}; the agent meters on, the slot RAUC chose boots at "
                            + "the next reboot", command, p.exitValue(), output.join());
                } else {
                    log.info("update reboot command {} accepted; the system stops this service", command);
                }
            } catch (IOException e) {
                log.error("update reboot command {}: {}", command, e.getMessage());
            } catch (InterruptedException e) {
                // The service is closing (a stop, perhaps the reboot itself).
                Thread.currentThread().interrupt();
            }
        }

        private static String drain(InputStream in) {
            try (in) {
                byte[] all = in.readAllBytes();
                return new String(all, 0, Math.min(all.length, MAX_OUTPUT), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        }
    }
}
