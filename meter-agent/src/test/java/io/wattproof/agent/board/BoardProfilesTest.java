package io.wattproof.agent.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.board.BoardProfile.KeyStoreKind;
import io.wattproof.agent.board.BoardProfile.Level;
import io.wattproof.agent.board.BoardProfile.Pull;
import io.wattproof.modbus.transport.SerialLineConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardProfilesTest {
    @TempDir
    Path dir;

    @Test
    void everyBuiltInProfileLoadsUnderItsFileName() {
        List<String> names = BoardProfiles.builtIn().stream().map(BoardProfile::name).toList();
        assertEquals(List.of("raspberry-pi-4b", "raspberry-pi-5", "cm4-industrial", "generic-arm-usb", "desktop-sim"),
                names);
        for (BoardProfile p : BoardProfiles.builtIn()) {
            assertEquals(p.name() + ".yaml", p.origin());
            assertEquals(p, BoardProfiles.find(p.name().toUpperCase(java.util.Locale.ROOT)).orElseThrow());
        }
    }

    @Test
    void raspberryPi4bUsesTheHeaderUartWithAutomaticDirection() throws Exception {
        BoardProfile p = BoardProfiles.resolve("raspberry-pi-4b");
        assertEquals(BoardProfile.GpioHeader.RASPBERRY_PI_40_PIN, p.gpioHeader());
        assertEquals(new BoardProfile.OutputPin(22, Level.HIGH), p.gpio().statusLed().orElseThrow());
        assertEquals(new BoardProfile.OutputPin(27, Level.HIGH), p.gpio().relay().orElseThrow());
        assertEquals(new BoardProfile.InputPin(5, Level.LOW, Pull.UP), p.gpio().tamper().orElseThrow());
        assertEquals(new BoardProfile.S0Input(6, Level.LOW, Pull.UP, 1000, 10), p.gpio().s0().orElseThrow());
        assertEquals(new SerialLineConfig("/dev/ttyS0", 9600, 8, SerialLineConfig.Parity.NONE, 1,
                new SerialLineConfig.Direction.None()), p.serial());
        assertEquals(Optional.empty(), p.secureElement());
        assertEquals(KeyStoreKind.SOFTWARE, p.keyStore());
        assertEquals(new BoardProfile.MeterLink("SDM630", 1), p.meter());
        assertEquals(Duration.ofMinutes(15), p.interval());
        assertEquals(new BoardProfile.DataPaths(Path.of("/var/lib/wattproof"), Path.of("/var/lib/wattproof/keys"),
                Path.of("/etc/wattproof")), p.paths());
    }

    @Test
    void theOtherBuiltInsDifferWhereTheirHardwareDoes() throws Exception {
        assertEquals(new SerialLineConfig.Direction.GpioPin(4, true),
                BoardProfiles.resolve("raspberry-pi-5").serial().direction());
        BoardProfile cm4 = BoardProfiles.resolve("cm4-industrial");
        assertEquals(new BoardProfile.SecureElement(1, 0x60), cm4.secureElement().orElseThrow());
        assertEquals(KeyStoreKind.ATECC608, cm4.keyStore());
        assertInstanceOf(SerialLineConfig.Direction.PortRs485.class, cm4.serial().direction());
        BoardProfile usb = BoardProfiles.resolve("generic-arm-usb");
        assertEquals(BoardProfile.GpioLines.NONE, usb.gpio());
        assertEquals("/dev/ttyUSB0", usb.serial().portPath());
        assertEquals(Duration.ofMinutes(1), BoardProfiles.resolve("desktop-sim").interval());
    }

    @Test
    void aUserFileLoadsWithDefaultsFilledIn() throws Exception {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, """
                schema: wattproof-board/1
                name: my-board
                description: a board with nothing but a USB adapter
                gpio_header: none
                key_store: pkcs11
                serial:
                  device: /dev/serial/by-id/usb-FTDI-if00
                  direction: none
                meter:
                  model: meters/custom.yaml
                  unit_id: 7
                interval: PT5M
                """);
        BoardProfile p = BoardProfiles.resolve(file.toString());
        assertEquals(file.toString(), p.origin());
        assertEquals("/dev/serial/by-id/usb-FTDI-if00 9600 8E1", p.serial().describe(), "Serial Line V1.02 defaults");
        assertEquals(Path.of("/etc/wattproof/meters/custom.yaml"), p.meter().mapFile(p.paths()).orElseThrow());
        assertEquals(Duration.ofMinutes(5), p.interval());
        assertEquals(Path.of(BoardProfile.DataPaths.DEFAULT_DATA_DIR), p.paths().dataDir());
    }

    @Test
    void missingUnknownAndNonUtf8FilesNameTheFile() throws Exception {
        BoardProfileException e = assertThrows(BoardProfileException.class,
                () -> BoardProfiles.resolve(dir.resolve("none.yaml").toString()));
        assertEquals(dir.resolve("none.yaml") + ": (file): expected an existing profile file, actual no such file",
                e.getMessage());
        e = assertThrows(BoardProfileException.class, () -> BoardProfiles.resolve("raspberry-pi-6"));
        assertTrue(e.getMessage().startsWith("board: name: expected a built-in profile (raspberry-pi-4b, raspberry-pi-5,"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("actual 'raspberry-pi-6'"), e.getMessage());
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "description: Z\u00e4hler\n".getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(BoardProfileException.class, () -> BoardProfiles.load(latin1));
        assertEquals(latin1 + ": (file): expected UTF-8 text, actual bytes that are not UTF-8", e.getMessage());
    }

    @Test
    void aBrokenIndexIsABrokenBuild() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BoardProfiles.loadIndex(getClass().getClassLoader(), "io/wattproof/boards/no-index.txt"));
        assertEquals("class-path resource io/wattproof/boards/no-index.txt is missing", e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> BoardProfiles.loadIndex(getClass().getClassLoader(), "io/wattproof/boards-misnamed/index.txt"));
        assertEquals("bench.yaml: name: expected 'bench' (the file name), actual 'workbench'", e.getMessage());
    }
}
