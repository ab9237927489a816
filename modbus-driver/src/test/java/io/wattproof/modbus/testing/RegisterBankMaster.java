package io.wattproof.modbus.testing;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.ExceptionResponse;
import io.wattproof.modbus.pdu.ModbusRequest;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.ReadDeviceIdentificationRequest;
import io.wattproof.modbus.pdu.ReadRegistersRequest;
import io.wattproof.modbus.pdu.ReadRegistersResponse;
import io.wattproof.modbus.pdu.WriteMultipleRegistersRequest;
import io.wattproof.modbus.pdu.WriteSingleRegisterRequest;
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
            case WriteSingleRegisterRequest w -> {
                bank.write(w.address(), new int[] {w.value()});
                yield w.echo();
            }
            case WriteMultipleRegistersRequest w -> {
                bank.write(w.address(), w.values());
                yield w.expectedResponse();
            }
            case ReadDeviceIdentificationRequest d -> {
                ModbusResponse response = bank.identification()
                        .map(id -> id.answer(d))
                        .orElseGet(() -> new ExceptionResponse(d.functionCode().code(), ExceptionCode.ILLEGAL_FUNCTION));
                if (response instanceof ExceptionResponse e) {
                    throw new ModbusExceptionResponse(e);
                }
                yield response;
            }
        };
    }

    @Override
    public void close() {}
}
