package io.wattproof.modbus.pdu;

import java.util.Optional;

/** Range rules shared by the records (which throw) and the codec (which returns violations). */
final class Checks {
    private Checks() {}

    /** Section 6.3/6.4: quantity 1..125 (checked first: its failure maps to exception code 0x03). */
    static Optional<Violation> quantity(int quantity) {
        if (quantity < 1 || quantity > ReadRegistersRequest.MAX_QUANTITY) {
            return Optional.of(new Violation(
                    "quantity", "1.." + ReadRegistersRequest.MAX_QUANTITY, Integer.toString(quantity), ""));
        }
        return Optional.empty();
    }

    /** Section 6.3/6.4: starting address and address + quantity within the 65536-register table. */
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

    /** Copies and checks register values: 1..125 of them, each 0..65535. */
    static int[] registers(int[] registers) {
        if (registers == null) {
            throw new NullPointerException("registers");
        }
        quantity(registers.length).ifPresent(v -> {
            throw new IllegalArgumentException("registers length: expected 1..125, actual " + registers.length);
        });
        int[] copy = registers.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] < 0 || copy[i] > 0xFFFF) {
                throw new IllegalArgumentException(
                        "registers[" + i + "]: expected 0..65535, actual " + copy[i]);
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
