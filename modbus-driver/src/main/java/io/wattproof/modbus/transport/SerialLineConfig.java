package io.wattproof.modbus.transport;

import java.util.Locale;
import java.util.Objects;

/**
 * The serial line a {@link SerialPortTransport} opens: port, character format and how the RS-485
 * driver is switched between sending and receiving.
 *
 * <p>Modbus over Serial Line V1.02 section 2.5.1 fixes the RTU character: 1 start bit, 8 data bits,
 * 1 parity bit and 1 stop bit; even parity is the required default, odd parity is allowed, and
 * "no parity" must be made up for by a second stop bit so that every character is 11 bits long.
 * Many meters nevertheless ship as 8N1 (10 bits), so 1 stop bit without parity is accepted too:
 * configure what the meter is set to. 7 data bits exist only for Modbus ASCII (section 2.5.2.1);
 * they are accepted here for completeness, never for RTU.
 *
 * @param portPath path of the serial device as the user gave it, e.g. {@code /dev/ttyUSB0} or a
 *     {@code /dev/serial/by-id/...} link; kept as given for messages
 * @param baudRate bits per second, 1..4_000_000; Modbus devices use 9600 (the required default,
 *     section 2.5.1) or 19200, some 1200..115200
 * @param dataBits 8, or 7 (ASCII only)
 * @param parity NONE, EVEN (the default) or ODD
 * @param stopBits 1 or 2
 * @param direction how the RS-485 transceiver is switched to transmit while a frame is sent
 */
