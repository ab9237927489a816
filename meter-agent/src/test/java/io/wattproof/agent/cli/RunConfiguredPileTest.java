package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.AgentConfig;
import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.TestDeviceKey;
import io.wattproof.agent.board.BoardProfiles;
import io.wattproof.agent.charging.ChargingPile;
import io.wattproof.agent.charging.SealKeyFile;
import io.wattproof.agent.config.ConfigParseResult;
import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.agent.config.DeviceConfigParser;
import io.wattproof.agent.meter.MeterSnapshot;
import io.wattproof.agent.meter.MeterSource;
import io.wattproof.agent.record.FirmwareIdentity;
import io.wattproof.agent.uplink.LiveChannel;
import io.wattproof.agent.uplink.Uplink;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.SignedTx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --config} with a charging section: what keeps the pile from starting is a standing
 * alarm, and the agent meters on with the relay untouched (docs/charging.md, "The pile's shell").
 */
class RunConfiguredPileTest {
    @TempDir
    Path dir;

    private DeviceConfig config(String board, Path sealKeyFile) {
        return config(board, sealKeyFile, "");
    }

    private DeviceConfig config(String board, Path sealKeyFile, String chargingExtra) {
        String text = String.join("\n",
                "schema: wattproof-agent/1",
                "board: " + board,
                "device_id: " + "ab".repeat(20),
                "key_store:",
                "  kind: software",
                "  dir: " + dir.resolve("keys"),
                "  secret_file: " + dir.resolve("secret"),
                "mqtt:",
                "  broker: tcp://127.0.0.1:1",
                "ledger:",
                "  chain_id: wattproof-sim",
                "charging:",
                "  seal_key_file: " + sealKeyFile,
                "  owner_seal_key: \"" + "11".repeat(32) + "\"",
                "  supervisor_seal_key: \"" + "22".repeat(32) + "\"",
                "  owner_contact: \"owner\"",
                "  owner_salt: \"" + "33".repeat(32) + "\"",
                "") + chargingExtra;
        return assertInstanceOf(ConfigParseResult.Parsed.class, DeviceConfigParser.parse("agent.yaml", text)).config();
    }

    @Test
    void aBoardWithoutARelayLineStartsNoPile() throws Exception {
        List<String> alarms = new ArrayList<>();
        DeviceConfig c = config("desktop-sim", dir.resolve("seal.key"));
        assertTrue(RunConfigured.chargingPile(c, BoardProfiles.resolve("desktop-sim"), null, null, null, null, dir, Clock.systemUTC(),
                alarms).isEmpty());
        assertEquals(List.of("charging pile not started: board desktop-sim names no gpio.relay line"), alarms);
    }

    @Test
    void withoutGpioThePileIsNotStartedAndSaysWhichLine() throws Exception {
        List<String> alarms = new ArrayList<>();
        DeviceConfig c = config("raspberry-pi-4b", dir.resolve("seal.key"));
        assertTrue(RunConfigured.chargingPile(c, BoardProfiles.resolve("raspberry-pi-4b"), null, null, null, null, dir,
                Clock.systemUTC(), alarms).isEmpty());
        assertEquals(1, alarms.size());
        assertTrue(alarms.get(0).startsWith("charging pile not started: GPIO is unavailable, so the relay on GPIO "), alarms.toString());
    }

    @Test
    void anUnreadableSealKeyIsAnAlarmBeforeAnyPinIsTouched() throws Exception {
        Path key = Files.writeString(dir.resolve("seal.key"), "not a key\n");
        List<String> alarms = new ArrayList<>();
        DeviceConfig c = config("raspberry-pi-4b", key);
        // A GPIO context (Pi4J's mock platform) is needed to reach the key; the key is read before the relay is created.
        com.pi4j.context.Context gpio = io.wattproof.modbus.testing.MockPi4j.context();
        try {
            assertTrue(RunConfigured.chargingPile(c, BoardProfiles.resolve("raspberry-pi-4b"), gpio, null, null, null, dir,
                    Clock.systemUTC(), alarms).isEmpty());
        } finally {
            gpio.shutdown();
        }
        assertEquals(1, alarms.size());
        assertTrue(alarms.get(0).startsWith("charging pile not started: " + key + ": "), alarms.toString());
        assertTrue(!alarms.get(0).contains("not a key"), "the key file's content is never shown: " + alarms);
        assertEquals(1, alarms.get(0).split(java.util.regex.Pattern.quote(key.toString()), -1).length - 1, "named once: " + alarms);

        alarms.clear();
        Path missing = dir.resolve("missing.key");
        com.pi4j.context.Context gpio2 = io.wattproof.modbus.testing.MockPi4j.context();
        try {
            assertTrue(RunConfigured.chargingPile(config("raspberry-pi-4b", missing), BoardProfiles.resolve("raspberry-pi-4b"), gpio2, null,
                    null, null, dir, Clock.systemUTC(), alarms).isEmpty());
        } finally {
            gpio2.shutdown();
        }
        assertEquals(List.of("charging pile not started: " + missing + ": no such file"), alarms);
    }

