package io.wattproof.modbus.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.pdu.DecodeResult;
import io.wattproof.modbus.pdu.ReadInputRegistersRequest;
import io.wattproof.modbus.testing.RegisterBankMaster;
import io.wattproof.modbus.testing.Sdm630Fixture;
import io.wattproof.modbus.types.DataType;
import io.wattproof.modbus.types.Encoding;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MeterReaderTest {
    static final MeterMap SDM630 = MeterMaps.find("SDM630").orElseThrow();
    /** Model 203 at the usual place after "SunS" (40000..40001) and the common model (40002..40069). */
    static final int MODEL_ADDRESS = 40070;
    static final MeterMap M203 = MeterMaps.sunspecModel(203).orElseThrow().located(MODEL_ADDRESS, 105);

    @Test
    void readsTheAgentValuesOfAnSdm630InOneRequest() throws Exception {
        RegisterBankMaster master = new RegisterBankMaster(Sdm630Fixture.image());
        MeterReading reading = new MeterReader(master, 1, SDM630).read(Sdm630Fixture.AGENT_VALUES);
        assertEquals(Sdm630Fixture.expected(), reading);
        assertEquals(List.of(new ReadInputRegistersRequest(0x0000, 0x4C)), master.requests());
        assertEquals(List.copyOf(Sdm630Fixture.VALUES.keySet()), List.copyOf(reading.values().keySet()));
    }

    @Test
    void readsEveryValueByDefault() throws Exception {
        RegisterBankMaster master = new RegisterBankMaster(Sdm630Fixture.image());
        MeterReading reading = new MeterReader(master, 1, SDM630).read();
        assertEquals(SDM630.names(), List.copyOf(reading.values().keySet()));
        assertEquals(0.0, reading.value("frequency").orElseThrow());
        assertEquals(3, master.requests().size());
    }

    @Test
    void kilowattHoursBecomeWattHoursExactly() throws Exception {
        MeterRegisterImage image = Sdm630Fixture.image();
        image.set("import_energy", 300.0); // 0.3 kWh: float32 0.3f, not exactly 0.3
        MeterReading reading = new MeterReader(new RegisterBankMaster(image), 1, SDM630).read(List.of("import_energy"));
        // The reading is the float's exact value times 1000, rounded once.
        assertEquals(new BigDecimal(0.3f).multiply(BigDecimal.valueOf(1000)).doubleValue(),
                reading.value("import_energy").orElseThrow());
        assertEquals(300.0, reading.value("import_energy").orElseThrow(), 1e-4);
    }

    @Test
    void valuesComeBackRoundedToFloat32LikeARealMeter() throws Exception {
        MeterRegisterImage image = Sdm630Fixture.image();
        image.set("voltage_l1", 230.1);
        MeterReading reading = new MeterReader(new RegisterBankMaster(image), 1, SDM630).read(List.of("voltage_l1"));
        assertEquals((double) 230.1f, reading.value("voltage_l1").orElseThrow());
    }

    @Test
    void refusesANanEnergyRegister() {
        MeterRegisterImage image = Sdm630Fixture.image();
        image.setRaw("import_energy", 0x7fc0, 0x0000);
        var e = assertThrows(ModbusProtocolException.class,
                () -> new MeterReader(new RegisterBankMaster(image), 1, SDM630).read(Sdm630Fixture.AGENT_VALUES));
        assertEquals("import_energy (input register 0x0048)", e.field());
        assertEquals("a finite float32", e.expected());
        assertEquals("NaN", e.actual());
        assertEquals("7f c0 00 00", e.hex());
    }

    @Test
    void refusesAnInfiniteRegister() {
        MeterRegisterImage image = Sdm630Fixture.image();
        image.setRaw("current_l2", 0xff80, 0x0000);
        var e = assertThrows(ModbusProtocolException.class,
                () -> new MeterReader(new RegisterBankMaster(image), 1, SDM630).read());
        assertEquals("current_l2 (input register 0x0008)", e.field());
        assertEquals("-Infinity", e.actual());
    }

    /** A SunSpec 203 image with typical scale factors and values. */
    static MeterRegisterImage sunspecImage() {
        MeterRegisterImage image = new MeterRegisterImage(M203);
        image.setAll(Map.of(
                "A_SF", -2.0, "V_SF", -1.0, "Hz_SF", -2.0, "W_SF", 0.0, "PF_SF", 0.0, "TotWh_SF", 0.0,
                "VA_SF", 0.0, "VAR_SF", 0.0, "TotVAh_SF", 0.0, "TotVArh_SF", 0.0));
        image.setAll(Map.of("voltage_l1", 230.5, "current_l1", 5.25, "frequency", 49.98, "power_total", -1520.0,
                "power_factor", -0.95, "import_energy", 123_456_789.0, "export_energy", 0.0));
        return image;
    }

    @Test
    void appliesSunSpecScaleFactorsExactly() throws Exception {
        RegisterBankMaster master = new RegisterBankMaster(sunspecImage());
        MeterReading r = new MeterReader(master, 1, M203).read(List.of("voltage_l1", "current_l1", "frequency",
                "power_total", "power_factor", "import_energy", "export_energy"));
        assertEquals(Map.of("voltage_l1", 230.5, "current_l1", 5.25, "frequency", 49.98, "power_total", -1520.0,
                "power_factor", -0.95, "import_energy", 123_456_789.0, "export_energy", 0.0), r.values());
        // One request over the model, from the first needed register to the last.
        assertEquals(1, master.requests().size());
    }

    @Test
    void notImplementedPointsAreAbsent() throws Exception {
        MeterRegisterImage image = sunspecImage();
        image.setRaw("voltage_l2", 0x8000); // int16 "not implemented"
        image.setRaw("VA_SF", 0x8000); // scale factor not implemented: its values cannot be scaled
        MeterReading r = new MeterReader(new RegisterBankMaster(image), 1, M203)
                .read(List.of("voltage_l1", "voltage_l2", "apparent_power_total"));
        assertEquals(Map.of("voltage_l1", 230.5), r.values());
        assertEquals(List.of("voltage_l2", "apparent_power_total"), r.absent());
    }

    @Test
    void refusesAScaleFactorOutOfRange() {
        MeterRegisterImage image = sunspecImage();
        image.setRaw("W_SF", 11);
        var e = assertThrows(ModbusProtocolException.class,
                () -> new MeterReader(new RegisterBankMaster(image), 1, M203).read(List.of("power_total")));
        assertEquals("W_SF (holding register 0x9c9c), scale factor of power_total", e.field());
        assertEquals("a scale factor -10..10", e.expected());
        assertEquals("11", e.actual());
        assertEquals("00 0b", e.hex());
    }

    @Test
    void readsStringsAndRefusesNonAscii() throws Exception {
        MeterMap common = MeterMaps.find("SunSpec common").orElseThrow().located(40002, 66);
        MeterRegisterImage image = new MeterRegisterImage(common);
        image.setText("Mn", "Acme Meters");
        image.setText("SN", "  SN-0042  ");
        MeterReader reader = new MeterReader(new RegisterBankMaster(image), 1, common);
        MeterReading r = reader.read(List.of("Mn", "Md", "SN"));
        assertEquals(Map.of("Mn", "Acme Meters", "SN", "SN-0042"), r.texts());
        assertEquals(List.of("Md"), r.absent()); // all NUL: not implemented

        image.setRaw("Md", 0x41c3, 0xa900, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var e = assertThrows(ModbusProtocolException.class, () -> reader.read(List.of("Md")));
        assertEquals("Md (holding register 0x9c54)", e.field());
        assertEquals("byte 0xc3 at index 1", e.actual());
        assertTrue(e.hex().startsWith("41 c3 a9 00 00"), e.hex());
    }

    @Test
    void uint64BeyondLongRangeReadsAsUnsigned() {
        MapValue big = new MapValue("counter", RegisterTable.INPUT, 0, Encoding.of(DataType.UINT64), Unit.WH, "counter",
                new BigDecimal("0.001"), Optional.empty(), OptionalLong.empty());
        MeterMap m = new MeterMap("t.yaml", "T", List.of(), "Acme", "t", "t", 1, OptionalInt.empty(), OptionalInt.empty(),
                125, List.of(), Optional.empty(), List.of(big));
        ReadPlan plan = ReadPlanner.plan(m);
        var result = MeterDecoder.decode(m, plan, List.of(new int[] {0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF}));
        MeterReading r = ((DecodeResult.Decoded<MeterReading>) result).value();
        assertEquals(new BigDecimal(new BigInteger("18446744073709551615")).multiply(new BigDecimal("0.001")).doubleValue(),
                r.value("counter").orElseThrow());
    }

    /**
     * Property: for every raw integer a device can send, encoding its reading gives the same raw
     * registers back, whatever the scale, scale factor and unit.
     */
    @Test
    void encoderInvertsDecoderOverGeneratedRawValues() {
        Random random = new Random(5);
        DataType[] types = {DataType.INT16, DataType.UINT16, DataType.INT32, DataType.UINT32, DataType.ACC32, DataType.INT64};
        String[] scales = {"1", "0.1", "0.01", "0.001", "-1", "10"};
        Unit[] units = {Unit.W, Unit.KW, Unit.KWH, Unit.V};
        for (int i = 0; i < 5_000; i++) {
            DataType type = types[random.nextInt(types.length)];
            Encoding e = Encoding.of(type);
            boolean withSf = random.nextBoolean();
            int sf = random.nextInt(7) - 3;
            MapValue v = new MapValue("v", RegisterTable.HOLDING, 0, e, units[random.nextInt(units.length)], "v",
                    new BigDecimal(scales[random.nextInt(scales.length)]), withSf ? Optional.of("sf") : Optional.empty(),
                    OptionalLong.empty());
            MapValue sfValue = new MapValue("sf", RegisterTable.HOLDING, 4, Encoding.of(DataType.SUNSSF), Unit.NONE, "sf",
                    BigDecimal.ONE, Optional.empty(), OptionalLong.empty());
            MeterMap m = new MeterMap("t.yaml", "T", List.of(), "Acme", "t", "t", 1, OptionalInt.empty(),
                    OptionalInt.empty(), 125, List.of(), Optional.empty(), List.of(v, sfValue));
            // int64 limited to 2^53 so that the reading itself is exact in a double.
            BigInteger span = type == DataType.INT64 ? BigInteger.ONE.shiftLeft(53) : e.max().subtract(e.min());
            BigInteger raw = new BigInteger(span.bitLength() + 4, random).mod(span.add(BigInteger.ONE))
                    .add(type == DataType.INT64 ? BigInteger.ONE.shiftLeft(52).negate() : e.min());
            int[] registers = new int[5];
            System.arraycopy(e.encodeInteger(raw), 0, registers, 0, e.width());
            registers[4] = Encoding.of(DataType.SUNSSF).encodeInteger(sf)[0];
            ReadPlan plan = ReadPlanner.plan(m, List.of("v"));
            List<int[]> responses = plan.reads().stream()
                    .map(r -> java.util.Arrays.copyOfRange(registers, r.address(), r.end()))
                    .toList();
            var decoded = MeterDecoder.decode(m, plan, responses);
            double reading = ((DecodeResult.Decoded<MeterReading>) decoded).value().value("v").orElseThrow();
            assertEquals(raw, e.decodeInteger(MeterEncoder.encode(v, reading, sf), 0),
                    type + " raw " + raw + " scale " + v.scale() + " sf " + sf + " unit " + v.unit() + " reading " + reading);
        }
    }
}
