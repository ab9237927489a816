package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.config.ConfigParseResult;
import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.agent.config.DeviceConfigParser;
import io.wattproof.agent.provision.TestAnchors;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.cert.Certificates;
import io.wattproof.crypto.cert.CertificationRequests;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the provision tests share: a board profile whose folders are in a temporary folder, a lab
 * authority made by {@code ca init}, and a trust anchor signed by the light client's chain
 * generator an hour ago.
 */
abstract class ProvisionFixture extends CommandLineTest {
    static final String CHAIN = "wattproof-test";

    @TempDir
    Path tmp;

    Path board;
    Path etc;
    Path keys;
    Path ca;
    Path anchor;
    Path config;

    @BeforeEach
    void setUp() throws IOException {
        etc = tmp.resolve("etc");
        keys = tmp.resolve("keys");
        board = writeBoard(tmp, "");
        config = etc.resolve("agent.yaml");
        ca = tmp.resolve("ca");
        assertEquals(0, run("ca", "init", "--dir", ca.toString()), err);
        anchor = tmp.resolve("anchor.json");
        Files.writeString(anchor, TestAnchors.text(TestAnchors.anchor(CHAIN, Instant.now().minus(Duration.ofHours(1)), "336h")));
    }

    @AfterEach
    void restore() {
        ProvisionCommand.terminal = prompt -> Optional.empty();
    }

    /** A board profile like desktop-sim, with its folders under {@code dir}. */
    static Path writeBoard(Path dir, String extra) throws IOException {
        Path file = dir.resolve("test-board.yaml");
        Files.writeString(file, """
                schema: wattproof-board/1
                name: test-board
                description: Test board with its folders in a temporary folder
                gpio_header: none
                %s
                serial:
                  device: /dev/null
                  baud: 9600
                  parity: none
                  stop_bits: 1
                  direction: none
                meter:
                  model: SDM630
                  unit_id: 1
                interval: 1m
                paths:
                  data_dir: %s
                  key_dir: %s
                  config_dir: %s
                """.formatted(extra.isEmpty() ? "key_store: software" : extra, dir.resolve("data"), dir.resolve("keys"),
                dir.resolve("etc")));
        return file;
    }

    String[] provision(String... more) {
        List<String> args = new ArrayList<>(List.of("provision", "--board", board.toString(), "--mqtt", "ssl://127.0.0.1:8883",
                "--broker-ca", ca.resolve("ca-cert.pem").toString(), "--trust-anchor", anchor.toString(),
                "--location", "Garage", "--meter-serial", "SN-4711"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    DeviceConfig config() throws IOException {
        return assertInstanceOf(ConfigParseResult.Parsed.class,
                DeviceConfigParser.parse(config.toString(), Files.readString(config))).config();
    }

    String provisioned() throws Exception {
        assertEquals(0, run(provision("--ca", ca.toString())), err + out);
        return config().deviceId().hex();
    }

    String check() {
        int exit = run("provision", "--check", "--config", config.toString());
        assertEquals(out.contains("checks failed") ? 1 : 0, exit, out);
        return out;
    }

    /** A certificate from the same authority for a key that is not this device's. */
    Path otherDeviceCertificate() {
        Path otherKeys = tmp.resolve("other-keys");
        assertEquals(0, run("keys", "create", "--store", "software", "--dir", otherKeys.toString(), "--secret-file",
                tmp.resolve("other-secret").toString()), err);
        Path csr = tmp.resolve("other.csr");
        assertEquals(0, run("keys", "csr", "--store", "software", "--dir", otherKeys.toString(), "--secret-file",
                tmp.resolve("other-secret").toString(), "--out", csr.toString()), err);
        Path cert = tmp.resolve("other-cert.pem");
        assertEquals(0, run("ca", "issue", "--dir", ca.toString(), "--csr", csr.toString(), "--out", cert.toString()), err);
        return cert;
    }

}
