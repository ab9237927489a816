package io.wattproof.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.config.DeviceConfig.Atecc608Store;
import io.wattproof.agent.config.DeviceConfig.KeyStoreSettings;
import io.wattproof.agent.config.DeviceConfig.Pkcs11Store;
import io.wattproof.agent.config.DeviceConfig.SoftwareStore;
import io.wattproof.crypto.DeviceId;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceConfigParserTest {
    private static final DeviceId ID = DeviceId.fromHex("00112233445566778899aabbccddeeff00112233");

    private static DeviceConfig config(KeyStoreSettings store, DeviceConfig.Mqtt mqtt) {
        return new DeviceConfig("agent.yaml", "raspberry-pi-4b", ID, Optional.of("Garage: \"left\" \\ side"), store, mqtt,
                new DeviceConfig.Ledger("wattproof-main", Optional.of(Path.of("/etc/wattproof/trust-anchor.json")), Duration.ofSeconds(90),
                        200),
                new DeviceConfig.MeterOverrides(Optional.of("SDM72"), Optional.of(7), Optional.of("12345")),
                Optional.of(Duration.ofMinutes(5)), Optional.of(Path.of("/srv/wattproof")), 64L << 20,
                new DeviceConfig.Telemetry(true, false, Duration.ofSeconds(30)));
    }

    private static final DeviceConfig.Mqtt TLS = new DeviceConfig.Mqtt(URI.create("ssl://broker.example:8883"),
            Optional.of(Path.of("/etc/wattproof/device-cert.pem")), Optional.of(Path.of("/etc/wattproof/broker-ca.pem")));

    @Test
    void whatTheWriterWritesTheParserReadsBackForEveryStore() {
        for (KeyStoreSettings store : List.of(
                new SoftwareStore(Path.of("/var/lib/wattproof/keys"), Path.of("/etc/wattproof/device-key.secret")),
                new Pkcs11Store(Path.of("/usr/lib/softhsm/libsofthsm2.so"), "123", "wattproof-device", Path.of("/etc/wattproof/pin")),
                new Atecc608Store(5))) {
            DeviceConfig written = config(store, TLS);
            DeviceConfig read = assertInstanceOf(ConfigParseResult.Parsed.class,
                    DeviceConfigParser.parse("agent.yaml", DeviceConfigWriter.write(written))).config();
            assertEquals(written, read);
        }
        DeviceConfig plain = new DeviceConfig("agent.yaml", "desktop-sim", ID, Optional.empty(), new Atecc608Store(0),
                new DeviceConfig.Mqtt(URI.create("tcp://127.0.0.1:1883"), Optional.empty(), Optional.empty()),
                new DeviceConfig.Ledger("c", Optional.empty()), DeviceConfig.MeterOverrides.NONE, Optional.empty(), Optional.empty(),
                1L << 30, DeviceConfig.Telemetry.DEFAULT);
        assertEquals(plain, ((ConfigParseResult.Parsed) DeviceConfigParser.parse("agent.yaml", DeviceConfigWriter.write(plain))).config());

        DeviceConfig pulses = new DeviceConfig("agent.yaml", "raspberry-pi-4b", ID, Optional.empty(), new Atecc608Store(0),
                new DeviceConfig.Mqtt(URI.create("tcp://127.0.0.1:1883"), Optional.empty(), Optional.empty()),
                new DeviceConfig.Ledger("c", Optional.empty()),
                new DeviceConfig.MeterOverrides(Optional.of("DDS238"), Optional.empty(), Optional.empty(), DeviceConfig.EnergySource.S0),
                Optional.empty(), Optional.empty(), 1L << 30, DeviceConfig.Telemetry.DEFAULT);
        String text = DeviceConfigWriter.write(pulses);
        assertTrue(text.contains("  source: s0\n"), text);
        assertEquals(pulses, ((ConfigParseResult.Parsed) DeviceConfigParser.parse("agent.yaml", text)).config());
    }

    private static final String GOOD = """
            schema: wattproof-agent/1
            board: raspberry-pi-4b
            device_id: 00112233445566778899aabbccddeeff00112233
            key_store:
              kind: software
              dir: /var/lib/wattproof/keys
              secret_file: /etc/wattproof/device-key.secret
            mqtt:
              broker: tcp://127.0.0.1:1883
            ledger:
              chain_id: wattproof-main
            """;

    @Test
    void theMinimalFileReadsWithDefaults() {
        DeviceConfig c = assertInstanceOf(ConfigParseResult.Parsed.class, DeviceConfigParser.parse("agent.yaml", GOOD)).config();
        assertEquals(DeviceConfig.Telemetry.DEFAULT, c.telemetry());
        assertEquals(Optional.empty(), c.interval());
        assertEquals(io.wattproof.agent.ledger.LedgerSettings.DEFAULT_RECEIPT_TIMEOUT, c.ledger().receiptTimeout());
        assertEquals(io.wattproof.agent.ledger.LedgerSettings.DEFAULT_PRUNE_THRESHOLD, c.ledger().pruneThreshold());
        assertTrue(!DeviceConfigWriter.write(c).contains("receipt_timeout") && !DeviceConfigWriter.write(c).contains("prune_threshold"),
                "defaults are not written out");
    }

    /** Each damage of the good file is reported with its field, what was expected and what is there. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "schema: wattproof-agent/1|schema: wattproof-agent/2|schema|'wattproof-agent/2'",
        "device_id: 00112233445566778899aabbccddeeff00112233|device_id: XYZ|device_id|'XYZ'",
        "  kind: software|  kind: tpm|key_store.kind|'tpm'",
        "  dir: /var/lib/wattproof/keys|  dir: keys|key_store.dir|'keys'",
        "  secret_file: /etc/wattproof/device-key.secret|  slot: 3|key_store.slot|a value for slot",
        "  broker: tcp://127.0.0.1:1883|  broker: mqtt://x:1|mqtt.broker|'mqtt://x:1'",
        "  broker: tcp://127.0.0.1:1883|  broker: ssl://h:8883|mqtt.device_cert|nothing",
        "  chain_id: wattproof-main|  chain_id: ''|ledger.chain_id|''",
        "board: raspberry-pi-4b|board: raspberry-pi-4b\\nlocation: ''|location|''",
        "board: raspberry-pi-4b|board: raspberry-pi-4b\\ninterval: 7m|interval|'7m'",
        "board: raspberry-pi-4b|board: raspberry-pi-4b\\noutbox_budget: 1KiB|outbox_budget|'1KiB'",
        "board: raspberry-pi-4b|board: raspberry-pi-4b\\nmeter:\\n  unit_id: 300|meter.unit_id|300",
        "board: raspberry-pi-4b|board: raspberry-pi-4b\\ntelemetry:\\n  period: 2h|telemetry.period|'2h'",
        "board: raspberry-pi-4b|board: raspberry-pi-4b\\nmeter:\\n  source: pulses|meter.source|'pulses'",
        "  chain_id: wattproof-main|  chain_id: wattproof-main\\n  receipt_timeout: 0s|ledger.receipt_timeout|'0s'",
        "  chain_id: wattproof-main|  chain_id: wattproof-main\\n  receipt_timeout: soon|ledger.receipt_timeout|'soon'",
        "  chain_id: wattproof-main|  chain_id: wattproof-main\\n  prune_threshold: 0|ledger.prune_threshold|0",
    })
    void eachProblemNamesItsField(String from, String to, String field, String actual) {
        String text = GOOD.replace(from, to.replace("\\n", "\n"));
        ConfigParseResult.Invalid invalid = assertInstanceOf(ConfigParseResult.Invalid.class, DeviceConfigParser.parse("agent.yaml", text),
                text);
        ConfigProblem p = invalid.problems().stream().filter(q -> q.field().equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError(field + " not among " + invalid.problems()));
        assertEquals(actual, p.actual(), p.message());
        assertTrue(p.message().startsWith("agent.yaml: " + field + ": expected "), p.message());
    }

    @Test
    void unknownKeysAndNonYamlAreProblemsNotExceptions() {
        for (String text : new String[] {GOOD + "colour: red\n", "", "[1, 2]", "{", "a: [" + "[".repeat(3000), "x".repeat(70_000)}) {
            assertInstanceOf(ConfigParseResult.Invalid.class, DeviceConfigParser.parse("agent.yaml", text),
                    text.length() > 30 ? text.substring(0, 30) : text);
        }
    }
}
