package io.wattproof.modbus.testing;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.pdu.ModbusRequest;
import io.wattproof.modbus.pdu.ModbusResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes every request to a real master and records it, to see which requests a default method of
 * {@link ModbusMaster} (device identification followed over several responses) sends.
 */
public final class RecordingMaster implements ModbusMaster {
    private final ModbusMaster delegate;
    private final List<ModbusRequest> requests = new ArrayList<>();

    public RecordingMaster(ModbusMaster delegate) {
        this.delegate = delegate;
    }

    /** The requests sent so far, in order. */
    public List<ModbusRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public ModbusResponse execute(int unitId, ModbusRequest request) throws ModbusException {
        requests.add(request);
        return delegate.execute(unitId, request);
    }

    /** Leaves the delegate open: it belongs to the test that made it. */
    @Override
    public void close() {}
}
