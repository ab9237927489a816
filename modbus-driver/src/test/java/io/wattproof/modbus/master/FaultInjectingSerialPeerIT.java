package io.wattproof.modbus.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.ModbusTimeoutException;
import io.wattproof.modbus.frame.rtu.RtuFrame;
import io.wattproof.modbus.frame.rtu.RtuFrameScanner;
import io.wattproof.modbus.frame.rtu.RtuScan;
import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.testing.SocatPtyPair;
import io.wattproof.modbus.transport.SerialLineConfig;
import io.wattproof.modbus.transport.SerialPortTransport;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our RTU master on one end of a pseudo-terminal pair, a device that misbehaves on purpose on the
 * other: corrupted bits, truncated frames, answers after the master gave up, exception responses,
 * noise before and after frames, a second device answering, silence. Every register of the device
 * holds a value derived from its address, so an answer taken for the wrong request, or from a
 * corrupted frame, shows up as a wrong value. The master must never return one: it returns the
 * right registers or a typed error.
 */
@Timeout(120)
class FaultInjectingSerialPeerIT {
    private static final int UNIT = 9;
    private static final int TRANSACTIONS = 160;
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(150);
    private static final Duration FRAME_SILENCE = Duration.ofMillis(40);

    enum Fault {
        NONE, FLIPPED_BITS, TRUNCATED, LATE, EXCEPTION, BUSY, NOISE_AROUND, SECOND_DEVICE_FIRST,
        SECOND_DEVICE_AFTER, SILENT
    }

    /** Register {@code address} of the device: distinct for neighbouring addresses and blocks. */
    static int register(int address) {
        return (address * 7919 + 13) & 0xFFFF;
    }

    static int[] registers(int address, int quantity) {
        int[] r = new int[quantity];
        Arrays.setAll(r, i -> register(address + i));
        return r;
    }

    @Test
    void noWrongValueIsEverReturned() throws Exception {
        try (SocatPtyPair pty = SocatPtyPair.start()) {
            SerialLineConfig deviceSide = SerialLineConfig.builder(pty.a().toString()).lineSettings("9600 8N1").build();
            SerialLineConfig masterSide = SerialLineConfig.builder(pty.b().toString()).lineSettings("9600 8N1").build();
            Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
            try (MisbehavingDevice device = new MisbehavingDevice(SerialPortTransport.open(deviceSide), 20261127L);
                    ModbusRtuMaster master = new ModbusRtuMaster(SerialPortTransport.open(masterSide),
                            ModbusRtuMasterConfig.builder()
                                    .timing(RtuTiming.of(9600, 10))
                                    .responseTimeout(RESPONSE_TIMEOUT)
                                    .frameSilence(FRAME_SILENCE)
                                    .retries(2)
                                    .initialBackoff(Duration.ofMillis(10))
                                    .build())) {
                device.start();
                Random requests = new Random(7);
                int correct = 0;
                Map<String, Integer> errors = new TreeMap<>();
                for (int i = 0; i < TRANSACTIONS; i++) {
                    int quantity = 1 + requests.nextInt(requests.nextBoolean() ? 4 : 125);
                    int address = requests.nextInt(0x10000 - quantity);
                    try {
                        int[] got = master.readHoldingRegisters(UNIT, address, quantity);
                        assertArrayEquals(registers(address, quantity), got,
                                "transaction " + i + " read " + quantity + " registers at " + address);
                        correct++;
                    } catch (ModbusProtocolException e) {
                        errors.merge(e.kind().name(), 1, Integer::sum);
                    } catch (ModbusTimeoutException e) {
                        errors.merge("TIMEOUT", 1, Integer::sum);
                    } catch (ModbusExceptionResponse e) {
                        assertTrue(e.exceptionCode() == 0x02 || e.exceptionCode() == 0x06, e.getMessage());
                        errors.merge("EXCEPTION_" + e.exceptionCode(), 1, Integer::sum);
                    } catch (ModbusIoException e) {
                        fail("the line itself failed: " + e.getMessage() + "\nsocat: " + pty.log());
                    }
                }
                injected.putAll(device.injected());
                LineStatistics stats = master.statistics();
                String summary = "correct " + correct + ", errors " + errors + ", injected " + injected + ", " + stats;
                // Every kind of fault was exercised, and retries turned most of them into right answers.
                for (Fault f : Fault.values()) {
                    assertTrue(injected.getOrDefault(f, 0) >= 5, f + " injected too rarely: " + summary);
                }
                assertTrue(correct > TRANSACTIONS / 2, summary);
                assertTrue(stats.retries() > 20 && stats.crcErrors() > 0 && stats.timeouts() > 0
                        && stats.unexpectedAnswers() > 0 && stats.truncatedFrames() > 0, summary);
                assertEquals(TRANSACTIONS, correct + errors.values().stream().mapToInt(Integer::intValue).sum());
                System.out.println("fault-injecting peer: " + summary);
            }
        }
    }

