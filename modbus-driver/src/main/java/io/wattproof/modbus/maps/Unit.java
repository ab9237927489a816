package io.wattproof.modbus.maps;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The unit a device reports a value in (after the map's {@code scale}), and how it converts to the
 * SI-derived unit of a reading: kilo-units are multiplied by 1000 (kWh to Wh, kvar to var, ...),
 * everything else passes through. Symbols are matched exactly, as written in the schema.
 */
public enum Unit {
    V("V", 1, Quantity.VOLTAGE),
    A("A", 1, Quantity.CURRENT),
    W("W", 1, Quantity.ACTIVE_POWER),
    VAR("var", 1, Quantity.REACTIVE_POWER),
    VA("VA", 1, Quantity.APPARENT_POWER),
    HZ("Hz", 1, Quantity.FREQUENCY),
    WH("Wh", 1, Quantity.ACTIVE_ENERGY),
    VARH("varh", 1, Quantity.REACTIVE_ENERGY),
    VAH("VAh", 1, Quantity.APPARENT_ENERGY),
    KW("kW", 1000, Quantity.ACTIVE_POWER),
    KVAR("kvar", 1000, Quantity.REACTIVE_POWER),
    KVA("kVA", 1000, Quantity.APPARENT_POWER),
    KWH("kWh", 1000, Quantity.ACTIVE_ENERGY),
    KVARH("kvarh", 1000, Quantity.REACTIVE_ENERGY),
    KVAH("kVAh", 1000, Quantity.APPARENT_ENERGY),
    PERCENT("%", 1, Quantity.PERCENTAGE),
    NONE("", 1, Quantity.PLAIN_NUMBER);

    /** What a unit measures; a standard value name fixes the quantity it may have. */
    public enum Quantity {
        VOLTAGE("V"),
        CURRENT("A"),
        ACTIVE_POWER("W"),
        REACTIVE_POWER("var"),
        APPARENT_POWER("VA"),
        FREQUENCY("Hz"),
        ACTIVE_ENERGY("Wh"),
        REACTIVE_ENERGY("varh"),
        APPARENT_ENERGY("VAh"),
        PERCENTAGE("%"),
        PLAIN_NUMBER("");

        private final String siSymbol;

        Quantity(String siSymbol) {
            this.siSymbol = siSymbol;
        }

        /** The unit of a reading of this quantity. */
        public String siSymbol() {
            return siSymbol;
        }
    }

    private final String symbol;
    private final BigDecimal toSi;
    private final Quantity quantity;

    Unit(String symbol, int toSi, Quantity quantity) {
        this.symbol = symbol;
        this.toSi = BigDecimal.valueOf(toSi);
        this.quantity = quantity;
    }

    /** As written in a map file, e.g. {@code "kWh"}; {@code ""} for a plain number. */
    public String symbol() {
        return symbol;
    }

    /** Factor from this unit to {@link Quantity#siSymbol()}: 1 or 1000. */
    public BigDecimal toSi() {
        return toSi;
    }

    public Quantity quantity() {
        return quantity;
    }

    /** The unit of the reading, e.g. {@code "Wh"} for {@code kWh}. */
    public String siSymbol() {
        return quantity.siSymbol();
    }

    public static Optional<Unit> fromSymbol(String symbol) {
        for (Unit u : values()) {
            if (u.symbol.equals(symbol)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }

    /** {@code "V, A, W, ..., '%', ''"}, for messages. */
    public static String symbols() {
        return Arrays.stream(values())
                .map(u -> u.symbol.isEmpty() || u.symbol.equals("%") ? "'" + u.symbol + "'" : u.symbol)
                .collect(Collectors.joining(", "));
    }
}
