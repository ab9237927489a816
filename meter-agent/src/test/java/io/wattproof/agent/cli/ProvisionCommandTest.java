package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.agent.provision.TestAnchors;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.cert.Certificates;
import io.wattproof.crypto.cert.CertificationRequests;
import io.wattproof.crypto.soft.SoftwareKeyStore;
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
import io.wattproof.agent.provision.ServiceOwnership;
import org.junit.jupiter.api.Test;

/**
 * {@code provision} and {@code provision --check} with the software key store: a whole
 * installation, what --check says after each kind of damage, re-running, and bad inputs.
 */
class ProvisionCommandTest extends ProvisionFixture {
    @Test
    void provisionsTheWholeDeviceWithTheSoftwareStore() throws Exception {
        Path labelFile = tmp.resolve("label.txt");
        assertEquals(0, run(provision("--ca", ca.toString(), "--label-out", labelFile.toString())), err + out);
        DeviceConfig c = config();
        String id = c.deviceId().hex();
        try (DeviceKey key = SoftwareKeyStore.open(keys, etc.resolve("device-key.secret"))) {
            assertEquals(id, key.deviceId().hex());
        }
        assertEquals("test-board", Path.of(c.board()).getFileName().toString().replace(".yaml", ""));
        assertEquals(Optional.of("Garage"), c.location());
        assertEquals(Optional.of("SN-4711"), c.meter().serial());
        assertEquals(CHAIN, c.ledger().chainId());
        assertEquals(Optional.of(etc.resolve("trust-anchor.json")), c.ledger().trustAnchor());
        assertEquals(Optional.of(etc.resolve("device-cert.pem")), c.mqtt().deviceCert());
        assertEquals(Files.readString(anchor), Files.readString(etc.resolve("trust-anchor.json")));

        String csr = Files.readString(etc.resolve("device.csr"));
        assertEquals("CN=" + id, CertificationRequests.subject(CertificationRequests.fromPem(csr)));
        X509Certificate cert = Certificates.fromPem(Files.readString(etc.resolve("device-cert.pem")));
        assertEquals("CN=" + id, cert.getSubjectX500Principal().getName());

        for (Path p : List.of(config, etc.resolve("trust-anchor.json"), etc.resolve("device-cert.pem"), etc.resolve("broker-ca.pem"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(etc)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("data"))));
        try (Stream<Path> left = Files.list(etc)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }

        for (String step : List.of("[board]", "[key] created device " + id, "[csr]", "[broker ca]", "[certificate] installed",
                "[trust anchor]", "[data]", "[config]")) {
            assertTrue(out.contains(step), step + " in\n" + out);
        }
        assertTrue(out.contains("device id:   " + id), out);
        assertTrue(out.contains("location:    Garage"), out);
        assertTrue(out.contains("█") && (out.contains("▀") || out.contains("▄")), "the QR code's half blocks:\n" + out);
        String label = Files.readString(labelFile, StandardCharsets.UTF_8);
        assertTrue(label.contains("device id:   " + id) && label.contains("█"), label);

        String checked = check();
        assertTrue(checked.contains("checks passed"), checked);
        assertTrue(checked.contains("OK   device key: software store holds device " + id), checked);
        assertTrue(checked.contains("OK   trust anchor: height 1234 of " + CHAIN + ", trusted for 13 days"), checked);
        assertFalse(checked.contains("FAIL"), checked);

        assertEquals(0, run("provision", "--check", "--json", "--config", config.toString()), out);
        assertTrue(out.contains("\"ok\" : true"), out);
    }

