package io.wattproof.modbus.maps;

import io.wattproof.modbus.pdu.FunctionCode;
import io.wattproof.modbus.pdu.Hex;
import java.util.Optional;

/**
 * The two register tables a meter map reads (Modbus Application Protocol V1.1b3 section 4.3):
 * input registers, read with FC 04, and holding registers, read with FC 03. Map files call them
 * {@code input} and {@code holding}.
 */
public enum RegisterTable {
    INPUT("input", FunctionCode.READ_INPUT_REGISTERS),
    HOLDING("holding", FunctionCode.READ_HOLDING_REGISTERS);

    private final String fileName;
    private final FunctionCode function;

    RegisterTable(String fileName, FunctionCode function) {
        this.fileName = fileName;
        this.function = function;
    }

    public String fileName() {
        return fileName;
    }

    /** The function code that reads this table. */
    public FunctionCode function() {
        return function;
    }

    public static Optional<RegisterTable> fromFileName(String name) {
        for (RegisterTable t : values()) {
            if (t.fileName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The table a read function reads, or empty for any other function. */
    public static Optional<RegisterTable> of(FunctionCode function) {
        for (RegisterTable t : values()) {
            if (t.function == function) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** {@code "input register 0x0048"}, as used in messages. */
    public String register(int address) {
        return fileName + " register " + Hex.wordValue(address);
    }
}
