package io.wattproof.simulator.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wattproof.agent.meter.MeterSnapshot;
import io.wattproof.agent.meter.ModbusMeterSource;
import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.simulator.load.LoadProfile;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A meter read in process answers the agent's reads as its Modbus TCP slave would, and nothing else. */
class VirtualMeterInProcessTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void theAgentsMeterSourceReadsTheSameRegistersByMethodCall() throws Exception {
        try (VirtualMeter meter = VirtualMeter.startInProcess("SIM000001", LoadProfile.household(1, false, 0), ZoneOffset.UTC, 1234.5,
                clock)) {
            assertFalse(meter.servesTcp());
            MeterSnapshot s = new ModbusMeterSource(meter.inProcessMaster(), VirtualMeter.UNIT_ID, VirtualMeter.MAP).read();
            assertEquals(1234.5, s.importKwh(), 0.01);
            assertEquals(0, s.exportKwh(), 0.001);
            IllegalStateException noPort = assertThrows(IllegalStateException.class, meter::port);
            assertEquals("meter SIM000001 runs in process, without a Modbus TCP port", noPort.getMessage());
        }
    }

    @Test
    void writesAndOtherUnitsAreRefusedAsAModbusDeviceWould() throws Exception {
        try (VirtualMeter meter = VirtualMeter.startInProcess("SIM000002", LoadProfile.household(2, false, 0), ZoneOffset.UTC, 10, clock)) {
            ModbusMaster master = meter.inProcessMaster();
            ModbusExceptionResponse write = assertThrows(ModbusExceptionResponse.class,
                    () -> master.writeSingleRegister(VirtualMeter.UNIT_ID, 0, 1));
            assertEquals(0x01, write.exceptionCode());
            assertEquals(0x06, write.function());
            ModbusExceptionResponse unit = assertThrows(ModbusExceptionResponse.class, () -> master.readInputRegisters(7, 0, 2));
            assertEquals(0x0B, unit.exceptionCode());
        }
    }
}
