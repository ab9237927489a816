package io.wattproof.simulator;

import io.wattproof.agent.AgentConfig;
import io.wattproof.agent.AgentStatus;
import io.wattproof.crypto.DeviceId;
import io.wattproof.simulator.broker.EmbeddedBroker;
import io.wattproof.simulator.fault.LinkProxy;
import io.wattproof.simulator.fleet.SimulatedDevice;
import io.wattproof.simulator.load.LoadProfile;
import io.wattproof.simulator.meter.VirtualMeter;
import io.wattproof.simulator.verify.ChainPointFile;
import io.wattproof.simulator.verify.ReadingVerifier;
import io.wattproof.simulator.verify.ReceivingSide;
import io.wattproof.simulator.verify.VerifierSnapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A whole lab on one machine: an embedded MQTT broker, N virtual SDM630 meters on Modbus TCP, one
 * agent per meter (each with its own key store and outbox) and a receiving side that checks every
 * record that crosses the broker. Everything talks over loopback sockets, exactly as on a board.
 */
public final class Simulation implements AutoCloseable {
    private final SimulationConfig config;
    private final EmbeddedBroker broker;
    private final ReceivingSide receiver;
    private final List<SimulatedDevice> devices = new ArrayList<>();
    /** One relay per device between its agent and the broker, so a device's link can be cut. */
    private final List<LinkProxy> links = new ArrayList<>();
    private final Map<DeviceId, Long> sequenceAtStart = new LinkedHashMap<>();

    private Simulation(SimulationConfig config, EmbeddedBroker broker, ReceivingSide receiver) {
        this.config = config;
        this.broker = broker;
        this.receiver = receiver;
    }

    /** Starts broker, receiving side, meters and agents. On failure, stops what was started. */
    public static Simulation start(SimulationConfig config, Clock clock) throws Exception {
        Files.createDirectories(config.runFolder());
        EmbeddedBroker broker = EmbeddedBroker.start(config.runFolder().resolve("broker"), config.brokerPort());
        Simulation sim = null;
        try {
            ReceivingSide receiver = ReceivingSide.start(broker.uri(), config.chainId(), config.dumpFolder());
            sim = new Simulation(config, broker, receiver);
            sim.startDevices(clock);
            return sim;
        } catch (Exception | Error e) {
            if (sim != null) {
                sim.close();
            } else {
                broker.close();
            }
            throw e;
        }
    }

    private Path chainPointFile() {
        return config.runFolder().resolve("receiver-chains.properties");
    }

    private void startDevices(Clock clock) throws Exception {
        Map<DeviceId, ReadingVerifier.ChainPoint> settled = ChainPointFile.load(chainPointFile());
        SplittableRandom random = new SplittableRandom(20261127L);
        for (int i = 1; i <= config.meters(); i++) {
            // Every third household has PV, so the fleet both imports and exports around noon.
            boolean pv = i % 3 == 0;
            LoadProfile profile = LoadProfile.household(1000L + i, pv, pv ? 4000 + 2000 * random.nextDouble() : 0);
            String serial = String.format("SIM%06d", i);
            VirtualMeter meter = VirtualMeter.start(serial, profile, config.zone(), 1000 + 20000 * random.nextDouble(), clock);
            if (i == 1 && config.meterSerial().isPresent()) {
                try {
                    meter.serveSerial(config.meterSerial().get());
                } catch (Exception e) {
                    meter.close();
                    throw e;
                }
            }
            Path folder = config.runFolder().resolve("devices").resolve(String.format("meter-%03d", i));
            AgentConfig.Builder agentConfig = SimulatedDevice.configFor(folder).chainId(config.chainId()).interval(config.interval());
            LinkProxy link = LinkProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), broker.port()));
            links.add(link);
            SimulatedDevice device;
            try {
                device = new SimulatedDevice(folder, config.keyAlgorithm(), meter, agentConfig, link.uri(), clock);
            } catch (Exception e) {
                meter.close();
                throw e;
            }
            devices.add(device);
            // Provisioning: the receiving side learns the key out of band, as a ledger's device
            // registry would.
            receiver.register(device.key().deviceId(), device.key().algorithm(), device.key().publicKeyInfo());
            ReadingVerifier.ChainPoint point = settled.get(device.key().deviceId());
            if (point != null) {
                // A reused run folder: the chain continues where the last run's receiver left it.
                receiver.resume(device.key().deviceId(), point);
            }
        }
        for (SimulatedDevice device : devices) {
            device.startAgent();
            sequenceAtStart.put(device.key().deviceId(), device.status().lastSequence());
        }
    }

    /** Cuts the link between device {@code index} (0-based) and the broker; it keeps metering. */
    public void cutLink(int index) {
        links.get(index).cut();
    }

    public void restoreLink(int index) {
        links.get(index).restore();
    }

    public List<SimulatedDevice> devices() {
        return List.copyOf(devices);
    }

    public String brokerUri() {
        return broker.uri();
    }

    /** Records signed by the agents since this run started. */
    public long readings() {
        long n = 0;
        for (SimulatedDevice d : devices) {
            n += d.status().lastSequence() - sequenceAtStart.get(d.key().deviceId());
        }
        return n;
    }

    public int outboxDepth() {
        int n = 0;
        for (SimulatedDevice d : devices) {
            AgentStatus s = d.status();
            n += s == null ? 0 : s.outboxDepth();
        }
        return n;
    }

    public VerifierSnapshot verifierSnapshot() {
        return receiver.snapshot();
    }

    /** One line of progress for the console. */
    public String progressLine(Duration elapsed) {
        VerifierSnapshot v = receiver.snapshot();
        return String.format("[%4ds] meters=%d readings=%d verified=%d rejected=%d held=%d outbox=%d",
                elapsed.toSeconds(), devices.size(), readings(), v.total().verified(), v.total().rejectedTotal(),
                v.total().held(), outboxDepth());
    }

    /**
     * Stops metering, lets every agent send what it holds and the receiving side check it, and
     * counts. Waits at most {@code drainTimeout} for the outboxes to empty.
     */
    public SimulationResult finish(Duration drainTimeout) throws InterruptedException {
        devices.forEach(SimulatedDevice::stopMetering);
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        for (SimulatedDevice d : devices) {
            d.awaitDrained(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        Map<DeviceId, Long> last = lastSequences();
        receiver.awaitChained(last, Math.max(1000, (deadline - System.nanoTime()) / 1_000_000));
        receiver.awaitIdle(1000);
        VerifierSnapshot v = receiver.snapshot();
        return new SimulationResult(devices.size(), readings(), v.total().verified(), v.total().rejectedTotal(), v.gaps(last),
                v.total().duplicates());
    }

    public Map<DeviceId, Long> lastSequences() {
        Map<DeviceId, Long> last = new LinkedHashMap<>();
        for (SimulatedDevice d : devices) {
            last.put(d.key().deviceId(), d.status().lastSequence());
        }
        return last;
    }

    @Override
    public void close() {
        for (SimulatedDevice d : devices) {
            d.close();
        }
        Map<DeviceId, ReadingVerifier.ChainPoint> heads = new LinkedHashMap<>();
        for (SimulatedDevice d : devices) {
            receiver.chainPoint(d.key().deviceId()).ifPresent(p -> heads.put(d.key().deviceId(), p));
        }
        try {
            ChainPointFile.save(chainPointFile(), heads);
        } catch (java.io.IOException e) {
            System.err.println("warning: could not save the receiving side's chain heads: " + e.getMessage());
        }
        receiver.close();
        links.forEach(LinkProxy::close);
        broker.close();
    }
}
