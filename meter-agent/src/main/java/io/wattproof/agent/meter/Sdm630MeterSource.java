package io.wattproof.agent.meter;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.maps.MeterValues;
import io.wattproof.modbus.maps.Sdm630;
import io.wattproof.modbus.master.ModbusMaster;

/** An Eastron SDM630 read over Modbus (TCP today; RTU when the driver has it). */
public final class Sdm630MeterSource implements MeterSource {
    private final ModbusMaster master;
    private final int unitId;

    public Sdm630MeterSource(ModbusMaster master, int unitId) {
        if (unitId < 1 || unitId > 247) {
            throw new IllegalArgumentException("modbus unit id: expected 1..247, got " + unitId);
        }
        this.master = master;
        this.unitId = unitId;
    }

    @Override
    public MeterSnapshot read() throws MeterReadException {
        MeterValues v;
        try {
            v = Sdm630.read(master, unitId);
        } catch (ModbusException e) {
            throw new MeterReadException("SDM630 unit " + unitId + ": " + e.getMessage(), e);
        }
        try {
            return new MeterSnapshot(
                    v.importActiveEnergy(),
                    v.exportActiveEnergy(),
                    v.totalActivePower(),
                    new double[] {v.voltageL1(), v.voltageL2(), v.voltageL3()},
                    new double[] {v.currentL1(), v.currentL2(), v.currentL3()});
        } catch (IllegalArgumentException e) {
            throw new MeterReadException("SDM630 unit " + unitId + " returned values that cannot be a reading: " + e.getMessage(), e);
        }
    }

    @Override
    public String model() {
        return "SDM630";
    }

    @Override
    public void close() {
        master.close();
    }
}
