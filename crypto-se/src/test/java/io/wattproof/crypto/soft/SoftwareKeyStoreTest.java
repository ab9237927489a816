package io.wattproof.crypto.soft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.PublicKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SoftwareKeyStoreTest {
    private static final byte[] MESSAGE = "wattproof/v1/Reading\0chain\0body".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;
    Path dir;
    Path secret;

    @BeforeEach
    void setUp() throws KeyStoreFailure {
        dir = tmp.resolve("state").resolve("keys");
        secret = tmp.resolve("secret");
        assertTrue(SoftwareKeyStore.createSecret(secret));
    }

    private Path privateFile() {
        return dir.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE);
    }

    private Path publicFile() {
        return dir.resolve(SoftwareKeyStore.PUBLIC_KEY_FILE);
    }

    /** Every file in {@code dir} by name, with its content: "state unchanged" means equal snapshots. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                files.put(p.getFileName().toString(), HexFormat.of().formatHex(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    // --- round trip ------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void createThenOpenGivesTheSameKey(KeyAlgorithm algorithm) throws Exception {
        DeviceKey created = SoftwareKeyStore.create(dir, algorithm, secret);
        DeviceKey opened = SoftwareKeyStore.open(dir, secret);

        assertEquals(algorithm, opened.algorithm());
        assertEquals(created.deviceId(), opened.deviceId());
        assertArrayEquals(created.publicKeyInfo(), opened.publicKeyInfo());
        assertEquals(DeviceId.fromPublicKeyInfo(opened.publicKeyInfo()), opened.deviceId());
        assertTrue(created.verifyingKey().verify(MESSAGE, opened.sign(MESSAGE)));
        assertTrue(opened.verifyingKey().verify(MESSAGE, created.sign(MESSAGE)));
        // ECDSA and Ed25519 are deterministic (RFC 6979, RFC 8032), so the two objects sign
        // identically; SM2 draws k at random (GB/T 32918.2 §6.1 A3), so only verification can tell.
        if (algorithm != KeyAlgorithm.SM2_SM3) {
            assertArrayEquals(created.sign(MESSAGE), opened.sign(MESSAGE));
        }
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void writesOwnerOnlyFilesInTheDocumentedFormats(KeyAlgorithm algorithm) throws Exception {
        DeviceKey key = SoftwareKeyStore.create(dir, algorithm, secret);

        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(privateFile()));
        assertEquals("rw-------", mode(publicFile()));
        assertEquals("rw-------", mode(secret));
        assertEquals(2, snapshot().size(), "no temporary file left behind: " + snapshot().keySet());

        String privatePem = Files.readString(privateFile());
        assertTrue(privatePem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"), privatePem);
        assertEquals(PublicKeys.toPem(key.publicKeyInfo()), Files.readString(publicFile()));
    }

    @Test
    void createSecretWritesRandomHexOnceAndKeepsAnExistingSecret() throws Exception {
        String first = Files.readString(secret);
        assertTrue(first.matches("[0-9a-f]{64}\n"), first);
        assertFalse(SoftwareKeyStore.createSecret(secret));
        assertEquals(first, Files.readString(secret));

        Path other = tmp.resolve("etc").resolve("secret");
        assertTrue(SoftwareKeyStore.createSecret(other));
        assertEquals("rwx------", mode(other.getParent()));
        assertFalse(first.equals(Files.readString(other)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "\r\n", "\n\n"})
    void trailingLineBreaksOfTheSecretAreNotPartOfIt(String ending) throws Exception {
        String text = "correct horse battery staple, forty-two chars";
        Path handWritten = tmp.resolve("hand-written");
        Files.writeString(handWritten, text + "\n");
        Files.setPosixFilePermissions(handWritten, PosixFilePermissions.fromString("r--------"));
        DeviceKey created = SoftwareKeyStore.create(dir, KeyAlgorithm.ED25519, handWritten);

        Files.setPosixFilePermissions(handWritten, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(handWritten, text + ending);
        assertEquals(created.deviceId(), SoftwareKeyStore.open(dir, handWritten).deviceId());
    }

    // --- refusals that change nothing ------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void refusesToOverwriteAnExistingKey(KeyAlgorithm algorithm) throws Exception {
        DeviceKey first = SoftwareKeyStore.create(dir, algorithm, secret);
        Map<String, String> before = snapshot();

        var e = assertThrows(SoftKeyStoreFailure.AlreadyExists.class, () -> SoftwareKeyStore.create(dir, algorithm, secret));
        assertEquals(privateFile(), e.file());
        assertTrue(e.getMessage().startsWith("device key file already exists: expected no file at " + privateFile()), e.getMessage());
        assertEquals(before, snapshot());

        // A lone public key file is an identity too.
        Files.delete(privateFile());
        var lone = assertThrows(SoftKeyStoreFailure.AlreadyExists.class, () -> SoftwareKeyStore.create(dir, algorithm, secret));
        assertEquals(publicFile(), lone.file());
        assertEquals(first.deviceId(), PublicKeys.fromPem(Files.readString(publicFile())).deviceId());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void wrongSecretIsRefusedAndNamesBothFiles(KeyAlgorithm algorithm) throws Exception {
        SoftwareKeyStore.create(dir, algorithm, secret);
        Map<String, String> before = snapshot();
        Path otherSecret = tmp.resolve("other-secret");
        SoftwareKeyStore.createSecret(otherSecret);

        var e = assertThrows(SoftKeyStoreFailure.WrongSecret.class, () -> SoftwareKeyStore.open(dir, otherSecret));
        assertEquals(privateFile(), e.file());
        assertEquals(otherSecret, e.secretFile());
        assertEquals("cannot decrypt " + privateFile() + " with the secret in " + otherSecret
                + ": expected the secret the key was created with, found another one (or a damaged ciphertext)", e.getMessage());
        assertFalse(e.getMessage().contains(Files.readString(otherSecret).strip()));
        assertEquals(before, snapshot());
        SoftwareKeyStore.open(dir, secret); // still opens with the right one
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----", "r-----r--"})
    void refusesASecretThatGroupOrOthersCanAccess(String permissions) throws Exception {
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString(permissions));
        String mode = io.wattproof.crypto.OwnerOnlyFile.octal(PosixFilePermissions.fromString(permissions));

        var onCreate = assertThrows(SoftKeyStoreFailure.InsecurePermissions.class,
                () -> SoftwareKeyStore.create(dir, KeyAlgorithm.ECDSA_P256_SHA256, secret));
        assertEquals("secret file " + secret + " is accessible by group or others: expected mode 0600 or 0400, found " + mode,
                onCreate.getMessage());
        assertEquals(mode, onCreate.actualMode());
        assertFalse(Files.exists(dir), "a refused create leaves nothing behind");

        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        SoftwareKeyStore.create(dir, KeyAlgorithm.ECDSA_P256_SHA256, secret);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString(permissions));
        var onOpen = assertThrows(SoftKeyStoreFailure.InsecurePermissions.class, () -> SoftwareKeyStore.open(dir, secret));
        assertEquals(secret, onOpen.file());
    }

    @Test
    void mode0644IsShownAsSuch() throws Exception {
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        var e = assertThrows(SoftKeyStoreFailure.InsecurePermissions.class, () -> SoftwareKeyStore.open(dir, secret));
        assertTrue(e.getMessage().endsWith("expected mode 0600 or 0400, found 0644"), e.getMessage());
    }

    @Test
    void aKeyWithFewerRoundsOpensLikeAnyOtherAndCountsOutsideTheRangeAreRefused() throws Exception {
        DeviceKey created = SoftwareKeyStore.create(dir, KeyAlgorithm.ED25519, secret, SoftwareKeyStore.MIN_PBKDF2_ITERATIONS);
        try (DeviceKey opened = SoftwareKeyStore.open(dir, secret)) {
            assertEquals(created.deviceId(), opened.deviceId());
        }
        Path other = tmp.resolve("other");
        var low = assertThrows(IllegalArgumentException.class, () -> SoftwareKeyStore.create(other, KeyAlgorithm.ED25519, secret, 999));
        assertEquals("iterations: expected 1000..100000, got 999", low.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SoftwareKeyStore.create(other, KeyAlgorithm.ED25519, secret, 100_001));
        assertFalse(Files.exists(other), "nothing is written for a refused count");
    }

    @Test
    void refusesAShortSecret() throws Exception {
        Path weak = tmp.resolve("weak");
        Files.writeString(weak, "hunter2\n");
        Files.setPosixFilePermissions(weak, PosixFilePermissions.fromString("rw-------"));
        var e = assertThrows(SoftKeyStoreFailure.CorruptFile.class, () -> SoftwareKeyStore.create(dir, KeyAlgorithm.ED25519, weak));
        assertEquals("corrupt file " + weak + ": expected a secret of at least 32 characters, found 7 characters", e.getMessage());
    }

    @Test
    void namesMissingFiles() throws Exception {
        var noSecret = assertThrows(SoftKeyStoreFailure.MissingFile.class, () -> SoftwareKeyStore.open(dir, tmp.resolve("nope")));
        assertEquals("secret file missing: expected a file at " + tmp.resolve("nope") + ", found none", noSecret.getMessage());

        var noKey = assertThrows(SoftKeyStoreFailure.MissingFile.class, () -> SoftwareKeyStore.open(dir, secret));
        assertEquals("private key", noKey.role());
        assertEquals(privateFile(), noKey.file());

        SoftwareKeyStore.create(dir, KeyAlgorithm.ECDSA_P256_SHA256, secret);
        Files.delete(publicFile());
        var noPublic = assertThrows(SoftKeyStoreFailure.MissingFile.class, () -> SoftwareKeyStore.open(dir, secret));
        assertEquals("public key", noPublic.role());
    }

    @Test
    void corruptPrivateKeyPemIsNamed() throws Exception {
        SoftwareKeyStore.create(dir, KeyAlgorithm.ECDSA_P256_SHA256, secret);
        String good = Files.readString(privateFile());

        Files.writeString(privateFile(), "this is not a key\n");
        var noBlock = assertThrows(SoftKeyStoreFailure.CorruptFile.class, () -> SoftwareKeyStore.open(dir, secret));
        assertEquals("corrupt file " + privateFile() + ": expected an ENCRYPTED PRIVATE KEY pem block, found no pem block",
                noBlock.getMessage());

        Files.writeString(privateFile(), good.replace("ENCRYPTED PRIVATE KEY", "PRIVATE KEY"));
        var type = assertThrows(SoftKeyStoreFailure.CorruptFile.class, () -> SoftwareKeyStore.open(dir, secret));
        assertEquals("pem type ENCRYPTED PRIVATE KEY", type.expected());
        assertEquals("pem type PRIVATE KEY", type.found());

        String[] lines = good.split("\n");
        lines[2] = lines[2].substring(0, 10) + "!!" + lines[2].substring(12);
        Files.writeString(privateFile(), String.join("\n", lines) + "\n");
        var body = assertThrows(SoftKeyStoreFailure.CorruptFile.class, () -> SoftwareKeyStore.open(dir, secret));
        assertTrue(body.getMessage().startsWith("corrupt file " + privateFile() + ": expected an ENCRYPTED PRIVATE KEY pem block, found"),
                body.getMessage());

        Files.writeString(privateFile(), good.substring(0, good.length() / 2));
        assertThrows(SoftKeyStoreFailure.CorruptFile.class, () -> SoftwareKeyStore.open(dir, secret));
    }

    @Test
    void corruptPublicKeyPemIsNamed() throws Exception {
        SoftwareKeyStore.create(dir, KeyAlgorithm.ED25519, secret);
        Files.writeString(publicFile(), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        var e = assertThrows(SoftKeyStoreFailure.CorruptFile.class, () -> SoftwareKeyStore.open(dir, secret));
        assertEquals(publicFile(), e.file());
        assertEquals("a PUBLIC KEY pem block", e.expected());
        assertTrue(e.found().startsWith("public key pem: expected one block"), e.found());
    }

    @Test
    void publicKeyOfAnotherDeviceIsDetected() throws Exception {
        DeviceKey mine = SoftwareKeyStore.create(dir, KeyAlgorithm.ECDSA_P256_SHA256, secret);
        Path otherDir = tmp.resolve("other");
        DeviceKey other = SoftwareKeyStore.create(otherDir, KeyAlgorithm.ECDSA_P256_SHA256, secret);
        Files.copy(otherDir.resolve(SoftwareKeyStore.PUBLIC_KEY_FILE), publicFile(), StandardCopyOption.REPLACE_EXISTING);

        var e = assertThrows(SoftKeyStoreFailure.PublicKeyMismatch.class, () -> SoftwareKeyStore.open(dir, secret));
        assertEquals(mine.deviceId(), e.expected());
        assertEquals(other.deviceId(), e.found());
        assertEquals("public key file " + publicFile() + " does not match the private key: expected device id "
                + mine.deviceId() + ", found " + other.deviceId(), e.getMessage());
    }

    @Test
    void toStringAndMessagesNeverShowTheSecret() throws Exception {
        DeviceKey key = SoftwareKeyStore.create(dir, KeyAlgorithm.ECDSA_P256_SHA256, secret);
        String secretText = Files.readString(secret).strip();
        assertEquals("SoftwareDeviceKey[algorithm=ECDSA_P256_SHA256, deviceId=" + key.deviceId() + "]", key.toString());
        assertFalse(key.toString().contains(secretText));
    }
}
