package io.wattproof.modbus.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wattproof.modbus.transport.SerialLineConfig.CharacterFormat;
import io.wattproof.modbus.transport.SerialLineConfig.Direction;
import io.wattproof.modbus.transport.SerialLineConfig.Parity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SerialLineConfigTest {

    @Test
    void defaultsAreTheSerialLineSpecDefaults() {
        SerialLineConfig c = SerialLineConfig.builder("/dev/ttyUSB0").build();
        assertEquals(9600, c.baudRate());
        assertEquals(8, c.dataBits());
        assertEquals(Parity.EVEN, c.parity());
        assertEquals(1, c.stopBits());
        assertEquals(new Direction.None(), c.direction());
        assertEquals("8E1", c.format());
        assertEquals("/dev/ttyUSB0 9600 8E1", c.describe());
    }

    @ParameterizedTest
    @CsvSource({
        "9600 8E1, 9600, 8, EVEN, 1",
        "19200 8N2, 19200, 8, NONE, 2",
        "  38400   8o1 , 38400, 8, ODD, 1",
        "115200 8N1, 115200, 8, NONE, 1",
        "1200 7E1, 1200, 7, EVEN, 1",
    })
    void lineSettingsAsOnAMeterLabel(String text, int baud, int dataBits, Parity parity, int stopBits) {
        SerialLineConfig c = SerialLineConfig.builder("/dev/ttyS0").lineSettings(text).build();
        assertEquals(baud, c.baudRate());
        assertEquals(dataBits, c.dataBits());
        assertEquals(parity, c.parity());
        assertEquals(stopBits, c.stopBits());
    }

    @Test
    void formatAloneKeepsTheBaudRate() {
        SerialLineConfig c = SerialLineConfig.builder("/dev/ttyS0").baudRate(19200).lineSettings("8N2").build();
        assertEquals("/dev/ttyS0 19200 8N2", c.describe());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "9600|line settings: expected baud rate and format such as \"9600 8E1\", actual \"9600\"",
        "''|line settings: expected baud rate and format such as \"9600 8E1\", actual \"\"",
        "9600 8E1 x|line settings: expected baud rate and format such as \"9600 8E1\", actual \"9600 8E1 x\"",
        "fast 8E1|baud rate: expected a number 1..4000000 such as 9600, actual \"fast\"",
        "-9600 8E1|baud rate: expected a number 1..4000000 such as 9600, actual \"-9600\"",
        "0 8E1|baud rate: expected 1..4000000, actual 0",
        "9999999 8E1|baud rate: expected 1..4000000, actual 9999999",
        "9600 8X1|character format \"8X1\": parity: expected N, E or O (none, even, odd), actual \"X\"",
        "9600 8E3|character format \"8E3\": stop bits: expected 1 or 2, actual \"3\"",
        "9600 6E1|character format \"6E1\": data bits: expected 8 (or 7 for Modbus ASCII), actual \"6\"",
        "9600 8E|character format: expected data bits, parity and stop bits such as 8E1 or 8N2, actual \"8E\"",
        "8E|line settings: expected baud rate and format such as \"9600 8E1\", actual \"8E\"",
    })
    void malformedLineSettingsAreNamedWithExpectedAndActual(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SerialLineConfig.builder("/dev/ttyS0").lineSettings(text));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"N, NONE", "e, EVEN", "O, ODD", "none, NONE", "Even, EVEN", " odd , ODD"})
    void parityOption(String text, Parity expected) {
        assertEquals(expected, Parity.parse(text));
    }

    @Test
    void badOptionValuesAreNamed() {
        assertEquals("parity: expected N, E or O (none, even, odd), actual \"M\"",
                assertThrows(IllegalArgumentException.class, () -> Parity.parse("M")).getMessage());
        assertEquals("stop bits: expected 1 or 2, actual \"1.5\"",
                assertThrows(IllegalArgumentException.class, () -> SerialLineConfig.parseStopBits("1.5")).getMessage());
        assertEquals(2, SerialLineConfig.parseStopBits(" 2 "));
        assertEquals(7, SerialLineConfig.parseDataBits("7"));
        assertEquals(19200, SerialLineConfig.parseBaudRate("19200"));
        assertEquals(new CharacterFormat(8, Parity.NONE, 2), CharacterFormat.parse("8n2"));
    }

    @Test
    void invalidValuesAreRefusedByTheRecord() {
        assertEquals("baud rate: expected 1..4000000, actual 0", assertThrows(IllegalArgumentException.class,
                () -> SerialLineConfig.builder("/dev/ttyS0").baudRate(0).build()).getMessage());
        assertEquals("data bits: expected 8 (or 7 for Modbus ASCII), actual 5", assertThrows(IllegalArgumentException.class,
                () -> SerialLineConfig.builder("/dev/ttyS0").dataBits(5).build()).getMessage());
        assertEquals("stop bits: expected 1 or 2, actual 3", assertThrows(IllegalArgumentException.class,
                () -> SerialLineConfig.builder("/dev/ttyS0").stopBits(3).build()).getMessage());
        assertEquals("serial port: expected a device path such as /dev/ttyUSB0, actual blank",
                assertThrows(IllegalArgumentException.class, () -> SerialLineConfig.builder(" ").build()).getMessage());
        assertEquals("direction gpio pin: expected BCM number 0..63, actual 64",
                assertThrows(IllegalArgumentException.class, () -> new Direction.GpioPin(64, true)).getMessage());
        assertEquals("rs485 delay after send: expected 0..1000 ms, actual -1 ms",
                assertThrows(IllegalArgumentException.class, () -> new Direction.PortRs485(true, 0, -1)).getMessage());
    }

    @Test
    void characterTimeFollowsTheFormat() {
        // Serial Line V1.02 section 2.5.1: an RTU character is 11 bits, 8E1 or 8N2.
        SerialLineConfig e1 = SerialLineConfig.builder("/dev/ttyS0").build();
        assertEquals(11, e1.bitsPerCharacter());
        assertEquals(1_145_834, e1.characterNanos()); // 11 bits / 9600 Bd, rounded up
        SerialLineConfig n2 = SerialLineConfig.builder("/dev/ttyS0").lineSettings("19200 8N2").build();
        assertEquals(11, n2.bitsPerCharacter());
        assertEquals(572_917, n2.characterNanos());
        SerialLineConfig n1 = SerialLineConfig.builder("/dev/ttyS0").lineSettings("9600 8N1").build();
        assertEquals(10, n1.bitsPerCharacter());
        assertEquals(1_041_667, n1.characterNanos());
    }
}
