package io.wattproof.simulator.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.simulator.verify.Verdict.Verified;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checks the dump with the system openssl, the tool a third party would use, not with our code. */
class RecordDumpTest {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    @TempDir
    Path dir;

    private List<Verified> verifiedChain(TestDevice d, ReadingVerifier verifier, int n) {
        List<Verified> out = new ArrayList<>();
        for (byte[] payload : d.chain(n)) {
            out.add(assertInstanceOf(Verified.class, verifier.accept(payload)));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void opensslVerifiesEveryDumpedRecordAndRejectsAChangedOne(KeyAlgorithm algorithm) throws Exception {
        assumeTrue(Files.isExecutable(OPENSSL), "needs " + OPENSSL + " (Debian package openssl)");
        ReadingVerifier verifier = new ReadingVerifier(TestDevice.CHAIN_ID);
        TestDevice d = TestDevice.create(algorithm);
        RegisteredKey key = verifier.register(d.id, algorithm, d.spki);
        RecordDump dump = new RecordDump(dir);
        // Eight records: with ECDSA most have r or s with the top bit set, exercising the DER padding.
        for (Verified v : verifiedChain(d, verifier, 8)) {
            dump.write(key, v);
        }

        Path deviceDir = dir.resolve(d.id.hex());
        for (int seq = 1; seq <= 8; seq++) {
            assertEquals(0, openssl(algorithm, deviceDir, seq + ".signbytes", seq + ".sig"), "record " + seq);
        }

        byte[] changed = Files.readAllBytes(deviceDir.resolve("7.signbytes"));
        changed[changed.length - 1] ^= 0x01;
        Files.write(deviceDir.resolve("7.changed"), changed);
        assertNotEquals(0, openssl(algorithm, deviceDir, "7.changed", "7.sig"));
        assertNotEquals(0, openssl(algorithm, deviceDir, "6.signbytes", "7.sig"));
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aPileSessionRecordIsDumpedAndVerifiedLikeAReading(KeyAlgorithm algorithm) throws Exception {
        assumeTrue(Files.isExecutable(OPENSSL), "needs " + OPENSSL + " (Debian package openssl)");
        ReadingVerifier verifier = new ReadingVerifier(TestDevice.CHAIN_ID);
        TestDevice d = TestDevice.create(algorithm);
        RegisteredKey key = verifier.register(d.id, algorithm, d.spki);
        RecordDump dump = new RecordDump(dir);
        Reading first = d.readings(1).get(0);
        ChargingSession session = d.session(2, SignBytes.recordHash(TestDevice.signBytes(first)), first.getIntervalStart(),
                first.getIntervalStart() + 900);
        dump.write(key, assertInstanceOf(Verified.class, verifier.accept(d.payload(first))));
        dump.write(key, assertInstanceOf(Verified.class, verifier.accept(d.payload(session))));

        Path deviceDir = dir.resolve(d.id.hex());
        assertArrayEquals(TestDevice.signBytes(session), Files.readAllBytes(deviceDir.resolve("2.signbytes")));
        assertEquals(0, openssl(algorithm, deviceDir, "2.signbytes", "2.sig"));
        assertNotEquals(0, openssl(algorithm, deviceDir, "1.signbytes", "2.sig"));
    }

    @Test
    void layoutIsSignBytesSignatureAndOnePemPerDevice() throws IOException {
        ReadingVerifier verifier = new ReadingVerifier(TestDevice.CHAIN_ID);
        TestDevice d = TestDevice.create(KeyAlgorithm.ECDSA_P256_SHA256);
        RegisteredKey key = verifier.register(d.id, d.algorithm, d.spki);
        RecordDump dump = new RecordDump(dir);
        List<Verified> chain = verifiedChain(d, verifier, 2);
        dump.write(key, chain.get(0));
        dump.write(key, chain.get(1));
        dump.write(key, chain.get(1)); // rewriting is harmless

        Path deviceDir = dump.directoryOf(d.id);
        try (Stream<Path> files = Files.list(deviceDir)) {
            assertEquals(List.of("1.sig", "1.signbytes", "2.sig", "2.signbytes", "public.pem"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
        assertArrayEquals(chain.get(1).signBytes(), Files.readAllBytes(deviceDir.resolve("2.signbytes")));
        assertArrayEquals(io.wattproof.crypto.Signatures.rawToDer(KeyAlgorithm.ECDSA_P256_SHA256, chain.get(1).signature()), Files.readAllBytes(deviceDir.resolve("2.sig")));

        List<String> pem = Files.readAllLines(deviceDir.resolve("public.pem"), StandardCharsets.US_ASCII);
        assertEquals("-----BEGIN PUBLIC KEY-----", pem.get(0));
        assertEquals("-----END PUBLIC KEY-----", pem.get(pem.size() - 1));
        for (String line : pem.subList(1, pem.size() - 2)) {
            assertEquals(64, line.length(), "full base64 lines are 64 characters");
        }
        assertTrue(pem.get(pem.size() - 2).length() <= 64);
        String base64 = String.join("", pem.subList(1, pem.size() - 1));
        assertArrayEquals(d.spki, Base64.getDecoder().decode(base64));
    }

    @Test
    void ed25519SignaturesAreWrittenRaw() throws IOException {
        ReadingVerifier verifier = new ReadingVerifier(TestDevice.CHAIN_ID);
        TestDevice d = TestDevice.create(KeyAlgorithm.ED25519);
        RegisteredKey key = verifier.register(d.id, d.algorithm, d.spki);
        Verified v = verifiedChain(d, verifier, 1).get(0);
        new RecordDump(dir).write(key, v);
        assertArrayEquals(v.signature(), Files.readAllBytes(dir.resolve(d.id.hex()).resolve("1.sig")));
    }

    @Test
    void aKeyOfAnotherDeviceIsRefused() {
        ReadingVerifier verifier = new ReadingVerifier(TestDevice.CHAIN_ID);
        TestDevice d = TestDevice.create(KeyAlgorithm.ED25519);
        TestDevice other = TestDevice.create(KeyAlgorithm.ED25519);
        verifier.register(d.id, d.algorithm, d.spki);
        RegisteredKey otherKey = verifier.register(other.id, other.algorithm, other.spki);
        Verified v = verifiedChain(d, verifier, 1).get(0);
        assertThrows(IllegalArgumentException.class, () -> new RecordDump(dir).write(otherKey, v));
    }

    private static int openssl(KeyAlgorithm algorithm, Path workDir, String data, String signature) throws Exception {
        List<String> command = switch (algorithm) {
            case ECDSA_P256_SHA256 -> List.of(OPENSSL.toString(), "dgst", "-sha256", "-verify", "public.pem",
                    "-signature", signature, data);
            case ED25519 -> List.of(OPENSSL.toString(), "pkeyutl", "-verify", "-pubin", "-inkey", "public.pem",
                    "-rawin", "-in", data, "-sigfile", signature);
            // OpenSSL 3.0 does not default to the GB/T 35276 user id; without distid it reports a failure.
            case SM2_SM3 -> List.of(OPENSSL.toString(), "dgst", "-sm3", "-verify", "public.pem", "-signature", signature,
                    "-sigopt", "distid:1234567812345678", data);
        };
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl finished");
        return p.exitValue();
    }
}