public record SerialLineConfig(
        String portPath, int baudRate, int dataBits, Parity parity, int stopBits, Direction direction) {

    public static final int DEFAULT_BAUD_RATE = 9600;
    public static final int MAX_BAUD_RATE = 4_000_000;

    public SerialLineConfig {
        Objects.requireNonNull(portPath, "portPath");
        if (portPath.isBlank()) {
            throw new IllegalArgumentException("serial port: expected a device path such as /dev/ttyUSB0, actual blank");
        }
        if (baudRate < 1 || baudRate > MAX_BAUD_RATE) {
            throw new IllegalArgumentException("baud rate: expected 1.." + MAX_BAUD_RATE + ", actual " + baudRate);
        }
        if (dataBits != 7 && dataBits != 8) {
            throw new IllegalArgumentException("data bits: expected 8 (or 7 for Modbus ASCII), actual " + dataBits);
        }
        Objects.requireNonNull(parity, "parity");
        if (stopBits != 1 && stopBits != 2) {
            throw new IllegalArgumentException("stop bits: expected 1 or 2, actual " + stopBits);
        }
        Objects.requireNonNull(direction, "direction");
    }

    /** A builder with the defaults of Serial Line V1.02 section 2.5.1: 9600 baud, 8E1, no direction control. */
    public static Builder builder(String portPath) {
        return new Builder(portPath);
    }

    /** The character format as written on meters and in manuals: {@code "8E1"}, {@code "8N2"}. */
    public String format() {
        return dataBits + String.valueOf(parity.letter()) + stopBits;
    }

    /** {@code "/dev/ttyUSB0 9600 8E1"}, as used in messages. */
    public String describe() {
        return portPath + " " + baudRate + " " + format();
    }

    /** Bits on the wire per character: start bit, data bits, parity bit if any, stop bits (10..12). */
    public int bitsPerCharacter() {
        return 1 + dataBits + (parity == Parity.NONE ? 0 : 1) + stopBits;
    }

    /** Time one character takes on the wire at {@link #baudRate}, in nanoseconds (1.146 ms at 9600 8E1). */
    public long characterNanos() {
        return Math.ceilDiv(bitsPerCharacter() * 1_000_000_000L, baudRate);
    }

    /** Parity of each character (Serial Line V1.02 section 2.5.1: even is the required default). */
    public enum Parity {
        NONE('N'),
        EVEN('E'),
        ODD('O');

        private final char letter;

        Parity(char letter) {
            this.letter = letter;
        }

        /** The letter used in {@code 8E1}-style formats. */
        public char letter() {
            return letter;
        }

        /**
         * Parses a command-line parity: {@code N}, {@code E}, {@code O} or the words {@code none},
         * {@code even}, {@code odd}, in any case.
         */
        public static Parity parse(String text) {
            Objects.requireNonNull(text, "parity");
            return switch (text.strip().toUpperCase(Locale.ROOT)) {
                case "N", "NONE" -> NONE;
                case "E", "EVEN" -> EVEN;
                case "O", "ODD" -> ODD;
                default -> throw new IllegalArgumentException(
                        "parity: expected N, E or O (none, even, odd), actual \"" + text + "\"");
            };
        }
    }

    /**
     * How the RS-485 driver enable (DE, with RE tied to it) is switched: a two-wire RS-485 bus is
     * half duplex, so a node drives the line only while it sends and must release it right after
     * the last stop bit, before the answer starts (Serial Line V1.02 section 3.3.3).
     */
    public sealed interface Direction {
        /**
         * Nothing to switch: a USB adapter or transceiver with automatic direction control, or a
         * point-to-point RS-232 / pseudo-terminal link.
         */
        record None() implements Direction {}

        /**
         * The UART driver switches RTS itself (Linux {@code TIOCSRS485}, jSerialComm's RS-485 mode).
         * Only drivers with RS-485 support honour it; jSerialComm does not report when a driver
         * ignores the request, so check the bus with a scope or a loop-back first.
         *
         * @param activeHigh RTS high while sending (the usual wiring)
         * @param delayBeforeSendMillis 0..1000 ms between raising RTS and the first start bit
         * @param delayAfterSendMillis 0..1000 ms between the last stop bit and releasing RTS
         */
        record PortRs485(boolean activeHigh, int delayBeforeSendMillis, int delayAfterSendMillis) implements Direction {
            public PortRs485 {
                requireDelay("rs485 delay before send", delayBeforeSendMillis);
                requireDelay("rs485 delay after send", delayAfterSendMillis);
            }

            private static void requireDelay(String name, int millis) {
                if (millis < 0 || millis > 1000) {
                    throw new IllegalArgumentException(name + ": expected 0..1000 ms, actual " + millis + " ms");
                }
            }
        }

        /**
         * A GPIO output drives DE/RE (e.g. an RS-485 HAT on a Raspberry Pi); the transport raises it
         * before writing and releases it once the UART has sent the last bit.
         *
         * @param pin BCM GPIO number, 0..63 (Pi4J's address)
         * @param activeHigh pin high while sending (DE is active high on MAX485-style transceivers)
         */
        record GpioPin(int pin, boolean activeHigh) implements Direction {
            public GpioPin {
                if (pin < 0 || pin > 63) {
                    throw new IllegalArgumentException("direction gpio pin: expected BCM number 0..63, actual " + pin);
                }
            }
        }
    }

    /** Parses a baud rate given on the command line, e.g. {@code "9600"}. */
    public static int parseBaudRate(String text) {
        Objects.requireNonNull(text, "baud rate");
        String s = text.strip();
        if (s.isEmpty() || s.length() > 7 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(
                    "baud rate: expected a number 1.." + MAX_BAUD_RATE + " such as 9600, actual \"" + text + "\"");
        }
        int baud = Integer.parseInt(s);
        if (baud < 1 || baud > MAX_BAUD_RATE) {
            throw new IllegalArgumentException("baud rate: expected 1.." + MAX_BAUD_RATE + ", actual " + baud);
        }
        return baud;
    }

    /** Parses {@code --stop 1|2}. */
    public static int parseStopBits(String text) {
        Objects.requireNonNull(text, "stop bits");
        return switch (text.strip()) {
            case "1" -> 1;
            case "2" -> 2;
            default -> throw new IllegalArgumentException("stop bits: expected 1 or 2, actual \"" + text + "\"");
        };
    }

    /** Parses {@code --data-bits 8|7}. */
    public static int parseDataBits(String text) {
        Objects.requireNonNull(text, "data bits");
        return switch (text.strip()) {
            case "8" -> 8;
            case "7" -> 7;
            default -> throw new IllegalArgumentException(
                    "data bits: expected 8 (or 7 for Modbus ASCII), actual \"" + text + "\"");
        };
    }

    /**
     * The character format in the usual three-letter notation: data bits, parity letter, stop bits,
     * e.g. {@code "8E1"}, {@code "8N2"}, {@code "8n1"}.
     */
    public record CharacterFormat(int dataBits, Parity parity, int stopBits) {
        public static CharacterFormat parse(String text) {
            Objects.requireNonNull(text, "character format");
            String s = text.strip();
            if (s.length() != 3) {
                throw new IllegalArgumentException(
                        "character format: expected data bits, parity and stop bits such as 8E1 or 8N2, actual \""
                                + text + "\"");
            }
            int dataBits;
            Parity parity;
            int stopBits;
            try {
                dataBits = parseDataBits(s.substring(0, 1));
                parity = Parity.parse(s.substring(1, 2));
                stopBits = parseStopBits(s.substring(2, 3));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("character format \"" + text + "\": " + e.getMessage(), e);
            }
            return new CharacterFormat(dataBits, parity, stopBits);
        }
    }

    public static final class Builder {
        private final String portPath;
        private int baudRate = DEFAULT_BAUD_RATE;
        private int dataBits = 8;
        private Parity parity = Parity.EVEN;
        private int stopBits = 1;
        private Direction direction = new Direction.None();

        private Builder(String portPath) {
            this.portPath = portPath;
        }

        public Builder baudRate(int baudRate) {
            this.baudRate = baudRate;
            return this;
        }

        public Builder dataBits(int dataBits) {
            this.dataBits = dataBits;
            return this;
        }

        public Builder parity(Parity parity) {
            this.parity = parity;
            return this;
        }

        public Builder stopBits(int stopBits) {
            this.stopBits = stopBits;
            return this;
        }

        public Builder format(CharacterFormat format) {
            this.dataBits = format.dataBits();
            this.parity = format.parity();
            this.stopBits = format.stopBits();
            return this;
        }

        /**
         * Applies line settings as written on the command line or a meter's label: {@code "9600 8E1"},
         * {@code "19200 8N2"}, or only the format {@code "8E1"} (baud rate unchanged).
         */
        public Builder lineSettings(String text) {
            Objects.requireNonNull(text, "line settings");
            String[] parts = text.strip().split("\\s+");
            boolean loneFormat = parts.length == 1 && parts[0].length() == 3 && !parts[0].chars().allMatch(Character::isDigit);
            if (loneFormat) {
                return format(CharacterFormat.parse(parts[0]));
            }
            if (parts.length != 2) {
                throw new IllegalArgumentException(
                        "line settings: expected baud rate and format such as \"9600 8E1\", actual \"" + text + "\"");
            }
            CharacterFormat format = CharacterFormat.parse(parts[1]);
            baudRate(parseBaudRate(parts[0]));
            return format(format);
        }

        public Builder direction(Direction direction) {
            this.direction = direction;
            return this;
        }

        public SerialLineConfig build() {
            return new SerialLineConfig(portPath, baudRate, dataBits, parity, stopBits, direction);
        }
    }
}
