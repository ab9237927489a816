package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardsCommandTest extends CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void listsEveryBuiltInProfileWithItsDescription() {
        assertEquals(0, run("boards"), err);
        assertTrue(out.startsWith("raspberry-pi-4b    Raspberry Pi 4B + Waveshare RS485 CAN HAT"), out);
        for (String name : new String[] {"raspberry-pi-5 ", "cm4-industrial ", "generic-arm-usb ", "desktop-sim "}) {
            assertTrue(out.contains("\n" + name), name + " in " + out);
        }
    }

    @Test
    void showPrintsTheResolvedProfile() {
        assertEquals(0, run("boards", "show", "cm4-industrial"), err);
        assertTrue(out.contains("name:           cm4-industrial\n"), out);
        assertTrue(out.contains("secure element: /dev/i2c-1 address 0x60\n"), out);
        assertTrue(out.contains("key store:      atecc608\n"), out);
        assertTrue(out.contains("serial line:    /dev/ttyRS485 9600 8N1, direction rs485-port"), out);
        assertTrue(out.contains("interval:       15m (900 s)\n"), out);
        assertTrue(out.contains("data dir:       /var/lib/wattproof\n"), out);

        assertEquals(0, run("boards", "show", "raspberry-pi-5"), err);
        assertTrue(out.contains("serial line:    /dev/ttyAMA0 9600 8N1, direction gpio 4 (high while sending)\n"), out);
        assertTrue(out.contains("S0 input:       GPIO 6, active low, pull up, 1000 pulses/kWh, debounce 10 ms\n"), out);
    }

    @Test
    void showReadsAProfileFileAndFillsDefaults() throws Exception {
        Path file = dir.resolve("bench.yaml");
        Files.writeString(file, """
                schema: wattproof-board/1
                name: bench
                description: bench setup
                gpio_header: none
                key_store: software
                serial: {device: /dev/ttyUSB1, direction: none}
                meter: {model: SDM630, unit_id: 3}
                interval: 30s
                """);
        assertEquals(0, run("boards", "show", file.toString()), err);
        assertTrue(out.contains("from:           " + file + "\n"), out);
        assertTrue(out.contains("status LED:     none\n"), out);
        assertTrue(out.contains("serial line:    /dev/ttyUSB1 9600 8E1, direction none (automatic)\n"), out);
        assertTrue(out.contains("meter:          SDM630, unit 3\n"), out);
        assertTrue(out.contains("key dir:        /var/lib/wattproof/keys\n"), out);
    }

    @Test
    void aBrokenOrUnknownProfileExitsTwoWithTheMessage() throws Exception {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, """
                schema: wattproof-board/1
                name: typo
                description: a typo
                gpio_header: none
                key_store: software
                serial: {device: /dev/ttyUSB0, direction: none, buad: 9600}
                meter: {model: SDM630, unit_id: 1}
                interval: 15m
                """);
        assertEquals(2, run("boards", "show", file.toString()));
        assertTrue(err.contains(file + ": serial: expected only the keys baud, device, direction, direction_pin, parity, "
                + "stop_bits, actual unknown key 'buad'"), err);
        assertEquals("", out);

        assertEquals(2, run("boards", "show", "raspberry-pi-3"));
        assertTrue(err.contains("board: name: expected a built-in profile (raspberry-pi-4b"), err);
        assertEquals(2, run("boards", "show"));
        assertTrue(err.contains("Missing required parameter: 'NAME|FILE'"), err);
    }
}
