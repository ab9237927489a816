package io.wattproof.modbus.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.ModbusProtocolException.Kind;
import io.wattproof.modbus.ModbusTimeoutException;
import io.wattproof.modbus.frame.rtu.RtuFrame;
import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.pdu.ReadHoldingRegistersRequest;
import io.wattproof.modbus.testing.FakeSerialLine;
import io.wattproof.modbus.testing.FakeSerialLine.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ModbusRtuMasterTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int UNIT = 17;

    /**
     * Short times so that fault paths run quickly, yet long enough for a loaded machine to answer
     * from memory; 38400 baud gives the fixed 1.75 ms t3.5.
     */
    private static final ModbusRtuMasterConfig FAST = ModbusRtuMasterConfig.builder()
            .timing(RtuTiming.of(38400, 11))
            .responseTimeout(Duration.ofMillis(250))
            .frameSilence(Duration.ofMillis(20))
            .retries(2)
            .initialBackoff(Duration.ofMillis(5))
            .build();

    /** A device that answers FC 03/04 with register i = address + i, as a well-behaved meter does. */
    private static byte[] answer(byte[] request) {
        int unit = request[0] & 0xFF;
        int function = request[1] & 0xFF;
        int address = ((request[2] & 0xFF) << 8) | (request[3] & 0xFF);
        int quantity = ((request[4] & 0xFF) << 8) | (request[5] & 0xFF);
        byte[] pdu = new byte[2 + 2 * quantity];
        pdu[0] = (byte) function;
        pdu[1] = (byte) (2 * quantity);
        for (int i = 0; i < quantity; i++) {
            pdu[2 + 2 * i] = (byte) ((address + i) >>> 8);
            pdu[3 + 2 * i] = (byte) (address + i);
        }
        return new RtuFrame(unit, pdu).encode();
    }

    private static int[] expected(int address, int quantity) {
        int[] r = new int[quantity];
        Arrays.setAll(r, i -> address + i);
        return r;
    }

    private static ModbusRtuMaster master(FakeSerialLine line) {
        return new ModbusRtuMaster(line, FAST);
    }

    /** A peer that behaves per attempt: the n-th request gets {@code behaviours[n]}, later ones the last. */
    @SafeVarargs
    private static Function<byte[], List<Delivery>> perAttempt(Function<byte[], List<Delivery>>... behaviours) {
        AtomicInteger n = new AtomicInteger();
        return request -> behaviours[Math.min(n.getAndIncrement(), behaviours.length - 1)].apply(request);
    }

    private static final Function<byte[], List<Delivery>> GOOD = r -> List.of(Delivery.now(answer(r)));
    private static final Function<byte[], List<Delivery>> SILENT = r -> List.of();
    private static final Function<byte[], List<Delivery>> CORRUPT = r -> {
        byte[] a = answer(r);
        a[4] ^= 0x10;
        return List.of(Delivery.now(a));
    };

    @Test
    void readsRegistersWithACorrectlyFramedRequest() throws Exception {
        FakeSerialLine line = new FakeSerialLine(GOOD);
        try (ModbusRtuMaster master = master(line)) {
            assertArrayEquals(expected(0x48, 4), master.readInputRegisters(UNIT, 0x48, 4));
            // 11 04 00 48 00 04 + CRC
            assertArrayEquals(new RtuFrame(UNIT, HEX.parseHex("0400480004")).encode(), line.written().get(0));
            assertEquals(1, master.statistics().transactions());
        }
    }

    @Test
    void anAnswerArrivingByteByByteIsAssembled() throws Exception {
        FakeSerialLine line = new FakeSerialLine(r -> {
            byte[] a = answer(r);
            List<Delivery> out = new ArrayList<>();
            for (int i = 0; i < a.length; i++) {
                out.add(Delivery.after(i, new byte[] {a[i]}));
            }
            return out;
        });
        try (ModbusRtuMaster master = master(line)) {
            assertArrayEquals(expected(100, 10), master.readHoldingRegisters(UNIT, 100, 10));
        }
    }

    /**
     * 9600 Bd 8E1 (1.146 ms per character), so that the master waits for the rest of an answer as
     * long as the line needs to carry it; a frame silence longer than the gaps the peer leaves.
     */
    private static final ModbusRtuMasterConfig SLOW_LINE = ModbusRtuMasterConfig.builder()
            .timing(RtuTiming.of(9600, 11))
            .responseTimeout(Duration.ofMillis(500))
            .frameSilence(Duration.ofMillis(60))
            .retries(0)
            .build();

    @Test
    void anAnswerArrivingInBurstsLaterThanTheLineCouldCarryItIsAssembled() throws Exception {
        // 25 bytes: the header says 22 more are coming (25 ms at 9600 Bd); they come in two bursts,
        // the last one well after that, as from a USB adapter or a device that pauses.
        FakeSerialLine line = new FakeSerialLine(r -> {
            byte[] a = answer(r);
            return List.of(Delivery.now(Arrays.copyOf(a, 3)), Delivery.after(10, Arrays.copyOfRange(a, 3, 11)),
                    Delivery.after(70, Arrays.copyOfRange(a, 11, a.length)));
        });
        try (ModbusRtuMaster master = new ModbusRtuMaster(line, SLOW_LINE)) {
            assertArrayEquals(expected(300, 10), master.readHoldingRegisters(UNIT, 300, 10));
            assertEquals(0, master.statistics().noiseBytes());
        }
    }

    @Test
    void anExceptionAnswerToALongReadIsReadAsItArrives() {
        // Until the function code is in, the 5-byte exception response is as possible as the
        // 205-byte answer to 100 registers; the master must not wait for the long one.
        FakeSerialLine line = new FakeSerialLine(r -> {
            byte[] a = new RtuFrame(UNIT, HEX.parseHex("8302")).encode();
            List<Delivery> out = new ArrayList<>();
            for (int i = 0; i < a.length; i++) {
                out.add(Delivery.after(i, new byte[] {a[i]}));
            }
            return out;
        });
        try (ModbusRtuMaster master = new ModbusRtuMaster(line, SLOW_LINE)) {
            ModbusExceptionResponse e = assertThrows(ModbusExceptionResponse.class,
                    () -> master.readHoldingRegisters(UNIT, 0, 100));
            assertEquals(0x02, e.exceptionCode());
        }
    }

    @Test
    void aTruncatedAnswerOnASlowLineEndsAsTruncated() {
        // The header promises 25 bytes; 9 come. The master waits for the rest as long as the line
        // needs, then for the frame silence, and reports what it got.
        FakeSerialLine line = new FakeSerialLine(r -> List.of(Delivery.now(Arrays.copyOf(answer(r), 9))));
        try (ModbusRtuMaster master = new ModbusRtuMaster(line, SLOW_LINE)) {
            ModbusProtocolException e = assertThrows(ModbusProtocolException.class,
                    () -> master.readHoldingRegisters(UNIT, 0, 10));
            assertEquals(Kind.TRUNCATED_FRAME, e.kind());
            assertEquals("25 bytes (unit 17, function 0x03)", e.expected());
            assertEquals("9 bytes", e.actual());
        }
    }

    @Test
    void noiseBeforeTheAnswerIsSkipped() throws Exception {
        FakeSerialLine line = new FakeSerialLine(r -> List.of(
                Delivery.now(HEX.parseHex("ff00fe7f11")), Delivery.after(2, answer(r))));
        try (ModbusRtuMaster master = master(line)) {
            assertArrayEquals(expected(0, 2), master.readHoldingRegisters(UNIT, 0, 2));
            assertEquals(5, master.statistics().noiseBytes());
        }
    }

    @Test
    void aCrcErrorIsRetriedAndNeverReturned() throws Exception {
        FakeSerialLine line = new FakeSerialLine(perAttempt(CORRUPT, GOOD));
        try (ModbusRtuMaster master = master(line)) {
            assertArrayEquals(expected(0, 2), master.readHoldingRegisters(UNIT, 0, 2));
            LineStatistics s = master.statistics();
            assertEquals(1, s.crcErrors());
            assertEquals(1, s.retries());
            assertEquals(2, line.written().size());
        }
    }

    @Test
    void crcErrorsInEveryAttemptFailWithTheFrameBytes() {
        FakeSerialLine line = new FakeSerialLine(CORRUPT);
        try (ModbusRtuMaster master = master(line)) {
            ModbusProtocolException e = assertThrows(ModbusProtocolException.class,
                    () -> master.readHoldingRegisters(UNIT, 0, 2));
            assertEquals(Kind.CRC_ERROR, e.kind());
            assertTrue(e.getMessage().startsWith("crc (unit 17, function 0x03): expected 0x"), e.getMessage());
            assertEquals(3, line.written().size(), "one attempt and two retries");
            assertEquals(1, master.statistics().failedTransactions());
        }
    }

    @Test
    void aTruncatedAnswerEndsAfterTheLineFallsSilent() {
        FakeSerialLine line = new FakeSerialLine(r -> List.of(Delivery.now(Arrays.copyOf(answer(r), 6))));
        try (ModbusRtuMaster master = master(line)) {
            ModbusProtocolException e = assertThrows(ModbusProtocolException.class,
                    () -> master.readHoldingRegisters(UNIT, 0, 4));
            assertEquals(Kind.TRUNCATED_FRAME, e.kind());
            assertEquals("13 bytes (unit 17, function 0x03)", e.expected());
            assertEquals("6 bytes", e.actual());
        }
    }

    @Test
    void silenceIsATimeoutNamingTheTransaction() {
        FakeSerialLine line = new FakeSerialLine(SILENT);
        try (ModbusRtuMaster master = master(line)) {
            ModbusTimeoutException e = assertThrows(ModbusTimeoutException.class,
                    () -> master.readInputRegisters(UNIT, 0, 2));
            assertEquals("response to function 0x04 from unit 17 on fake serial line: no answer within 250 ms",
                    e.getMessage());
            assertEquals(3, master.statistics().timeouts());
        }
    }

    @Test
    void anAnswerFromAnotherUnitIsNeverTaken() {
        FakeSerialLine line = new FakeSerialLine(r -> {
            byte[] a = answer(r);
            a[0] = 18;
            return List.of(Delivery.now(new RtuFrame(18, Arrays.copyOfRange(a, 1, a.length - 2)).encode()));
        });
        try (ModbusRtuMaster master = master(line)) {
            ModbusProtocolException e = assertThrows(ModbusProtocolException.class,
                    () -> master.readHoldingRegisters(UNIT, 0, 2));
            assertEquals(Kind.UNEXPECTED_UNIT, e.kind());
            assertEquals("17", e.expected());
            assertEquals("18", e.actual());
        }
    }

    @Test
    void aSecondDeviceAnsweringAfterOursDoesNotChangeTheValue() throws Exception {
        FakeSerialLine line = new FakeSerialLine(r -> {
            byte[] other = new RtuFrame(18, HEX.parseHex("0304ffffffff")).encode();
            return List.of(Delivery.now(answer(r)), Delivery.after(1, other));
        });
        try (ModbusRtuMaster master = master(line)) {
            assertArrayEquals(expected(0, 2), master.readHoldingRegisters(UNIT, 0, 2));
            // The stray frame is dropped before the next transaction, which reads its own answer.
            assertArrayEquals(expected(7, 2), master.readHoldingRegisters(UNIT, 7, 2));
        }
    }

    @Test
    void anAnswerToAnotherFunctionIsNeverTaken() {
        FakeSerialLine line = new FakeSerialLine(r -> {
            byte[] request = r.clone();
            request[1] = 0x04;
            return List.of(Delivery.now(answer(new RtuFrame(UNIT, Arrays.copyOfRange(request, 1, 6)).encode())));
        });
        try (ModbusRtuMaster master = master(line)) {
            ModbusProtocolException e = assertThrows(ModbusProtocolException.class,
                    () -> master.readHoldingRegisters(UNIT, 0, 2));
            assertEquals(Kind.UNEXPECTED_FUNCTION, e.kind());
        }
    }

    @Test
    void anAnswerWithTheWrongNumberOfRegistersIsNeverTaken() {
        FakeSerialLine line = new FakeSerialLine(r -> List.of(
                Delivery.now(new RtuFrame(UNIT, HEX.parseHex("030400010002")).encode())));
        try (ModbusRtuMaster master = master(line)) {
            ModbusProtocolException e = assertThrows(ModbusProtocolException.class,
                    () -> master.readHoldingRegisters(UNIT, 0, 3));
            assertEquals(Kind.MALFORMED, e.kind());
            assertEquals("byte count", e.field());
        }
    }

    @Test
    void anExceptionResponseIsAnAnswerAndNotRetried() {
        FakeSerialLine line = new FakeSerialLine(r -> List.of(
                Delivery.now(new RtuFrame(UNIT, HEX.parseHex("8302")).encode())));
        try (ModbusRtuMaster master = master(line)) {
            ModbusExceptionResponse e = assertThrows(ModbusExceptionResponse.class,
                    () -> master.readHoldingRegisters(UNIT, 0x9000, 2));
            assertEquals(0x02, e.exceptionCode());
            assertTrue(e.getMessage().contains("illegal data address"), e.getMessage());
            assertEquals(1, line.written().size());
        }
    }

    @Test
    void aBusyDeviceIsAskedAgain() throws Exception {
        Function<byte[], List<Delivery>> busy = r -> List.of(
                Delivery.now(new RtuFrame(UNIT, HEX.parseHex("8306")).encode()));
        FakeSerialLine line = new FakeSerialLine(perAttempt(busy, GOOD));
        try (ModbusRtuMaster master = master(line)) {
            assertArrayEquals(expected(0, 1), master.readHoldingRegisters(UNIT, 0, 1));
            assertEquals(2, line.written().size());
        }
    }

    @Test
    void aLateAnswerToAFailedTransactionIsNotTakenForTheNextOne() throws Exception {
        // The first request is answered only after the master gave up on it; the answer has the same
        // function and length as the next transaction's, and only the drain before it keeps it out.
        ModbusRtuMasterConfig noRetry = ModbusRtuMasterConfig.builder()
                .timing(RtuTiming.of(38400, 11))
                .responseTimeout(Duration.ofMillis(100))
                .frameSilence(Duration.ofMillis(100))
                .retries(0)
                .build();
        // Without the drain the next request goes out at ~100 ms, the late answer arrives 30 ms later
        // and the right one 60 ms later.
        Function<byte[], List<Delivery>> late = r -> List.of(Delivery.after(130, answer(r)));
        Function<byte[], List<Delivery>> slow = r -> List.of(Delivery.after(60, answer(r)));
        FakeSerialLine line = new FakeSerialLine(perAttempt(late, slow));
        try (ModbusRtuMaster master = new ModbusRtuMaster(line, noRetry)) {
            assertThrows(ModbusTimeoutException.class, () -> master.readHoldingRegisters(UNIT, 0, 2));
            assertArrayEquals(expected(500, 2), master.readHoldingRegisters(UNIT, 500, 2));
            assertTrue(master.statistics().noiseBytes() >= 9, "late answer dropped: " + master.statistics());
        }
    }

    @Test
    void broadcastIsOnlyForWrites() {
        try (ModbusRtuMaster master = master(new FakeSerialLine(GOOD))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> master.broadcast(new ReadHoldingRegistersRequest(0, 1)));
            assertEquals("broadcast function: expected a write (0x06 or 0x10), actual 0x03", e.getMessage());
        }
    }

    @Test
    void refusesUnitsThatCannotAnswer() {
        try (ModbusRtuMaster master = master(new FakeSerialLine(GOOD))) {
            assertThrows(IllegalArgumentException.class, () -> master.readHoldingRegisters(0, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> master.readHoldingRegisters(248, 0, 1));
        }
    }

    @Test
    void aClosedMasterRefusesWork() {
        ModbusRtuMaster master = master(new FakeSerialLine(GOOD));
        master.close();
        assertThrows(ModbusIoException.class, () -> master.readHoldingRegisters(UNIT, 0, 1));
    }
}