    /**
     * Provisioned as root, the agent's own files go to the user the service runs as: owner-only
     * secrets owned by root would keep the service from opening its key. {@code nobody} stands
     * in for the package's {@code wattproof} user, which this machine does not have.
     */
    @Test
    void theServiceUserGetsTheAgentsFilesModesUnchanged() throws Exception {
        int exit = run(provision("--ca", ca.toString(), "--service-user", "nobody"));
        if (!ServiceOwnership.runningAsRoot()) {
            assertEquals(1, exit, out);
            assertTrue(err.contains("handing the files to the service user failed"), err);
            return;
        }
        assertEquals(0, exit, err + out);
        assertTrue(out.contains("now belong to nobody, the user the service runs as"), out);
        for (Path p : List.of(config, etc.resolve("trust-anchor.json"), etc.resolve("device-cert.pem"), etc.resolve("broker-ca.pem"),
                etc.resolve("device-key.secret"), keys, keys.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE), tmp.resolve("data"))) {
            assertEquals("nobody", Files.getOwner(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName(), p.toString());
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve("device-key.secret"))));
        // The folder the configuration lives in is not the agent's to own.
        assertEquals(Files.getOwner(tmp), Files.getOwner(etc));

        assertEquals(1, run(provision("--service-user", "no-such-user-here", "--use-existing-key")));
        assertTrue(err.contains("--service-user no-such-user-here: no such user"), err);
    }

    @Test
    void aPlainTcpBrokerNeedsNoCertificate() throws Exception {
        assertEquals(0, run("provision", "--board", board.toString(), "--mqtt", "tcp://127.0.0.1:1883", "--trust-anchor",
                anchor.toString()), err + out);
        assertTrue(out.contains("[certificate] none"), out);
        assertTrue(config().mqtt().deviceCert().isEmpty());
        assertTrue(check().contains("OK   certificate: none needed"), out);
    }

    @Test
    void withoutAnAuthorityTheRequestIsLeftForTheOperatorAndTheCertificateInstalledLater() throws Exception {
        assertEquals(0, run(provision()), err + out);
        String id = config().deviceId().hex();
        assertTrue(out.contains("[certificate] not installed: send " + etc.resolve("device.csr")), out);
        String checked = check();
        assertTrue(checked.contains("FAIL device certificate: missing: " + etc.resolve("device-cert.pem")), checked);

        Path issued = tmp.resolve("issued.pem");
        assertEquals(0, run("ca", "issue", "--dir", ca.toString(), "--csr", etc.resolve("device.csr").toString(), "--out",
                issued.toString()), err);
        assertEquals(0, run(provision("--certificate", issued.toString())), err + out);
        assertTrue(out.contains("[key] kept device " + id), out);
        assertTrue(out.contains("(identity kept)"), out);
        assertTrue(check().contains("checks passed"), out);
    }

    @Test
    void aCertificateForAnotherKeyIsNotInstalled() throws Exception {
        String id = provisioned();
        Path other = otherDeviceCertificate();
        byte[] before = Files.readAllBytes(config);
        assertEquals(2, run(provision("--certificate", other.toString())), out);
        assertTrue(err.contains("expected the public key of device " + id), err);
        assertTrue(Arrays.equals(before, Files.readAllBytes(config)));
    }

    @Test
    void checkNamesASwappedKey() throws Exception {
        String id = provisioned();
        assertEquals(0, run("keys", "create", "--force", "--store", "software", "--dir", keys.toString(), "--secret-file",
                etc.resolve("device-key.secret").toString()), err);
        String checked = check();
        assertTrue(checked.contains("FAIL device key: the software store holds device "), checked);
        assertTrue(checked.contains("the configuration names device " + id), checked);
        assertTrue(checked.contains("1 of "), checked);
    }

    @Test
    void checkNamesAConfigReadableByOthers() throws Exception {
        provisioned();
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        String checked = check();
        assertTrue(checked.contains("FAIL config file mode: " + config + ": expected mode 0400 or 0600, actual 0644"), checked);
        assertTrue(checked.contains("do: chmod 600 " + config), checked);
    }

    @Test
    void checkNamesACertificateForAnotherKey() throws Exception {
        String id = provisioned();
        Files.copy(otherDeviceCertificate(), etc.resolve("device-cert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String checked = check();
        assertTrue(checked.contains("FAIL certificate: " + etc.resolve("device-cert.pem") + ": key: expected the public key of device "
                + id), checked);
    }

    @Test
    void checkNamesAMissingCertificate() throws Exception {
        provisioned();
        Files.delete(etc.resolve("device-cert.pem"));
        String checked = check();
        assertTrue(checked.contains("FAIL device certificate: missing: " + etc.resolve("device-cert.pem")), checked);
        assertTrue(checked.contains("do: send " + etc.resolve("device.csr")), checked);
    }

    @Test
    void checkNamesAnExpiredOrDamagedAnchor() throws Exception {
        provisioned();
        Path installed = etc.resolve("trust-anchor.json");
        Files.writeString(installed, TestAnchors.text(TestAnchors.anchor(CHAIN, Instant.now().minus(Duration.ofDays(15)), "336h")));
        String checked = check();
        assertTrue(checked.contains("FAIL trust anchor: ") && checked.contains("expired"), checked);

        String text = TestAnchors.text(TestAnchors.anchor(CHAIN, Instant.now().minus(Duration.ofHours(1)), "336h"));
        Files.writeString(installed, text.substring(0, text.length() / 2));
        checked = check();
        assertTrue(checked.contains("FAIL trust anchor: " + installed + ": (file): expected CometBFT light block JSON"), checked);
        assertTrue(checked.contains("do: get a fresh trust anchor"), checked);
    }

    @Test
    void reRunningKeepsTheIdentityAndNeverReplacesItUnconfirmed() throws Exception {
        String id = provisioned();
        byte[] key = Files.readAllBytes(keys.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE));

        assertEquals(0, run(provision("--ca", ca.toString(), "--meter-model", "SDM72")), err + out);
        assertEquals(id, config().deviceId().hex());
        assertEquals(Optional.of("SDM72"), config().meter().model());
        assertTrue(Arrays.equals(key, Files.readAllBytes(keys.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE))));

        // Without a terminal and without --yes: refused.
        assertEquals(1, run(provision("--force-new-identity")), out);
        assertTrue(err.contains("no terminal to confirm on; add --yes"), err);
        assertTrue(err.contains("was not confirmed: device " + id + " keeps its identity"), err);
        // A terminal on which the wrong characters are typed: refused.
        List<String> prompts = new ArrayList<>();
        ProvisionCommand.terminal = prompt -> {
            prompts.add(prompt);
            return Optional.of("deadbeef");
        };
        assertEquals(1, run(provision("--force-new-identity")), out);
        assertTrue(prompts.getFirst().contains("replace device " + id), prompts.toString());
        assertEquals(id, config().deviceId().hex());
        assertTrue(Arrays.equals(key, Files.readAllBytes(keys.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE))));

        // The old id's first 8 characters: a new identity; the old key is moved aside, not deleted.
        ProvisionCommand.terminal = prompt -> Optional.of(id.substring(0, 8));
        assertEquals(0, run(provision("--force-new-identity", "--ca", ca.toString())), err + out);
        String renewed = config().deviceId().hex();
        assertNotEquals(id, renewed);
        assertTrue(out.contains("(new identity)"), out);
        try (Stream<Path> aside = Files.list(keys)) {
            Path moved = aside.filter(p -> p.getFileName().toString().startsWith("replaced-")).findFirst().orElseThrow();
            assertTrue(Arrays.equals(key, Files.readAllBytes(moved.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE))));
        }
        assertTrue(check().contains("checks passed"), out);
    }

    @Test
    void anotherKeyOrNoKeyInTheStoreStopsARerun() throws Exception {
        String id = provisioned();
        byte[] before = Files.readAllBytes(config);
        assertEquals(0, run("keys", "create", "--force", "--store", "software", "--dir", keys.toString(), "--secret-file",
                etc.resolve("device-key.secret").toString()), err);
        String other = out.lines().filter(l -> l.startsWith("device id: ")).findFirst().orElseThrow().substring(11);
        assertEquals(1, run(provision("--ca", ca.toString())), out);
        assertTrue(err.contains(config + " names device " + id + " but the software store holds device " + other), err);
        assertTrue(err.contains("add --force-new-identity and confirm it"), err);

        try (Stream<Path> files = Files.list(keys)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.delete(f);
            }
        }
        assertEquals(1, run(provision("--ca", ca.toString())), out);
        assertTrue(err.contains(config + " names device " + id + " but the software store holds no key"), err);
        assertTrue(Arrays.equals(before, Files.readAllBytes(config)), "the configuration is unchanged");
    }

    @Test
    void forceWithYesReplacesWithoutATerminal() throws Exception {
        String id = provisioned();
        assertEquals(2, run(provision("--yes")), out);
        assertTrue(err.contains("--yes: only confirms --force-new-identity"), err);
        assertEquals(0, run(provision("--force-new-identity", "--yes", "--ca", ca.toString())), err + out);
        assertNotEquals(id, config().deviceId().hex());
        assertTrue(out.contains("replacing device " + id), out);
    }

    @Test
    void aKeyNoConfigurationNamesIsNotTakenOverSilently() throws Exception {
        assertEquals(0, run("keys", "create", "--store", "software", "--dir", keys.toString(), "--secret-file",
                etc.resolve("device-key.secret").toString()), err);
        String id = out.lines().filter(l -> l.startsWith("device id: ")).findFirst().orElseThrow().substring(11);
        assertEquals(1, run(provision("--ca", ca.toString())), out);
        assertTrue(err.contains("store already holds device " + id + " and no configuration names it"), err);
        assertFalse(Files.exists(config));
        assertEquals(0, run(provision("--ca", ca.toString(), "--use-existing-key")), err + out);
        assertEquals(id, config().deviceId().hex());
    }

    @Test
    void badInputsExit2AndLeaveNothingBehind() throws Exception {
        String badAnchor = TestAnchors.text(TestAnchors.anchor(CHAIN, Instant.now().minus(Duration.ofHours(1)), "336h"))
                .replace("\"height\" : \"1234\"", "\"height\" : \"1235\"");
        Path damaged = tmp.resolve("damaged.json");
        Files.writeString(damaged, badAnchor);
        Path expired = tmp.resolve("expired.json");
        Files.writeString(expired, TestAnchors.text(TestAnchors.anchor(CHAIN, Instant.now().minus(Duration.ofDays(20)), "336h")));
        Path otherCa = tmp.resolve("other-ca");
        assertEquals(0, run("ca", "init", "--dir", otherCa.toString(), "--subject", "CN=another ca"), err);
        record Case(String expected, String... args) {}
        List<Case> cases = List.of(
                new Case("--board: ", "--board", "no-such-board"),
                new Case("--trust-anchor: " + damaged + ": ", "--trust-anchor", damaged.toString()),
                new Case("expired", "--trust-anchor", expired.toString()),
                new Case("--trust-anchor: " + anchor + ": chain_id: expected 'other-chain' (the device's ledger.chain_id), actual '"
                        + CHAIN + "'", "--chain-id", "other-chain"),
                new Case("--trust-anchor: expected a file at", "--trust-anchor", tmp.resolve("none.json").toString()),
                new Case("online enrolment is not supported", "--ca", "https://ca.example/est"),
                new Case("expected a folder made by 'meter-agent ca init'", "--ca", tmp.resolve("no-ca").toString()),
                new Case("--mqtt: expected tcp://HOST:PORT or ssl://HOST:PORT, actual 'mqtt://x'", "--mqtt", "mqtt://x"),
                new Case("location: expected 1..64 characters", "--location", "x".repeat(65)),
                new Case("--key-store: expected software, pkcs11 or atecc608, actual 'tpm'", "--key-store", "tpm"),
                new Case("--key-store atecc608: board 'test-board' has no secure_element", "--key-store", "atecc608"),
                new Case("--certificate: the store holds no key yet", "--certificate", ca.resolve("ca-cert.pem").toString()),
                new Case("--cert-days: the certificate would outlive the authority", "--cert-days", "4000", "--ca", ca.toString()),
                new Case("its certificates would not chain to --broker-ca: expected issuer 'CN=another ca'", "--broker-ca",
                        otherCa.resolve("ca-cert.pem").toString(), "--ca", ca.toString()));
        for (Case c : cases) {
            List<String> args = new ArrayList<>(List.of(provision()));
            // The case's option takes the place of the fixture's (picocli refuses an option twice).
            int at = args.indexOf(c.args()[0]);
            if (at >= 0) {
                args.subList(at, at + 2).clear();
            }
            args.addAll(List.of(c.args()));
            assertEquals(2, run(args.toArray(String[]::new)), c.expected() + "\n" + out + err);
            assertTrue(err.contains(c.expected()), c.expected() + " in\n" + err);
            assertFalse(Files.exists(etc), "nothing written for " + c.expected());
            assertFalse(Files.exists(keys), "no key for " + c.expected());
        }
        assertEquals(2, run("provision", "--board", board.toString()), err);
        assertTrue(err.contains("needs --board, --mqtt and --trust-anchor"), err);
    }

    @Test
    void checkWithoutAnInstallationSaysSo() {
        assertEquals(1, run("provision", "--check", "--config", tmp.resolve("nothing.yaml").toString()), out);
        assertTrue(out.contains("FAIL config: no configuration at " + tmp.resolve("nothing.yaml")), out);
    }

    @Test
    void helpExplainsConfirmation() {
        assertEquals(0, run("provision", "--help"));
        String help = out.replaceAll("\\s+", " ");
        assertTrue(help.contains("type the first 8 characters of the old device id; without a terminal add --yes"), out);
    }
}
