package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.atecc608.Atecc608Driver;
import io.wattproof.crypto.atecc608.Atecc608I2cDouble;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keys create|show|sign --store atecc608} against the ATECC608 test double, put where the
 * command would otherwise open Pi4J; one case goes through the real Pi4J path to a bus that is not
 * there. Nothing here ran against a real chip.
 */
class KeysCommandAtecc608Test extends CommandLineTest {
    @TempDir
    Path tmp;

    private final Atecc608I2cDouble chip = Atecc608I2cDouble.personalised();
    private final List<String> opened = new ArrayList<>();

    private void useDouble(Atecc608I2cDouble c) {
        KeysCommand.atecc608Chips = (bus, address) -> {
            opened.add(bus + "/0x" + Integer.toHexString(address));
            return new Atecc608Driver(c, address, c.pause());
        };
    }

    @AfterEach
    void restore() {
        KeysCommand.atecc608Chips = Atecc608OnPi4j::open;
    }

    private static String[] cmd(String sub, String... more) {
        List<String> args = new ArrayList<>(List.of("keys", sub, "--store", "atecc608"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void createShowSignAndOpenSslVerifies() throws Exception {
        useDouble(chip);
        assertEquals(0, run(cmd("create", "--slot", "2")), err);
        assertTrue(out.contains("atecc608 serial number: " + HexFormat.of().formatHex(Atecc608I2cDouble.SERIAL_NUMBER)), out);
        assertTrue(out.contains("algorithm: ECDSA_P256_SHA256"), out);
        assertEquals(List.of("1/0x60"), opened, "defaults: bus 1, address 0x60");

        assertEquals(0, run(cmd("show", "--slot", "2", "--pem")), err);
        Path pem = tmp.resolve("key.pem");
        Files.writeString(pem, out);
        byte[] spki = PublicKeys.subjectPublicKeyInfoFromPem(out);
        assertArrayEquals(HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d03010703420004"),
                java.util.Arrays.copyOf(spki, 27));
        assertArrayEquals(chip.slotPublicKey(2), java.util.Arrays.copyOfRange(spki, 27, 91));

        Path data = tmp.resolve("data.bin");
        Files.write(data, "a meter's reading, signed by the secure element".getBytes(StandardCharsets.UTF_8));
        Path sig = tmp.resolve("data.sig");
        assertEquals(0, run(cmd("sign", "--slot", "2", "--in", data.toString(), "--out", sig.toString())), err);
        byte[] raw = Signatures.derToRaw(KeyAlgorithm.ECDSA_P256_SHA256, Files.readAllBytes(sig));
        assertTrue(Signatures.isLowS(raw));
        assertTrue(Signatures.verify(KeyAlgorithm.ECDSA_P256_SHA256, spki, Files.readAllBytes(data), raw));
        Process openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", pem.toString(), "-signature", sig.toString(),
                data.toString()).redirectErrorStream(true).start();
        assertTrue(openssl.waitFor(20, TimeUnit.SECONDS));
        String said = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(said.contains("Verified OK"), said);
    }

    @Test
    void busAndAddressReachTheChipOpener() {
        useDouble(Atecc608I2cDouble.personalised());
        run(cmd("show", "--i2c-bus", "3", "--i2c-address", "0x35"));
        assertEquals(List.of("3/0x35"), opened);
        assertTrue(err.contains("atecc608 at 0x35 wake"), err);
    }

    @Test
    void anExistingKeyIsKeptUnlessForced() {
        useDouble(chip);
        assertEquals(0, run(cmd("create")), err);
        byte[] first = chip.slotPublicKey(0);
        assertEquals(1, run(cmd("create")));
        assertTrue(err.contains("error: atecc608 at 0x60 slot 0: expected no key, found one"), err);
        assertArrayEquals(first, chip.slotPublicKey(0));

        assertEquals(0, run(cmd("create", "--force")), err);
        assertTrue(out.contains("--force: the key in slot 0, if any, is replaced"), out);
        assertNotEquals(HexFormat.of().formatHex(first), HexFormat.of().formatHex(chip.slotPublicKey(0)));
    }

    @Test
    void anUnlockedChipIsRefusedAndSaidSo() {
        useDouble(Atecc608I2cDouble.unlocked());
        assertEquals(1, run(cmd("create")));
        assertTrue(err.contains("config zone: expected locked"), err);
        assertTrue(err.contains("(unlocked)"), err);
    }

    @Test
    void optionsAreChecked() {
        useDouble(chip);
        assertEquals(2, run(cmd("show", "--slot", "16")));
        assertTrue(err.contains("--slot: expected 0..15, actual 16"), err);
        assertEquals(2, run(cmd("show", "--i2c-address", "0x80")));
        assertTrue(err.contains("--i2c-address: expected a 7-bit address 0x08..0x77 (e.g. 0x60), actual '0x80'"), err);
        assertEquals(2, run(cmd("create", "--alg", "ed25519")));
        assertTrue(err.contains("--alg: the atecc608 makes p256 keys only"), err);
        assertTrue(opened.isEmpty(), "nothing opened for refused options");
    }

    @Test
    void withoutTheBusThePi4jPathSaysSo() {
        // The real opener: Pi4J with the linuxfs provider, on a bus number no machine here has.
        assertEquals(1, run(cmd("show", "--i2c-bus", "97")));
        assertTrue(err.contains("error: i2c bus 97: "), err);
        assertTrue(err.contains("/dev/i2c-97") || err.contains("no i2c provider is available"), err);
    }
}
