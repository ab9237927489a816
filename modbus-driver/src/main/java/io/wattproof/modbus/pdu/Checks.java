package io.wattproof.modbus.pdu;

import java.util.Optional;

/** Range rules shared by the records (which throw) and the codec (which returns violations). */
final class Checks {
    private Checks() {}

    /** Section 6.3/6.4: quantity 1..125 (checked first: its failure maps to exception code 0x03). */
    static Optional<Violation> quantity(int quantity) {
        return quantity(quantity, ReadRegistersRequest.MAX_QUANTITY);
    }

    /** Section 6.12: quantity 1..123 for FC 16 (checked first: its failure maps to exception code 0x03). */
    static Optional<Violation> writeQuantity(int quantity) {
        return quantity(quantity, WriteMultipleRegistersRequest.MAX_QUANTITY);
    }

    private static Optional<Violation> quantity(int quantity, int max) {
        if (quantity < 1 || quantity > max) {
            return Optional.of(new Violation("quantity", "1.." + max, Integer.toString(quantity), ""));
        }
        return Optional.empty();
    }

    /** Section 6.3/6.4/6.12: starting address and address + quantity within the 65536-register table. */
    static Optional<Violation> addressRange(int address, int quantity) {
        if (address < 0 || address >= ReadRegistersRequest.ADDRESS_SPACE) {
            return Optional.of(new Violation("address", "0..65535", Integer.toString(address), ""));
        }
        if (address + quantity > ReadRegistersRequest.ADDRESS_SPACE) {
            return Optional.of(new Violation(
                    "address + quantity", "<= 65536", address + " + " + quantity + " = " + (address + quantity), ""));
        }
        return Optional.empty();
    }

    static void requireReadRange(int address, int quantity) {
        quantity(quantity).or(() -> addressRange(address, quantity)).ifPresent(v -> {
            throw new IllegalArgumentException(v.message());
        });
    }

    static void requireWriteRange(int address, int quantity) {
        writeQuantity(quantity).or(() -> addressRange(address, quantity)).ifPresent(v -> {
            throw new IllegalArgumentException(v.message());
        });
    }

    /** A 16-bit field (register address or value): 0..65535. */
    static int requireWord(String field, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(field + ": expected 0..65535, actual " + value);
        }
        return value;
    }

    /** An 8-bit field (object id): 0..255. */
    static int requireByte(String field, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(field + ": expected 0..255, actual " + value);
        }
        return value;
    }

    /** Copies and checks register values: 1..125 of them, each 0..65535. */
    static int[] registers(int[] registers) {
        return registers("registers", registers, ReadRegistersRequest.MAX_QUANTITY);
    }

    /** Copies and checks the values of a write: 1..123 of them, each 0..65535. */
    static int[] writeValues(int[] values) {
        return registers("values", values, WriteMultipleRegistersRequest.MAX_QUANTITY);
    }

    private static int[] registers(String name, int[] registers, int max) {
        if (registers == null) {
            throw new NullPointerException(name);
        }
        if (registers.length < 1 || registers.length > max) {
            throw new IllegalArgumentException(name + " length: expected 1.." + max + ", actual " + registers.length);
        }
        int[] copy = registers.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] < 0 || copy[i] > 0xFFFF) {
                throw new IllegalArgumentException(
                        name + "[" + i + "]: expected 0..65535, actual " + copy[i]);
            }
        }
        return copy;
    }

    static String registersToString(int[] registers) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < registers.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(Hex.wordValue(registers[i]));
        }
        return sb.append(']').toString();
    }
}
