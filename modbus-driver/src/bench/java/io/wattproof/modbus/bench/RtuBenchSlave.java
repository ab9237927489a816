package io.wattproof.modbus.bench;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.FunctionCode;
import io.wattproof.modbus.slave.ModbusRtuSlave;
import io.wattproof.modbus.slave.RegisterBank;
import io.wattproof.modbus.transport.ByteTransport;
import io.wattproof.modbus.transport.SerialLineConfig;
import io.wattproof.modbus.transport.SerialPortTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The device side of {@link RtuMasterBench}, run in its own JVM so that its CPU time and threads
 * are not charged to the masters being measured: one {@link ModbusRtuSlave} on a pty end, unit
 * {@value #UNIT_ID}, serving FC 03 from every address with {@link #registerValue}. It prints
 * {@value #READY} once it serves and stops when its standard input is closed.
 *
 * <p>Arguments: {@code PORT BAUD [--line-time]}. The line is 8N1 (a pty cannot take parity, see
 * docs/serial.md). The slave waits t3.5 of {@code BAUD} before it answers, as the specification
 * requires (Serial Line V1.02 section 2.5.1.1). A pty moves bytes at memory speed whatever the baud
 * rate. With {@code --line-time} the slave imitates the wire at {@code BAUD}: it answers only once
 * the 8 characters of the request would have arrived, and hands its answer to the pty one character
 * time per byte (several at once when it fell behind, as a UART FIFO or a USB adapter would), so that
 * a master reads the answer as it trickles in and its own sleeps overlap with the time on the wire.
 */
public final class RtuBenchSlave {
    static final int UNIT_ID = 1;
    static final String READY = "ready";
    /** Address, function, start address, quantity and CRC of an FC 03 request (section 6.3). */
    private static final int REQUEST_LENGTH = 8;

    private RtuBenchSlave() {}

    /**
     * The value of holding register {@code address}: consecutive addresses differ by 0x9e37, in both
     * bytes, and the odd multiplier gives no two addresses below 65536 the same value, so an answer
     * shifted by a register or meant for another request fails the masters' comparison.
     */
    static int registerValue(int address) {
        return (address * 40_503 + 0x1234) & 0xFFFF;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3 || (args.length == 3 && !args[2].equals("--line-time"))) {
            System.err.println("usage: RtuBenchSlave PORT BAUD [--line-time]");
            System.exit(2);
        }
        String port = args[0];
        int baud = SerialLineConfig.parseBaudRate(args[1]);
        boolean lineTime = args.length == 3;
        SerialLineConfig line = SerialLineConfig.builder(port).baudRate(baud).parity(SerialLineConfig.Parity.NONE)
                .stopBits(1).build();
        RtuTiming timing = RtuTiming.of(baud, line.bitsPerCharacter());
        long characterNanos = line.characterNanos();
        RegisterBank bank = (function, address, quantity) -> {
            if (function != FunctionCode.READ_HOLDING_REGISTERS) {
                throw new ModbusExceptionResponse(function.code(), ExceptionCode.ILLEGAL_FUNCTION);
            }
            if (lineTime) {
                waitUntil(System.nanoTime() + REQUEST_LENGTH * characterNanos);
            }
            int[] values = new int[quantity];
            for (int i = 0; i < quantity; i++) {
                values[i] = registerValue(address + i);
            }
            return values;
        };
        ByteTransport transport = SerialPortTransport.open(line);
        if (lineTime) {
            transport = new CharacterPacedTransport(transport, characterNanos);
        }
        try (ModbusRtuSlave slave = ModbusRtuSlave.start(transport, Set.of(UNIT_ID), timing, bank)) {
            System.out.println(READY);
            System.out.flush();
            awaitEndOfInput();
            System.err.printf("slave on %s answered %d requests%n", line.describe(), slave.requestsAnswered());
        }
    }

    private static void waitUntil(long end) {
        long remaining;
        while ((remaining = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    /**
     * Writes byte {@code i} of a frame no earlier than {@code i} character times after the first:
     * absolute due times, so that late wake-ups do not add up; whatever is due is written at once.
     */
    private static final class CharacterPacedTransport implements ByteTransport {
        private final ByteTransport line;
        private final long characterNanos;

        CharacterPacedTransport(ByteTransport line, long characterNanos) {
            this.line = line;
            this.characterNanos = characterNanos;
        }

        @Override
        public void write(byte[] bytes) throws ModbusIoException {
            long start = System.nanoTime();
            int sent = 0;
            while (sent < bytes.length) {
                int due = (int) Math.min(bytes.length, (System.nanoTime() - start) / characterNanos + 1);
                if (due > sent) {
                    line.write(Arrays.copyOfRange(bytes, sent, due));
                    sent = due;
                }
                if (sent < bytes.length) {
                    waitUntil(start + sent * characterNanos);
                }
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length, Duration timeout) throws ModbusIoException {
            return line.read(buffer, offset, length, timeout);
        }

        @Override
        public void discardInput() throws ModbusIoException {
            line.discardInput();
        }

        @Override
        public String describe() {
            return line.describe() + " (paced)";
        }

        @Override
        public void close() {
            line.close();
        }
    }

    private static void awaitEndOfInput() throws IOException {
        while (System.in.read() >= 0) {
            // the benchmark closes our standard input when it is done
        }
    }
}
