package io.wattproof.crypto.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.Signatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against real SoftHSM2 tokens: each test gets a token of its own, in a token directory created
 * for this run, and the results are checked with OpenSC's pkcs11-tool and OpenSSL, so neither the
 * attributes nor the signatures are judged by our own code alone.
 *
 * <p>The tokens come from {@link SoftHsmTokens}, which explains why all of them are made before
 * SoftHSM2 is loaded.
 */
class Pkcs11KeyStoreIT {
    static final Path LIBRARY = SoftHsmTokens.LIBRARY;
    private static final String USER_PIN = SoftHsmTokens.USER_PIN;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);
    private static final byte[] DATA = "wattproof/v1/Reading\0meter-7\0interval 2026-11-02T10:15Z import=1234567 Wh\n"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;
    private String tokenLabel;
    private Path pinFile;

    @BeforeAll
    static void tools() {
        SoftHsmTokens.requireTool("/usr/bin/pkcs11-tool", "opensc");
        SoftHsmTokens.requireTool("/usr/bin/openssl", "openssl");
    }

    @BeforeEach
    void ownToken() throws Exception {
        tokenLabel = SoftHsmTokens.take();
        pinFile = writePin(tmp.resolve("pin"), USER_PIN, "rw-------");
    }

    private Pkcs11Config config(String keyLabel) {
        return new Pkcs11Config(LIBRARY, tokenLabel, keyLabel, pinFile);
    }

    @Test
    void createdKeyIsSensitiveNeverExtractableAndSignsVerifiably() throws Exception {
        DeviceKey key = Pkcs11KeyStore.create(config("device"), KeyAlgorithm.ECDSA_P256_SHA256, CLOCK);

        String objects = run("pkcs11-tool", "--module", LIBRARY.toString(), "--token-label", tokenLabel,
                "--login", "--pin", USER_PIN, "--list-objects", "--type", "privkey");
        List<String> access = objects.lines().filter(l -> l.strip().startsWith("Access:")).toList();
        assertEquals(1, access.size(), objects);
        List<String> flags = List.of(access.get(0).strip().substring("Access:".length()).split(","))
                .stream().map(String::strip).toList();
        assertTrue(flags.contains("sensitive") && flags.contains("always sensitive")
                && flags.contains("never extractable") && flags.contains("local"), objects);
        assertTrue(!flags.contains("extractable"), objects);
        assertTrue(objects.contains("EC"), objects);
        // The key signs and nothing else: no decrypt, unwrap or derive.
        List<String> usage = objects.lines().filter(l -> l.strip().startsWith("Usage:")).map(String::strip).toList();
        assertEquals(List.of("Usage:      sign"), usage, objects);

        byte[] raw = key.sign(DATA);
        assertEquals(64, raw.length);
        assertTrue(Signatures.isLowS(raw));
        assertTrue(Signatures.verify(KeyAlgorithm.ECDSA_P256_SHA256, key.publicKeyInfo(), DATA, raw));

        Path data = Files.write(tmp.resolve("data"), DATA);
        Path sig = Files.write(tmp.resolve("sig.der"), Signatures.rawToDer(KeyAlgorithm.ECDSA_P256_SHA256, raw));
        Path pub = Files.writeString(tmp.resolve("pub.pem"), PublicKeys.toPem(key.publicKeyInfo()));
        String verdict = run("openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature", sig.toString(), data.toString());
        assertTrue(verdict.contains("Verified OK"), verdict);
    }

    @Test
    void everySignatureIsLowS() throws Exception {
        DeviceKey key = Pkcs11KeyStore.create(config("device"), KeyAlgorithm.ECDSA_P256_SHA256, CLOCK);
        // The token picks s at random from both halves; 32 signatures all low means we normalise.
        for (int i = 0; i < 32; i++) {
            byte[] message = ("reading " + i).getBytes(StandardCharsets.US_ASCII);
            byte[] raw = key.sign(message);
            assertTrue(Signatures.isLowS(raw));
            assertTrue(key.verifyingKey().check(message, raw).isValid());
        }
    }

    @Test
    void reopeningByLabelGivesTheSameDevice() throws Exception {
        DeviceKey created = Pkcs11KeyStore.create(config("device"), KeyAlgorithm.ECDSA_P256_SHA256, CLOCK);
        DeviceKey opened = Pkcs11KeyStore.open(config("device"));
        assertEquals(created.deviceId(), opened.deviceId());
        assertTrue(created.verifyingKey().check(DATA, opened.sign(DATA)).isValid());
    }

    @Test
    void keysOfOneTokenShareOneProvider() throws Exception {
        try (DeviceKey created = Pkcs11KeyStore.create(config("device"), KeyAlgorithm.ECDSA_P256_SHA256, CLOCK);
                DeviceKey first = Pkcs11KeyStore.open(config("device"));
                DeviceKey second = Pkcs11KeyStore.open(config("device"))) {
            Pkcs11DeviceKey a = (Pkcs11DeviceKey) first;
            Pkcs11DeviceKey b = (Pkcs11DeviceKey) second;
            assertSame(((Pkcs11DeviceKey) created).provider(), a.provider());
            assertSame(a.provider(), b.provider());
            assertSame(a.session(), b.session());
            assertEquals(3, a.session().openKeys());
            assertTrue(created.verifyingKey().check(DATA, first.sign(DATA)).isValid());
            assertTrue(created.verifyingKey().check(DATA, second.sign(DATA)).isValid());
        }
    }

    @Test
    void closedKeyRefusesToSignAndTheLastCloseLogsTheTokenOut() throws Exception {
        Pkcs11KeyStore.create(config("device"), KeyAlgorithm.ECDSA_P256_SHA256, CLOCK).close();
        DeviceKey first = Pkcs11KeyStore.open(config("device"));
        Pkcs11DeviceKey second = (Pkcs11DeviceKey) Pkcs11KeyStore.open(config("device"));
        PrivateKey handle = second.handle();

        first.close();
        Pkcs11Failure.KeyClosed e = assertThrows(Pkcs11Failure.KeyClosed.class, () -> first.sign(DATA));
        assertEquals("pkcs#11 key 'device' on token '" + tokenLabel
                + "': expected an open key, found it closed; open it again with Pkcs11KeyStore.open", e.getMessage());
        // The other key's share keeps the token logged in.
        assertTrue(second.verifyingKey().check(DATA, second.sign(DATA)).isValid());
        assertEquals(1, second.session().openKeys());

        Signature direct = Signature.getInstance(Pkcs11DeviceKey.SIGNATURE_ALGORITHM, second.provider());
        direct.initSign(handle);
        direct.update(DATA);
        assertEquals(64, direct.sign().length, "the handle signs while the token is logged in");

        second.close();
        second.close();
        assertEquals(0, second.session().openKeys());
        assertThrows(Pkcs11Failure.KeyClosed.class, () -> second.sign(DATA));
        // The token itself no longer lets this process use the private object: C_Logout happened.
        assertThrows(Exception.class, () -> {
            direct.initSign(handle);
            direct.update(DATA);
            direct.sign();
        });

        try (DeviceKey reopened = Pkcs11KeyStore.open(config("device"))) {
            assertEquals(second.deviceId(), reopened.deviceId());
            assertTrue(second.verifyingKey().check(DATA, reopened.sign(DATA)).isValid());
            assertSame(second.provider(), ((Pkcs11DeviceKey) reopened).provider());
        }
    }

    @Test
    void anotherPinIsRefusedWhileKeysAreOpenAndJudgedByTheTokenAfterwards() throws Exception {
        Path wrong = writePin(tmp.resolve("wrong-pin"), "999999", "rw-------");
        Pkcs11Config withWrongPin = new Pkcs11Config(LIBRARY, tokenLabel, "device", wrong);
        DeviceKey key = Pkcs11KeyStore.create(config("device"), KeyAlgorithm.ECDSA_P256_SHA256, CLOCK);
        // SunPKCS11 would accept any pin while the token is logged in; the session compares it.
        Pkcs11Failure.PinDiffers differs = assertThrows(Pkcs11Failure.PinDiffers.class, () -> Pkcs11KeyStore.open(withWrongPin));
        assertTrue(differs.getMessage().contains(wrong.toString()) && !differs.getMessage().contains("999999"), differs.getMessage());
        assertEquals(1, ((Pkcs11DeviceKey) key).session().openKeys(), "a refused open holds no share");
        key.close();
        assertThrows(Pkcs11Failure.LoginRefused.class, () -> Pkcs11KeyStore.open(withWrongPin));
        try (DeviceKey again = Pkcs11KeyStore.open(config("device"))) {
            assertEquals(key.deviceId(), again.deviceId());
        }
    }

    @Test
    void creatingTwiceIsRefused() throws Exception {
        DeviceKey first = Pkcs11KeyStore.create(config("device"), KeyAlgorithm.ECDSA_P256_SHA256, CLOCK);
        Pkcs11Failure.KeyExists e = assertThrows(Pkcs11Failure.KeyExists.class,
                () -> Pkcs11KeyStore.create(config("device"), KeyAlgorithm.ECDSA_P256_SHA256, CLOCK));
        assertTrue(e.getMessage().contains("'device'"), e.getMessage());
        assertEquals(first.deviceId(), Pkcs11KeyStore.open(config("device")).deviceId());
    }

    @Test
    void openingAMissingLabelNamesIt() {
        Pkcs11Failure.KeyNotFound e = assertThrows(Pkcs11Failure.KeyNotFound.class, () -> Pkcs11KeyStore.open(config("nothing")));
        assertTrue(e.getMessage().contains("'nothing'"), e.getMessage());
    }

    @Test
    void wrongPinIsALoginFailure() throws Exception {
        // SoftHSM2 2.6 counts failed logins but does not lock the user PIN, so the token stays usable.
        Path wrong = writePin(tmp.resolve("wrong-pin"), "999999", "rw-------");
        Pkcs11Failure.LoginRefused e = assertThrows(Pkcs11Failure.LoginRefused.class,
                () -> Pkcs11KeyStore.create(new Pkcs11Config(LIBRARY, tokenLabel, "device", wrong), KeyAlgorithm.ECDSA_P256_SHA256, CLOCK));
        assertTrue(e.getMessage().contains(tokenLabel) && !e.getMessage().contains("999999"), e.getMessage());
        Pkcs11KeyStore.create(config("device"), KeyAlgorithm.ECDSA_P256_SHA256, CLOCK);
    }

    @Test
    void pinFileReadableByOthersIsRefused() throws Exception {
        Path open = writePin(tmp.resolve("open-pin"), USER_PIN, "rw-r--r--");
        Pkcs11Failure.BadPinFile e = assertThrows(Pkcs11Failure.BadPinFile.class,
                () -> Pkcs11KeyStore.open(new Pkcs11Config(LIBRARY, tokenLabel, "device", open)));
        assertTrue(e.getMessage().contains("0644"), e.getMessage());
    }

    @Test
    void unknownTokenLabelListsThePresentOnes() {
        Pkcs11Failure.UnknownToken e = assertThrows(Pkcs11Failure.UnknownToken.class,
                () -> Pkcs11KeyStore.open(new Pkcs11Config(LIBRARY, "no-such-token", "device", pinFile)));
        assertTrue(e.present().contains(tokenLabel), e.getMessage());
    }

    @Test
    void missingLibraryIsNamed() {
        Path missing = tmp.resolve("libnothing.so");
        Pkcs11Failure.LibraryUnavailable e = assertThrows(Pkcs11Failure.LibraryUnavailable.class,
                () -> Pkcs11KeyStore.open(new Pkcs11Config(missing, tokenLabel, "device", pinFile)));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void libraryThatIsNotPkcs11IsNamed() throws Exception {
        Path notAModule = Files.write(tmp.resolve("libfake.so"), new byte[] {1, 2, 3});
        Pkcs11Failure.LibraryUnavailable e = assertThrows(Pkcs11Failure.LibraryUnavailable.class,
                () -> Pkcs11KeyStore.open(new Pkcs11Config(notAModule, tokenLabel, "device", pinFile)));
        assertTrue(e.getMessage().contains(notAModule.toString()), e.getMessage());
    }

    @Test
    void ed25519IsRefusedWithAReason() {
        Pkcs11Failure.UnsupportedAlgorithm e = assertThrows(Pkcs11Failure.UnsupportedAlgorithm.class,
                () -> Pkcs11KeyStore.create(config("device"), KeyAlgorithm.ED25519, CLOCK));
        assertTrue(e.getMessage().contains("EdDSA"), e.getMessage());
    }

    private static Path writePin(Path file, String pin, String mode) throws IOException {
        return SoftHsmTokens.writePin(file, pin, mode);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        return SoftHsmTokens.run(command);
    }
}
