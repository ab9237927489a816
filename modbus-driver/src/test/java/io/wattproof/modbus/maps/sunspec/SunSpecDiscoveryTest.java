package io.wattproof.modbus.maps.sunspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.maps.MapParseResult;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMapParser;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.maps.MeterReader;
import io.wattproof.modbus.maps.MeterReading;
import io.wattproof.modbus.maps.RegisterTable;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.ReadHoldingRegistersRequest;
import io.wattproof.modbus.slave.RegisterBank;
import io.wattproof.modbus.testing.RegisterBankMaster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SunSpecDiscoveryTest {
    static final CommonModel IDENTITY = CommonModel.of("Acme Meters", "AM-3", null, "1.2.3", "SN-0042");

    static SunSpecDeviceImage device(int base, MeterMap... models) {
        return SunSpecDeviceImage.build(base, IDENTITY, List.of(models));
    }

    static MeterMap model(int id) {
        return MeterMaps.sunspecModel(id).orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(ints = {40000, 0, 50000})
    void findsTheMarkerAtEachBaseAndTheMeterModel(int base) throws Exception {
        SunSpecDeviceImage device = device(base, model(203));
        RegisterBankMaster master = new RegisterBankMaster(device.image());
        SunSpecDevice found = SunSpecDiscovery.discover(master, 1);
        assertEquals(base, found.baseAddress());
        assertEquals(device.models(), found.models());
        assertEquals(new ModelHeader(203, base + 70, 105), found.meter().orElseThrow());
        assertEquals(new CommonModel(Optional.of("Acme Meters"), Optional.of("AM-3"), Optional.empty(),
                Optional.of("1.2.3"), Optional.of("SN-0042")), found.common());
        // Bases are tried in order: 40000, then 0, then 50000.
        int tried = List.of(40000, 0, 50000).indexOf(base) + 1;
        for (int i = 0; i < tried; i++) {
            assertEquals(new ReadHoldingRegistersRequest(List.of(40000, 0, 50000).get(i), 2), master.requests().get(i));
        }
    }

    @Test
    void skipsOtherModelsAndReadsTheFirstMeter() throws Exception {
        // A vendor model in front of the meters, standing in for e.g. an inverter model.
        MeterMap vendor = ((MapParseResult.Parsed) MeterMapParser.parse("vendor.yaml", """
                schema: wattproof-meter-map/1
                model: Vendor-64000
                manufacturer: Acme
                description: a vendor model
                source: test
                phases: 1
                sunspec_model: 64000
                defaults: {function: holding, type: uint16}
                values:
                  status: {offset: 2, unit: "", description: status}
                  spare: {offset: 11, unit: "", description: spare}
                """)).map();
        SunSpecDeviceImage device = device(40000, vendor, model(201));
        SunSpecDevice found = SunSpecDiscovery.discover(new RegisterBankMaster(device.image()), 1);
        assertEquals(List.of(1, 64000, 201), found.models().stream().map(ModelHeader::id).toList());
        assertEquals(new ModelHeader(201, 40000 + 2 + 68 + 12, 105), found.meter().orElseThrow());
    }

    @Test
    void readingThroughTheLocatedMapReturnsTheServedValues() throws Exception {
        SunSpecDeviceImage device = device(40000, model(203));
        device.image().setAll(Map.of("V_SF", -1.0, "W_SF", 1.0, "TotWh_SF", 1.0));
        device.image().setAll(Map.of("voltage_l1", 231.7, "power_total", -4560.0, "import_energy", 98_765_430.0));
        RegisterBankMaster master = new RegisterBankMaster(device.image());
        SunSpecDevice found = SunSpecDiscovery.discover(master, 1);
        MeterReading r = new MeterReader(master, 1, found.meterMap().orElseThrow())
                .read(List.of("voltage_l1", "power_total", "import_energy"));
        assertEquals(Map.of("voltage_l1", 231.7, "power_total", -4560.0, "import_energy", 98_765_430.0), r.values());
    }

    @Test
    void aDeviceWithoutMeterModelHasNone() throws Exception {
        SunSpecDevice found = SunSpecDiscovery.discover(new RegisterBankMaster(device(40000).image()), 1);
        assertTrue(found.meter().isEmpty());
        assertTrue(found.meterMap().isEmpty());
    }

    @Test
    void noMarkerAnywhere() {
        RegisterBank notSunSpec = (function, address, quantity) -> {
            if (address == 0) {
                return new int[] {0x1234, 0x5678};
            }
            throw new ModbusExceptionResponse(function.code(), ExceptionCode.ILLEGAL_DATA_ADDRESS);
        };
        var e = assertThrows(ModbusProtocolException.class,
                () -> SunSpecDiscovery.discover(new RegisterBankMaster(notSunSpec), 1));
        assertEquals("SunSpec marker (holding registers [40000, 0, 50000])", e.field());
        assertEquals("40000: exception 0x02; 0: 0x1234 0x5678; 50000: exception 0x02", e.actual());
    }

    @Test
    void aMissingEndMarkerAnsweredWithIllegalAddressEndsTheChain() throws Exception {
        SunSpecDeviceImage device = device(40000, model(203));
        int endMarker = device.end() - 2;
        RegisterBank withoutEnd = (function, address, quantity) -> {
            if (address + quantity > endMarker) {
                throw new ModbusExceptionResponse(function.code(), ExceptionCode.ILLEGAL_DATA_ADDRESS);
            }
            return device.image().read(function, address, quantity);
        };
        SunSpecDevice found = SunSpecDiscovery.discover(new RegisterBankMaster(withoutEnd), 1);
        assertEquals(2, found.models().size());
    }

    @Test
    void refusesAMeterModelShorterThanItsDefinition() {
        SunSpecDeviceImage device = device(40000, model(203));
        device.image().setRegisters(RegisterTable.HOLDING, 40070, 203, 50);
        // The chain now says the end marker is at 40122; put one there so the walk ends.
        RegisterBank bank = (function, address, quantity) -> {
            if (address == 40122) {
                return new int[] {0xFFFF, 0};
            }
            return device.image().read(function, address, quantity);
        };
        var e = assertThrows(ModbusProtocolException.class, () -> SunSpecDiscovery.discover(new RegisterBankMaster(bank), 1));
        assertEquals("SunSpec model 203 length (holding register 0x9c87)", e.field());
        assertEquals("at least 105 registers (sunspec-203.yaml)", e.expected());
        assertEquals("50", e.actual());
    }

    @Test
    void aLyingChainIsBoundedAndRefused() {
        // Every header read returns "model 64000, length 0": without a cap this would walk to 65535.
        RegisterBank liar = (function, address, quantity) -> {
            if (address == 40000) {
                return new int[] {SunSpecDiscovery.MARKER_HIGH, SunSpecDiscovery.MARKER_LOW};
            }
            if (address == 40002) {
                return new int[] {1, 66};
            }
            return new int[] {64000, 0};
        };
        RegisterBankMaster master = new RegisterBankMaster(liar);
        var e = assertThrows(ModbusProtocolException.class, () -> SunSpecDiscovery.discover(master, 1));
        assertEquals("the end marker after at most 64 models", e.expected());
        assertEquals(1 + ModelChain.MAX_MODELS + 1, master.requests().size());
    }

    @Test
    void exceptionResponsesAtEveryBaseAreReported() {
        RegisterBank failing = (function, address, quantity) -> {
            throw new ModbusExceptionResponse(function.code(), ExceptionCode.SERVER_DEVICE_FAILURE);
        };
        var e = assertThrows(ModbusProtocolException.class, () -> SunSpecDiscovery.discover(new RegisterBankMaster(failing), 1));
        assertEquals("40000: exception 0x04; 0: exception 0x04; 50000: exception 0x04", e.actual());
    }

    @Test
    void anExceptionInsideTheChainIsPassedOn() {
        SunSpecDeviceImage device = device(40000, model(203));
        RegisterBank bank = (function, address, quantity) -> {
            if (address == 40070) {
                throw new ModbusExceptionResponse(function.code(), ExceptionCode.SERVER_DEVICE_BUSY);
            }
            return device.image().read(function, address, quantity);
        };
        var e = assertThrows(ModbusExceptionResponse.class, () -> SunSpecDiscovery.discover(new RegisterBankMaster(bank), 1));
        assertEquals(ExceptionCode.SERVER_DEVICE_BUSY, e.knownCode().orElseThrow());
    }
}
