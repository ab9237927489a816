package io.wattproof.modbus.maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.FunctionCode;
import io.wattproof.modbus.pdu.ReadInputRegistersRequest;
import io.wattproof.modbus.testing.RegisterBankMaster;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Sdm630Test {

    static final MeterValues VALUES = new MeterValues(230.5, 231.25, 229.75, 5.5, 6.125, 0.0, 3862.5, 12345.5, 678.25);

    /**
     * Register numbers and addresses as listed in the SDM630-Modbus v2 protocol document, input
     * register table ("30001 Phase 1 line to neutral volts, start address hex 00 00", ...).
     */
    @ParameterizedTest
    @CsvSource({
        "PHASE_1_VOLTAGE, 30001, 0x0000, V",
        "PHASE_2_VOLTAGE, 30003, 0x0002, V",
        "PHASE_3_VOLTAGE, 30005, 0x0004, V",
        "PHASE_1_CURRENT, 30007, 0x0006, A",
        "PHASE_2_CURRENT, 30009, 0x0008, A",
        "PHASE_3_CURRENT, 30011, 0x000A, A",
        "PHASE_1_ACTIVE_POWER, 30013, 0x000C, W",
        "PHASE_2_ACTIVE_POWER, 30015, 0x000E, W",
        "PHASE_3_ACTIVE_POWER, 30017, 0x0010, W",
        "TOTAL_SYSTEM_POWER, 30053, 0x0034, W",
        "TOTAL_IMPORT_ACTIVE_ENERGY, 30073, 0x0048, kWh",
        "TOTAL_EXPORT_ACTIVE_ENERGY, 30075, 0x004A, kWh"
    })
    void registerAddressesMatchTheProtocolDocument(Sdm630Register register, int number, String address, String unit) {
        assertEquals(Integer.decode(address), register.address());
        assertEquals(number, register.registerNumber());
        assertEquals(unit, register.unit());
    }

    @Test
    void readsInThreeContiguousRequests() throws Exception {
        Sdm630RegisterImage image = new Sdm630RegisterImage();
        image.update(VALUES);
        RegisterBankMaster master = new RegisterBankMaster(image);

        assertEquals(VALUES, Sdm630.read(master, 1));
        assertEquals(List.of(
                new ReadInputRegistersRequest(0x0000, 12),
                new ReadInputRegistersRequest(0x0034, 2),
                new ReadInputRegistersRequest(0x0048, 4)), master.requests());
    }

    @Test
    void imageHoldsFloat32HighWordFirst() throws Exception {
        Sdm630RegisterImage image = new Sdm630RegisterImage();
        image.update(new MeterValues(230.0, 0, 0, 0, 0, 0, 0, 1234.5, 0));
        assertArrayEquals(new int[] {0x4366, 0x0000}, image.read(FunctionCode.READ_INPUT_REGISTERS, 0x0000, 2));
        assertArrayEquals(new int[] {0x449a, 0x5000}, image.read(FunctionCode.READ_INPUT_REGISTERS, 0x0048, 2));
    }

    @Test
    void valuesComeBackRoundedToFloat32LikeARealMeter() throws Exception {
        Sdm630RegisterImage image = new Sdm630RegisterImage();
        image.update(new MeterValues(230.1, 0, 0, 0, 0, 0, 0, 0.1, 0));
        MeterValues read = Sdm630.read(new RegisterBankMaster(image), 1);
        assertEquals((double) 230.1f, read.voltageL1());
        assertEquals((double) 0.1f, read.importActiveEnergy());
    }

    @Test
    void refusesANanRegisterAsAReading() {
        Sdm630RegisterImage image = new Sdm630RegisterImage();
        image.update(VALUES);
        image.set(Sdm630Register.TOTAL_IMPORT_ACTIVE_ENERGY, Float.NaN);
        var e = assertThrows(ModbusProtocolException.class, () -> Sdm630.read(new RegisterBankMaster(image), 1));
        assertEquals("total import active energy (input register 0x0048)", e.field());
        assertEquals("a finite float32", e.expected());
        assertEquals("NaN", e.actual());
        assertEquals("7f c0 00 00", e.hex());
    }

    @Test
    void refusesAnInfiniteRegisterAsAReading() {
        Sdm630RegisterImage image = new Sdm630RegisterImage();
        image.update(VALUES);
        image.set(Sdm630Register.PHASE_2_CURRENT, Float.NEGATIVE_INFINITY);
        var e = assertThrows(ModbusProtocolException.class, () -> Sdm630.read(new RegisterBankMaster(image), 1));
        assertEquals("phase 2 current (input register 0x0008)", e.field());
        assertEquals("-Infinity", e.actual());
    }

    @Test
    void meterValuesRefuseNonFiniteNumbers() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new MeterValues(230, 230, 230, 1, 1, 1, Double.NaN, 1, 1));
        assertEquals("totalActivePower: expected a finite value, actual NaN", e.getMessage());
    }

    @Test
    void imageRefusesValuesBeyondFloat32() {
        Sdm630RegisterImage image = new Sdm630RegisterImage();
        assertThrows(IllegalArgumentException.class, () -> image.update(new MeterValues(0, 0, 0, 0, 0, 0, 0, 1e300, 0)));
    }

    @Test
    void unmappedRegistersInTheImageReadAsZero() throws Exception {
        Sdm630RegisterImage image = new Sdm630RegisterImage();
        image.update(VALUES);
        assertArrayEquals(new int[125], image.read(FunctionCode.READ_INPUT_REGISTERS, 0x0080, 125));
        assertArrayEquals(new int[] {0, 0}, image.read(FunctionCode.READ_INPUT_REGISTERS, 0x0012, 2));
    }

    @Test
    void imageAnswersIllegalDataAddressOutsideItsArea() {
        Sdm630RegisterImage image = new Sdm630RegisterImage();
        var e = assertThrows(ModbusExceptionResponse.class,
                () -> image.read(FunctionCode.READ_INPUT_REGISTERS, 0x00FF, 2));
        assertEquals(ExceptionCode.ILLEGAL_DATA_ADDRESS, e.knownCode().orElseThrow());
        assertEquals(0x04, e.function());
        var holding = assertThrows(ModbusExceptionResponse.class,
                () -> image.read(FunctionCode.READ_HOLDING_REGISTERS, 0, 2));
        assertEquals(2, holding.exceptionCode());
    }

    @Test
    void blocksMergeOnlyTouchingRanges() {
        assertEquals(List.of(new RegisterBlock(0, 6), new RegisterBlock(10, 2)),
                RegisterBlock.covering(List.of(new RegisterBlock(10, 2), new RegisterBlock(2, 4), new RegisterBlock(0, 2))));
        // Never more than 125 registers per block.
        assertEquals(List.of(new RegisterBlock(0, 124), new RegisterBlock(124, 2)),
                RegisterBlock.covering(List.of(new RegisterBlock(0, 124), new RegisterBlock(124, 2))));
    }
}