    /** Meters on with a register rising 1 Wh a read. */
    private static final class RisingMeter implements MeterSource {
        private final AtomicLong wh = new AtomicLong();

        @Override
        public MeterSnapshot read() {
            return new MeterSnapshot(wh.incrementAndGet() / 1000.0, 0, 0, new double[] {230}, new double[] {0});
        }

        @Override
        public String model() {
            return "TEST";
        }

        @Override
        public void close() {}
    }

    /** Connected, acknowledging records; keeps the transactions that are no records. */
    private static final class TxUplink implements Uplink {
        final List<byte[]> transactions = new CopyOnWriteArrayList<>();
        private volatile Listener listener;

        @Override
        public void start(Listener listener) {
            this.listener = listener;
            listener.connected(10);
        }

        @Override
        public boolean send(long sequence, byte[] payload) {
            listener.acknowledged(sequence);
            return true;
        }

        @Override
        public boolean sendTransaction(byte[] signedTx) {
            transactions.add(signedTx.clone());
            return true;
        }

        @Override
        public void close() {}
    }

    private static final LiveChannel NO_LIVE = new LiveChannel() {
        @Override
        public void live(Subscriber subscriber) {}

        @Override
        public boolean publishLive(String topic, byte[] payload, boolean retained) {
            return false;
        }
    };

    /** The configuration's charging.offer reaches the pile: it offers at start, and without the section it does not. */
    @Test
    void aPileWithAnOfferSectionOffersAtStartAndOneWithoutDoesNot() throws Exception {
        Path key = dir.resolve("seal.key");
        SealKeyFile.write(key, RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, new SecureRandom()));
        String offer = "  offer:\n    unit_price: 300000\n    max_power_w: 11000\n    window_days: 3\n";
        for (boolean withOffer : new boolean[] {true, false}) {
            Path data = Files.createDirectories(dir.resolve(withOffer ? "with" : "without"));
            DeviceConfig c = config("raspberry-pi-4b", key, withOffer ? offer : "");
            AgentConfig agentConfig = AgentConfig.builder(data).chainId("wattproof-sim").interval(Duration.ofSeconds(1))
                    .meterSerial("1").firmware(new FirmwareIdentity("0.1.0", new byte[32])).build();
            TxUplink uplink = new TxUplink();
            List<String> alarms = new ArrayList<>();
            com.pi4j.context.Context gpio = io.wattproof.modbus.testing.MockPi4j.context();
            TestDeviceKey deviceKey = new TestDeviceKey();
            try (MeterAgent agent = MeterAgent.start(agentConfig, deviceKey, new RisingMeter(), uplink, Clock.systemUTC())) {
                ChargingPile pile = RunConfigured.chargingPile(c, BoardProfiles.resolve("raspberry-pi-4b"), gpio, agent, NO_LIVE,
                        deviceKey, data, Clock.systemUTC(), alarms).orElseThrow(() -> new AssertionError(alarms.toString()));
                try {
                    assertEquals(List.of(), alarms);
                    if (!withOffer) {
                        assertTrue(pile.offers().isEmpty(), "no charging.offer: no offers");
                        continue;
                    }
                    PileOffer o = pile.offers().values().iterator().next();
                    assertEquals(1, pile.offers().size());
                    assertEquals(300_000, o.getUnitPrice());
                    assertEquals(11_000, o.getMaxPowerW());
                    assertEquals(3 * 86_400, o.getWindowEnd() - o.getWindowStart());
                    // The agent's worker sends it on the tx topic.
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (uplink.transactions.isEmpty() && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertEquals(1, uplink.transactions.size(), "the offer left through the agent");
                    assertEquals(BodyType.PILE_OFFER, SignedTx.parseFrom(uplink.transactions.get(0)).getBodyType());
                } finally {
                    pile.close();
                }
            } finally {
                gpio.shutdown();
            }
        }
    }
}
