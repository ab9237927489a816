package io.wattproof.modbus.testing;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.pdu.ModbusRequest;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.ReadRegistersRequest;
import io.wattproof.modbus.pdu.ReadRegistersResponse;
import io.wattproof.modbus.slave.RegisterBank;
import java.util.ArrayList;
import java.util.List;

/** Fake master that answers from a register bank in-process and records the requests it got. */
public final class RegisterBankMaster implements ModbusMaster {
    private final RegisterBank bank;
    private final List<ModbusRequest> requests = new ArrayList<>();

    public RegisterBankMaster(RegisterBank bank) {
        this.bank = bank;
    }

    public List<ModbusRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public ModbusResponse execute(int unitId, ModbusRequest request) throws ModbusException {
        requests.add(request);
        return switch (request) {
            // A ModbusExceptionResponse from the bank propagates, as from a real master.
            case ReadRegistersRequest r ->
                    ReadRegistersResponse.of(r.functionCode(), bank.read(r.functionCode(), r.address(), r.quantity()));
        };
    }

    @Override
    public void close() {}
}
