package io.wattproof.crypto.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinFileTest {
    @TempDir
    Path tmp;

    private Path pin(String text, String mode) throws Exception {
        Path file = Files.writeString(tmp.resolve("pin"), text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void trailingLineBreaksAreNotPartOfThePin() throws Exception {
        assertArrayEquals("12 34".toCharArray(), PinFile.read(pin("12 34\r\n\n", "rw-------")));
        assertArrayEquals("1234".toCharArray(), PinFile.read(pin("1234", "r--------")));
    }

    @Test
    void groupOrOthersAccessIsRefusedWithTheMode() throws Exception {
        for (String mode : new String[] {"rw-r-----", "rw----r--", "rw-----w-", "rw---x---"}) {
            Pkcs11Failure.BadPinFile e = assertThrows(Pkcs11Failure.BadPinFile.class, () -> PinFile.read(pin("1234", mode)));
            assertTrue(e.getMessage().contains("mode 0600 or 0400") && !e.getMessage().contains("1234"), e.getMessage());
        }
    }

    @Test
    void missingEmptyOrDirectoryIsRefused() throws Exception {
        Pkcs11Failure.BadPinFile missing = assertThrows(Pkcs11Failure.BadPinFile.class, () -> PinFile.read(tmp.resolve("none")));
        assertTrue(missing.getMessage().contains("found none"), missing.getMessage());
        Pkcs11Failure.BadPinFile empty = assertThrows(Pkcs11Failure.BadPinFile.class, () -> PinFile.read(pin("\n", "rw-------")));
        assertTrue(empty.getMessage().contains("an empty file"), empty.getMessage());
        Pkcs11Failure.BadPinFile directory = assertThrows(Pkcs11Failure.BadPinFile.class, () -> PinFile.read(tmp));
        assertTrue(directory.getMessage().contains("a directory"), directory.getMessage());
    }

    @Test
    void configRefusesLabelsTheTokenCannotHold() {
        Path p = Path.of("x");
        assertThrows(IllegalArgumentException.class, () -> new Pkcs11Config(p, "x".repeat(33), "device", p));
        assertThrows(IllegalArgumentException.class, () -> new Pkcs11Config(p, " ", "device", p));
        assertThrows(IllegalArgumentException.class, () -> new Pkcs11Config(p, "token", "two words", p));
        new Pkcs11Config(p, "x".repeat(32), "device", p);
    }
}
