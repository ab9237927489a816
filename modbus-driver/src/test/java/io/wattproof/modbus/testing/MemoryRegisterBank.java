package io.wattproof.modbus.testing;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.pdu.DeviceIdentification;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.FunctionCode;
import io.wattproof.modbus.slave.RegisterBank;
import java.util.Arrays;
import java.util.Optional;

/**
 * A writable bank for tests: {@code size} holding registers from address 0, all zero at first,
 * written all-or-nothing; input registers mirror the holding registers. Addresses past {@code
 * size} are answered with 0x02. Serves {@code identification} if given.
 */
public final class MemoryRegisterBank implements RegisterBank {
    private final int[] registers;
    private final DeviceIdentification identification;

    public MemoryRegisterBank(int size, DeviceIdentification identification) {
        this.registers = new int[size];
        this.identification = identification;
    }

    @Override
    public synchronized int[] read(FunctionCode function, int address, int quantity) throws ModbusExceptionResponse {
        if (address + quantity > registers.length) {
            throw new ModbusExceptionResponse(function.code(), ExceptionCode.ILLEGAL_DATA_ADDRESS);
        }
        return Arrays.copyOfRange(registers, address, address + quantity);
    }

    @Override
    public synchronized void write(int address, int[] values) throws ModbusExceptionResponse {
        if (address + values.length > registers.length) {
            throw new ModbusExceptionResponse(FunctionCode.WRITE_MULTIPLE_REGISTERS.code(),
                    ExceptionCode.ILLEGAL_DATA_ADDRESS);
        }
        System.arraycopy(values, 0, registers, address, values.length);
    }

    @Override
    public Optional<DeviceIdentification> identification() {
        return Optional.ofNullable(identification);
    }

    public synchronized int register(int address) {
        return registers[address];
    }
}
