package io.wattproof.modbus.maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.FunctionCode;
import io.wattproof.modbus.testing.Sdm630Fixture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeterRegisterImageTest {

    @Test
    void holdsFloat32HighWordFirstAndKilowattHours() throws Exception {
        MeterRegisterImage image = new MeterRegisterImage(Sdm630Fixture.map());
        image.set("voltage_l1", 230.0);
        image.set("import_energy", 1_234_500.0); // Wh: the register holds 1234.5 kWh
        // IEEE 754: 230.0 = 0x43660000, 1234.5 = 0x449a5000.
        assertArrayEquals(new int[] {0x4366, 0x0000}, image.read(FunctionCode.READ_INPUT_REGISTERS, 0x0000, 2));
        assertArrayEquals(new int[] {0x449a, 0x5000}, image.read(FunctionCode.READ_INPUT_REGISTERS, 0x0048, 2));
    }

    @Test
    void servesReadableRangesAndValuesOnly() throws Exception {
        MeterRegisterImage image = Sdm630Fixture.image();
        int[] block = image.read(FunctionCode.READ_INPUT_REGISTERS, 0, 80);
        assertArrayEquals(new int[] {0x4366, 0x8000}, java.util.Arrays.copyOfRange(block, 0, 2)); // 230.5
        assertArrayEquals(new int[4], java.util.Arrays.copyOfRange(block, 0x2a, 0x2e)); // unset and gap registers: 0
        assertArrayEquals(new int[8], image.read(FunctionCode.READ_INPUT_REGISTERS, 0x00c8, 8));
        for (int[] outside : new int[][] {{0x004f, 2}, {0x0050, 1}, {0x00c6, 4}, {0x00e0, 3}}) {
            var e = assertThrows(ModbusExceptionResponse.class,
                    () -> image.read(FunctionCode.READ_INPUT_REGISTERS, outside[0], outside[1]));
            assertEquals(ExceptionCode.ILLEGAL_DATA_ADDRESS, e.knownCode().orElseThrow());
            assertEquals(0x04, e.function());
        }
        var holding = assertThrows(ModbusExceptionResponse.class, () -> image.read(FunctionCode.READ_HOLDING_REGISTERS, 0, 2));
        assertEquals(2, holding.exceptionCode());
    }

    @Test
    void refusedUpdateLeavesTheImageUnchanged() throws Exception {
        MeterRegisterImage image = Sdm630Fixture.image();
        int[] before = image.registers(RegisterTable.INPUT, 0, 80);
        Map<String, Double> update = new LinkedHashMap<>();
        update.put("voltage_l1", 1.0);
        update.put("import_energy", 1e300); // beyond float32
        var e = assertThrows(IllegalArgumentException.class, () -> image.setAll(update));
        assertEquals("import_energy: 1.0E300 Wh needs raw value 1.0000000E+297, outside float32 range", e.getMessage());
        assertArrayEquals(before, image.registers(RegisterTable.INPUT, 0, 80));
    }

    @Test
    void refusesValuesThatDoNotFitTheRegister() {
        MeterMap m203 = MeterMaps.sunspecModel(203).orElseThrow().located(40070, 105);
        MeterRegisterImage image = new MeterRegisterImage(m203);
        image.set("W_SF", -1);
        var e = assertThrows(IllegalArgumentException.class, () -> image.set("power_total", 5000.0));
        assertEquals("power_total: 5000.0 W needs raw value 50000, outside int16 range -32768..32767", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> image.set("voltage_l1", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> image.set("no_such_value", 1.0));
        assertThrows(IllegalArgumentException.class, () -> new MeterRegisterImage(MeterMaps.sunspecModel(203).orElseThrow()));
    }

    @Test
    void mapsSharingAnImageMustNotShareNames() {
        MeterMap a = MeterMaps.sunspecModel(203).orElseThrow().located(40070, 105);
        MeterMap b = MeterMaps.sunspecModel(201).orElseThrow().located(40200, 105);
        var e = assertThrows(IllegalArgumentException.class, () -> new MeterRegisterImage(List.of(a, b), List.of()));
        assertEquals("value name 'current_total' appears in two maps", e.getMessage());
    }
}
