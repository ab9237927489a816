package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --config} refuses, before touching meter or broker, what it cannot stand behind. */
class RunConfiguredTest extends CommandLineTest {
    @TempDir
    Path dir;

    private Path config(String deviceId, String board) throws Exception {
        return Files.writeString(dir.resolve("agent.yaml"), String.join("\n",
                "schema: wattproof-agent/1",
                "board: " + board,
                "device_id: " + deviceId,
                "key_store:",
                "  kind: software",
                "  dir: " + dir.resolve("keys"),
                "  secret_file: " + dir.resolve("secret"),
                "mqtt:",
                "  broker: tcp://127.0.0.1:1",
                "ledger:",
                "  chain_id: wattproof-sim",
                ""));
    }

    @Test
    void everyProblemOfTheFileIsNamedAndNothingStarts() throws Exception {
        Path bad = Files.writeString(dir.resolve("agent.yaml"), String.join("\n",
                "schema: wattproof-agent/1",
                "board: desktop-sim",
                "device_id: XYZ",
                "key_store: {kind: vault}",
                "mqtt: {broker: 'http://broker'}",
                "ledger: {chain_id: ''}",
                ""));
        assertEquals(2, run("run", "--config", bad.toString()));
        assertTrue(err.contains(bad + ": device_id: expected 40 lowercase hex characters"), err);
        assertTrue(err.contains(bad + ": key_store.kind: expected software, pkcs11 or atecc608, actual 'vault'"), err);
        assertTrue(err.contains(bad + ": mqtt.broker: expected tcp://HOST:PORT or ssl://HOST:PORT, actual 'http://broker'"), err);
        assertTrue(err.contains(bad + ": ledger.chain_id: "), err);
    }

    private io.wattproof.agent.config.DeviceConfig withAnchor(String anchorLine) throws Exception {
        Path file = Files.writeString(dir.resolve("ledger.yaml"), Files.readString(config("ab".repeat(20), "desktop-sim"))
                + anchorLine + "\n");
        return RunConfigured.load(new java.io.PrintWriter(new java.io.StringWriter()), file).orElseThrow();
    }

    @Test
    void theLedgerIsFollowedFromAUsableTrustAnchorOnly() throws Exception {
        java.time.Clock clock = java.time.Clock.systemUTC();
        java.util.List<String> alarms = new java.util.ArrayList<>();
        assertEquals(java.util.Optional.empty(), RunConfigured.ledgerSettings(withAnchor(""), clock, alarms));
        assertEquals(java.util.List.of(), alarms, "no anchor: acknowledged is done, as before");

        Path anchor = dir.resolve("trust-anchor.json");
        assertTrue(RunConfigured.ledgerSettings(withAnchor("  trust_anchor: " + anchor), clock, alarms).isEmpty());
        assertTrue(alarms.get(0).startsWith("ledger not followed: " + anchor + ": cannot read the trust anchor"), alarms.toString());

        alarms.clear();
        Files.writeString(anchor, io.wattproof.agent.provision.TestAnchors.text(io.wattproof.agent.provision.TestAnchors.anchor(
                "other-chain", clock.instant().minusSeconds(3600), "336h")));
        assertTrue(RunConfigured.ledgerSettings(withAnchor("  trust_anchor: " + anchor), clock, alarms).isEmpty());
        assertTrue(alarms.get(0).contains("chain_id"), alarms.toString());

        alarms.clear();
        Files.writeString(anchor, io.wattproof.agent.provision.TestAnchors.text(io.wattproof.agent.provision.TestAnchors.anchor(
                "wattproof-sim", clock.instant().minusSeconds(3600), "336h")));
        io.wattproof.agent.ledger.LedgerSettings settings = RunConfigured.ledgerSettings(withAnchor("  trust_anchor: " + anchor),
                clock, alarms).orElseThrow();
        assertEquals(java.util.List.of(), alarms);
        assertEquals("wattproof-sim", settings.anchor().chainId());
        assertEquals(io.wattproof.agent.ledger.LedgerSettings.DEFAULT_RECEIPT_TIMEOUT, settings.receiptTimeout());

        // The configuration's own timeout and threshold reach the follower.
        io.wattproof.agent.ledger.LedgerSettings tuned = RunConfigured.ledgerSettings(withAnchor("  trust_anchor: " + anchor
                + "\n  receipt_timeout: 2m\n  prune_threshold: 12"), clock, alarms).orElseThrow();
        assertEquals(java.time.Duration.ofMinutes(2), tuned.receiptTimeout());
        assertEquals(12, tuned.pruneThreshold());
    }

    @Test
    void aMissingFileSaysWhereItComesFrom() {
        Path missing = dir.resolve("nope.yaml");
        assertEquals(2, run("run", "--config", missing.toString()));
        assertTrue(err.contains("error: " + missing + ": cannot read the configuration"), err);
        assertTrue(err.contains("meter-agent provision"), err);
    }

    @Test
    void theConfigurationIsTheOnlySource() throws Exception {
        assertEquals(2, run("run", "--config", config("ab".repeat(20), "desktop-sim").toString(), "--keys", "k", "--interval", "5"));
        assertTrue(err.contains("--config: the configuration file says everything; drop --keys, --interval"), err);
    }

    @Test
    void anotherKeyThanTheProvisionedOneIsRefused() throws Exception {
        SoftwareKeyStore.createSecret(dir.resolve("secret"));
        String actual;
        try (DeviceKey key = SoftwareKeyStore.create(dir.resolve("keys"), KeyAlgorithm.ECDSA_P256_SHA256, dir.resolve("secret"))) {
            actual = key.deviceId().hex();
        }
        String provisioned = "cd".repeat(20);
        assertEquals(2, run("run", "--config", config(provisioned, "desktop-sim").toString()));
        assertTrue(err.contains("the key in the software store is device " + actual + ", but "), err);
        assertTrue(err.contains("was provisioned for " + provisioned), err);
    }

    @Test
    void s0NeedsABoardWithAnS0Line() throws Exception {
        SoftwareKeyStore.createSecret(dir.resolve("secret"));
        String id;
        try (DeviceKey key = SoftwareKeyStore.create(dir.resolve("keys"), KeyAlgorithm.ECDSA_P256_SHA256, dir.resolve("secret"))) {
            id = key.deviceId().hex();
        }
        Path config = config(id, "desktop-sim");
        Files.writeString(config, Files.readString(config) + "meter:\n  source: s0\n");
        assertEquals(2, run("run", "--config", config.toString()));
        assertTrue(err.contains(config + ": meter.source s0: board desktop-sim names no gpio.s0 line"), err);
    }

    @Test
    void anUnknownBoardIsNamed() throws Exception {
        assertEquals(2, run("run", "--config", config("ab".repeat(20), "no-such-board").toString()));
        assertTrue(err.contains(": board: "), err);
    }

    @Test
    void byHandTheRequiredOptionsStillAre() {
        assertEquals(2, run("run", "--keys", "k", "--secret", "s", "--tcp", "meter:502", "--mqtt", "tcp://x:1"));
        assertTrue(err.contains("Missing required option: '--data=DIR' (or run --config FILE)"), err);
        assertEquals(2, run("run", "--keys", "k", "--secret", "s", "--data", "d", "--mqtt", "tcp://x:1"));
        assertTrue(err.contains("the meter, --serial=PORT or --tcp=HOST[:PORT]"), err);
    }
}
