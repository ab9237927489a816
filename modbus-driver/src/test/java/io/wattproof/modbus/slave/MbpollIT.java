package io.wattproof.modbus.slave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.FunctionCode;
import io.wattproof.modbus.testing.Mbpoll;
import io.wattproof.modbus.testing.Sdm630TestImage;
import io.wattproof.modbus.testing.SocatPtyPair;
import io.wattproof.modbus.transport.SerialLineConfig;
import io.wattproof.modbus.transport.SerialPortTransport;
import io.wattproof.modbus.types.Registers;
import io.wattproof.modbus.types.WordOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our slaves read and written by an outside master: Debian's mbpoll 1.4.11 (libmodbus 3.1.6), against
 * {@link ModbusTcpSlave} over TCP and {@link ModbusRtuSlave} over {@link SerialPortTransport} on one
 * end of a socat pseudo-terminal pair, mbpoll on the other (9600 8N1: parity can be set on a pty
 * only once, see {@link SocatPtyPair}). Each test runs on both links.
 *
 * <p>The slaves serve a {@link MeterBank}: the SDM630 input registers of {@link Sdm630TestImage}
 * and holding registers that accept writes and record them. What mbpoll prints ({@link
 * Mbpoll.Result}) must be what the bank holds, and what mbpoll writes must reach the bank, with the
 * function code libmodbus logs for the request ({@code -v}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class MbpollIT {
    private static final int UNIT = 17;
    private static final int BAUD = 9600;
    private static final int HOLDING_LENGTH = 0x0040;
    /** int16 samples in the holding registers, from {@link #SAMPLES_AT}: the edges of both readings. */
    private static final int[] SAMPLES = {0, 1, 12345, 0x7FFF, 0x8000, 0xF9E0, 0xFFFE, 0xFFFF};
    private static final int SAMPLES_AT = 0x0020;
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(10);

    private SocatPtyPair pty;
    private ModbusTcpSlave tcpSlave;
    private ModbusRtuSlave rtuSlave;
    private final MeterBank tcpBank = new MeterBank();
    private final MeterBank rtuBank = new MeterBank();

    enum Link {
        TCP,
        RTU
    }

    @BeforeAll
    void start() throws Exception {
        tcpSlave = ModbusTcpSlave.start(ModbusTcpSlaveConfig.builder().loopback(0).unitId(UNIT).build(), tcpBank);
        pty = SocatPtyPair.start();
        SerialPortTransport line = SerialPortTransport.open(
                SerialLineConfig.builder(pty.a().toString()).lineSettings(BAUD + " 8N1").build());
        rtuSlave = ModbusRtuSlave.start(line, Set.of(UNIT), RtuTiming.of(BAUD, 10), rtuBank);
    }

    @AfterAll
    void stop() throws Exception {
        if (rtuSlave != null) {
            rtuSlave.close();
        }
        if (pty != null) {
            pty.close();
        }
        if (tcpSlave != null) {
            tcpSlave.close();
        }
    }

    @BeforeEach
    void resetBanks() {
        tcpBank.reset();
        rtuBank.reset();
    }

    private MeterBank bank(Link link) {
        return link == Link.TCP ? tcpBank : rtuBank;
    }

    /**
     * Runs mbpoll against {@code link}'s slave with PDU addressing ({@code -0}), unit {@link #UNIT}
     * and a 1 s response timeout unless {@code options} give others, and {@code writeValues} after
     * {@code --} (so that negative values are not taken for options).
     */
    private Mbpoll.Result mbpoll(Link link, List<String> options, String... writeValues) throws Exception {
        List<String> args = new ArrayList<>(List.of("-0"));
        if (!options.contains("-a")) {
            args.addAll(List.of("-a", Integer.toString(UNIT)));
        }
        if (!options.contains("-o")) {
            args.addAll(List.of("-o", "1"));
        }
        args.addAll(options);
        switch (link) {
            case TCP -> args.addAll(List.of("-m", "tcp", "-p", Integer.toString(tcpSlave.port()), "127.0.0.1"));
            case RTU -> args.addAll(List.of("-m", "rtu", "-b", Integer.toString(BAUD), "-d", "8", "-s", "1", "-P", "none",
                    pty.b().toString()));
        }
        if (writeValues.length > 0) {
            args.add("--");
            args.addAll(List.of(writeValues));
        }
        return Mbpoll.run(PROCESS_TIMEOUT, args);
    }

    /** The function code of a request libmodbus logged: after the MBAP header, or after the address. */
    private static int functionCode(Link link, byte[] request) {
        return request[link == Link.TCP ? 7 : 1] & 0xFF;
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void holdingRegistersPrintAsServedInBothReadings(Link link) throws Exception {
        Mbpoll.Result r = mbpoll(link, List.of("-t", "4", "-r", Integer.toString(SAMPLES_AT), "-c",
                Integer.toString(SAMPLES.length))).requireSuccess();
        for (int i = 0; i < SAMPLES.length; i++) {
            assertEquals(SAMPLES[i], r.register(SAMPLES_AT + i), "register " + (SAMPLES_AT + i) + ": " + r);
        }
        assertEquals(SAMPLES.length, r.printed().size(), r.toString());
        assertEquals("65535 (-1)", r.printed().get(SAMPLES_AT + 7), "mbpoll adds the signed reading above 32767");
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void a125RegisterReadPrintsEveryInputRegister(Link link) throws Exception {
        for (int start : new int[] {0x0000, Sdm630TestImage.INPUT_LENGTH - 125}) {
            Mbpoll.Result r = mbpoll(link, List.of("-t", "3", "-r", Integer.toString(start), "-c", "125")).requireSuccess();
            int[] printed = IntStream.range(start, start + 125).map(r::register).toArray();
            assertEquals(toList(Arrays.copyOfRange(bank(link).input, start, start + 125)), toList(printed),
                    "FC 04 from " + start);
        }
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void sdm630FloatsPrintExactlyWithHighWordFirst(Link link) throws Exception {
        // -B: high word first, as Eastron orders them. 9 floats: 30001..30018.
        Mbpoll.Result r = mbpoll(link, List.of("-t", "3:float", "-B", "-r", "0", "-c", "9")).requireSuccess();
        for (int address = 0; address < 0x12; address += 2) {
            assertEquals(Sdm630TestImage.INPUTS.get(address), r.float32(address), "input register " + address + ": " + r);
        }
        for (var e : Sdm630TestImage.INPUTS.entrySet()) {
            Mbpoll.Result one = mbpoll(link, List.of("-t", "3:float", "-B", "-r", Integer.toString(e.getKey())))
                    .requireSuccess();
            assertEquals(e.getValue(), one.float32(e.getKey()), "input register " + e.getKey());
        }
        Mbpoll.Result settings = mbpoll(link, List.of("-t", "4:float", "-B", "-r", "2")).requireSuccess();
        assertEquals(60f, settings.float32(2), "demand period (holding register 40003)");
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void withoutBigEndianMbpollTakesTheLowWordFirst(Link link) throws Exception {
        Mbpoll.Result r = mbpoll(link, List.of("-t", "3:float", "-r", "72", "-c", "2")).requireSuccess();
        for (int address : new int[] {0x48, 0x4A}) {
            float swapped = Registers.float32(bank(link).input, address, WordOrder.LOW_WORD_FIRST);
            float printed = r.float32(address);
            // %g keeps six significant digits of the swapped value.
            assertEquals(swapped, printed, Math.abs(swapped) * 1e-5, "register " + address + ": " + r);
            assertNotEquals(Sdm630TestImage.INPUTS.get(address), printed);
        }
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void oneValueIsWrittenWithFc06(Link link) throws Exception {
        Mbpoll.Result r = mbpoll(link, List.of("-v", "-t", "4", "-r", "48"), "4660").requireSuccess();
        assertEquals(List.of(new Write(0x30, List.of(0x1234))), bank(link).writes());
        assertEquals(List.of(0x06), r.sentFrames().stream().map(f -> functionCode(link, f)).toList(), r.toString());
        assertEquals(0x1234, mbpoll(link, List.of("-t", "4", "-r", "48")).requireSuccess().register(0x30));
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void severalValuesAreWrittenWithOneFc16(Link link) throws Exception {
        // -t 4 takes 0..65535 only ("data out of range (-1568)"); a negative int16 is written as its bits.
        Mbpoll.Result r = mbpoll(link, List.of("-v", "-t", "4", "-r", "49"), "63968", "7", "32767", "65535")
                .requireSuccess();
        assertEquals(List.of(new Write(0x31, List.of(0xF9E0, 7, 0x7FFF, 0xFFFF))), bank(link).writes());
        assertEquals(List.of(0x10), r.sentFrames().stream().map(f -> functionCode(link, f)).toList(), r.toString());
        Mbpoll.Result back = mbpoll(link, List.of("-t", "4", "-r", "49", "-c", "4")).requireSuccess();
        assertEquals("63968 (-1568)", back.printed().get(0x31));
        assertEquals("65535 (-1)", back.printed().get(0x34));
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void aFloatIsWrittenAsTwoRegistersInTheWordOrderAsked(Link link) throws Exception {
        // The SDM630 way of changing a setting: FC 16 with both registers of the float.
        Mbpoll.Result r = mbpoll(link, List.of("-v", "-t", "4:float", "-B", "-r", "2"), "30").requireSuccess();
        assertEquals(List.of(0x10), r.sentFrames().stream().map(f -> functionCode(link, f)).toList(), r.toString());
        mbpoll(link, List.of("-t", "4:float", "-r", "54"), "-2.5").requireSuccess();
        assertEquals(List.of(new Write(2, toList(Registers.fromFloat32(30f))),
                new Write(0x36, toList(Registers.fromFloat32(-2.5f, WordOrder.LOW_WORD_FIRST)))), bank(link).writes());
        assertEquals(30f, Registers.float32(bank(link).holding(2, 2), 0));
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void mbpollReportsOurIllegalDataAddress(Link link) throws Exception {
        Mbpoll.Result read = mbpoll(link, List.of("-t", "3", "-r", Integer.toString(Sdm630TestImage.INPUT_LENGTH - 1),
                "-c", "2"));
        assertEquals(1, read.exitStatus(), read.toString());
        assertTrue(read.stderr().contains("Illegal data address"), read.toString());

        Mbpoll.Result write = mbpoll(link, List.of("-t", "4", "-r", Integer.toString(HOLDING_LENGTH - 1)), "1", "2");
        assertEquals(1, write.exitStatus(), write.toString());
        assertTrue(write.stderr().contains("Illegal data address"), write.toString());
        assertEquals(List.of(), bank(link).writes(), "a refused write reaches nothing");
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void anotherUnitGetsNoAnswerAndTheSlaveGoesOn(Link link) throws Exception {
        Mbpoll.Result r = mbpoll(link, List.of("-a", Integer.toString(UNIT + 1), "-o", "0.3", "-t", "3", "-r", "0"));
        assertEquals(1, r.exitStatus(), r.toString());
        assertTrue(r.stderr().contains("timed out"), r.toString());
        assertEquals(bank(link).input[0], mbpoll(link, List.of("-t", "3", "-r", "0")).requireSuccess().register(0));
    }

    @Test
    void reportServerIdWhichWeDoNotImplementIsAnIllegalFunction() throws Exception {
        // mbpoll -u sends FC 17 (Report Server ID), in RTU mode only.
        // mbpoll exits with status 0 even then: only its message tells.
        Mbpoll.Result r = mbpoll(Link.RTU, List.of("-u"));
        assertTrue(r.stderr().contains("Report slave ID failed(-1): Illegal function"), r.toString());
        assertEquals(0, rtuBank.writes().size());
    }

    private static List<Integer> toList(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /** One call of {@link RegisterBank#write}. */
    record Write(int address, List<Integer> values) {}

    /**
     * SDM630 input registers (read-only) and {@link #HOLDING_LENGTH} holding registers (the SDM630
     * settings and the int16 samples) that accept writes, all or nothing, and record each one.
     */
    static final class MeterBank implements RegisterBank {
        final int[] input = Sdm630TestImage.inputRegisters();
        private int[] holding;
        private final List<Write> writes = new ArrayList<>();

        MeterBank() {
            reset();
        }

        synchronized void reset() {
            holding = Sdm630TestImage.holdingRegisters(HOLDING_LENGTH, UNIT);
            System.arraycopy(SAMPLES, 0, holding, SAMPLES_AT, SAMPLES.length);
            writes.clear();
        }

        synchronized List<Write> writes() {
            return List.copyOf(writes);
        }

        synchronized int[] holding(int address, int quantity) {
            return Arrays.copyOfRange(holding, address, address + quantity);
        }

        @Override
        public synchronized int[] read(FunctionCode function, int address, int quantity) throws ModbusExceptionResponse {
            int[] table = function == FunctionCode.READ_INPUT_REGISTERS ? input : holding;
            if (address + quantity > table.length) {
                throw new ModbusExceptionResponse(function.code(), ExceptionCode.ILLEGAL_DATA_ADDRESS);
            }
            return Arrays.copyOfRange(table, address, address + quantity);
        }

        @Override
        public synchronized void write(int address, int[] values) throws ModbusExceptionResponse {
            if (address + values.length > holding.length) {
                throw new ModbusExceptionResponse(FunctionCode.WRITE_MULTIPLE_REGISTERS.code(),
                        ExceptionCode.ILLEGAL_DATA_ADDRESS);
            }
            System.arraycopy(values, 0, holding, address, values.length);
            writes.add(new Write(address, toList(values)));
        }
    }
}