    /** The device: answers FC 03 from {@link #register}, with a fault drawn for each request. */
    static final class MisbehavingDevice implements AutoCloseable {
        private final SerialPortTransport line;
        private final Random random;
        private final Thread thread;
        private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
        private volatile boolean closed;
        private volatile Throwable failure;

        MisbehavingDevice(SerialPortTransport line, long seed) {
            this.line = line;
            this.random = new Random(seed);
            this.thread = Thread.ofPlatform().daemon().name("misbehaving-device").unstarted(this::run);
        }

        void start() {
            thread.start();
        }

        synchronized Map<Fault, Integer> injected() {
            return new EnumMap<>(injected);
        }

        private void run() {
            byte[] buffer = new byte[1024];
            int length = 0;
            try {
                while (!closed) {
                    int n = line.read(buffer, length, buffer.length - length, Duration.ofMillis(100));
                    length += n;
                    while (RtuFrameScanner.scanRequest(buffer, 0, length) instanceof RtuScan.Found found) {
                        respond(found.frame());
                        System.arraycopy(buffer, found.end(), buffer, 0, length - found.end());
                        length -= found.end();
                    }
                    if (length == buffer.length) {
                        length = 0;
                    }
                }
            } catch (ModbusException | RuntimeException | InterruptedException e) {
                if (!closed) {
                    failure = e;
                }
            }
        }

        private void respond(RtuFrame request) throws ModbusException, InterruptedException {
            byte[] pdu = request.pdu();
            int address = ((pdu[1] & 0xFF) << 8) | (pdu[2] & 0xFF);
            int quantity = ((pdu[3] & 0xFF) << 8) | (pdu[4] & 0xFF);
            byte[] answer = readAnswer(UNIT, address, quantity, 0);
            Fault fault = random.nextInt(100) < 45 ? Fault.values()[1 + random.nextInt(Fault.values().length - 1)]
                    : Fault.NONE;
            synchronized (this) {
                injected.merge(fault, 1, Integer::sum);
            }
            switch (fault) {
                case NONE -> line.write(answer);
                case FLIPPED_BITS -> {
                    // One to three bits anywhere in the frame, header and CRC included.
                    int flips = 1 + random.nextInt(3);
                    for (int i = 0; i < flips; i++) {
                        int bit = random.nextInt(answer.length * 8);
                        answer[bit / 8] ^= (byte) (1 << (bit % 8));
                    }
                    line.write(answer);
                }
                case TRUNCATED -> line.write(Arrays.copyOf(answer, 1 + random.nextInt(answer.length - 1)));
                case LATE -> {
                    // After the master gave up, but before its drain after the backoff ends.
                    Thread.sleep(RESPONSE_TIMEOUT.toMillis() + 15 + random.nextInt(20));
                    line.write(answer);
                }
                case EXCEPTION -> line.write(new RtuFrame(UNIT, new byte[] {(byte) 0x83, 0x02}).encode());
                case BUSY -> line.write(new RtuFrame(UNIT, new byte[] {(byte) 0x83, 0x06}).encode());
                case NOISE_AROUND -> {
                    line.write(noise());
                    line.write(answer);
                    line.write(noise());
                }
                case SECOND_DEVICE_FIRST -> {
                    line.write(readAnswer(UNIT + 1, address, quantity, 0x5A5A));
                    line.write(answer);
                }
                case SECOND_DEVICE_AFTER -> {
                    line.write(answer);
                    line.write(readAnswer(UNIT + 1, address, quantity, 0x5A5A));
                }
                case SILENT -> {
                    // No answer at all.
                }
            }
        }

        private byte[] noise() {
            byte[] noise = new byte[1 + random.nextInt(24)];
            random.nextBytes(noise);
            return noise;
        }

        /** A CRC-valid FC 03 answer; {@code mask} makes the values wrong (for the second device). */
        private static byte[] readAnswer(int unit, int address, int quantity, int mask) {
            byte[] pdu = new byte[2 + 2 * quantity];
            pdu[0] = 0x03;
            pdu[1] = (byte) (2 * quantity);
            for (int i = 0; i < quantity; i++) {
                int value = register(address + i) ^ mask;
                pdu[2 + 2 * i] = (byte) (value >>> 8);
                pdu[3 + 2 * i] = (byte) value;
            }
            return new RtuFrame(unit, pdu).encode();
        }

        @Override
        public void close() throws Exception {
            closed = true;
            line.close();
            thread.join(Duration.ofSeconds(5));
            if (failure != null) {
                throw new AssertionError("the misbehaving device failed", failure);
            }
        }
    }
}
