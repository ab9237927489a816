package io.wattproof.agent.charging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.AtomicFiles;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenKeyReadsBackAsTheSamePairOwnerOnly() throws Exception {
        RecipientKeyPair key = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, new SecureRandom());
        Path file = dir.resolve("pile-seal.key");
        SealKeyFile.write(file, key);
        assertEquals(AtomicFiles.OWNER_ONLY, Files.getPosixFilePermissions(file));
        assertEquals(65, Files.size(file), "64 hex characters and a line end");
        RecipientKeyPair read = SealKeyFile.read(file);
        assertArrayEquals(key.publicKey().encoded(), read.publicKey().encoded());
    }

    @Test
    void contentThatIsNoKeyIsRefusedWithoutShowingIt() throws Exception {
        Path file = dir.resolve("bad.key");
        Files.writeString(file, "secret-ish " + "ab".repeat(20));
        IOException e = assertThrows(IOException.class, () -> SealKeyFile.read(file));
        assertTrue(e.getMessage().contains("expected 64 lowercase hex characters"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-ish"));
        assertThrows(IOException.class, () -> SealKeyFile.read(dir.resolve("absent.key")));
        RecipientKeyPair p256 = RecipientKeyPair.generate(Kem.P256_HKDF_SHA256, new SecureRandom());
        assertThrows(IllegalArgumentException.class, () -> SealKeyFile.write(dir.resolve("p.key"), p256));
    }
}
