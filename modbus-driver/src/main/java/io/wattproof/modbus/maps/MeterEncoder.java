package io.wattproof.modbus.maps;

import io.wattproof.modbus.types.DataType;
import io.wattproof.modbus.types.Encoding;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The inverse of {@link MeterDecoder} for simulated meters and tests: the registers a device
 * following the map would hold for a reading. Pure.
 *
 * <p>{@code raw = value / unit factor / scale / 10^(scale factor)}, in decimal; integer types round
 * to the nearest integer (ties to even), as a meter quantises its measurement, and float32 rounds to
 * the nearest float. Values that do not fit the type are refused with {@link
 * IllegalArgumentException}: the caller chose them.
 */
public final class MeterEncoder {
    private static final MathContext DIVISION = new MathContext(40, RoundingMode.HALF_EVEN);

    private MeterEncoder() {}

    /**
     * @param value in the reading's SI-derived unit (Wh for a kWh register), finite
     * @param scaleFactor the exponent held by the value's scale factor, if it has one (ignored
     *     otherwise)
     */
    public static int[] encode(MapValue v, double value, int scaleFactor) {
        if (!v.type().isNumeric()) {
            throw new IllegalArgumentException(v.name() + ": expected a number value, actual a string");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(v.name() + ": expected a finite value, actual " + value
                    + " (write raw registers to simulate a faulty meter)");
        }
        if (v.scaleFactor().isPresent() && Math.abs(scaleFactor) > MeterDecoder.MAX_SCALE_FACTOR) {
            throw new IllegalArgumentException(v.name() + " scale factor: expected -10..10, actual " + scaleFactor);
        }
        BigDecimal raw = new BigDecimal(value).divide(v.unit().toSi(), DIVISION).divide(v.scale(), DIVISION);
        if (v.scaleFactor().isPresent()) {
            raw = raw.scaleByPowerOfTen(-scaleFactor);
        }
        Encoding e = v.encoding();
        if (e.type().kind() == DataType.Kind.FLOAT) {
            double f = e.width() == 2 ? raw.floatValue() : raw.doubleValue();
            if (Double.isInfinite(f)) {
                throw new IllegalArgumentException(v.name() + ": " + value + " " + v.unit().siSymbol() + " needs raw value "
                        + raw.round(new MathContext(8)) + ", outside " + e.type() + " range");
            }
            return e.encodeFloat(f);
        }
        try {
            return e.encodeInteger(raw.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact());
        } catch (IllegalArgumentException outOfRange) {
            throw new IllegalArgumentException(v.name() + ": " + value + " " + v.unit().siSymbol() + " needs raw value "
                    + raw.setScale(0, RoundingMode.HALF_EVEN).toPlainString() + ", outside " + e.type() + " range "
                    + e.range(), outOfRange);
        }
    }

    /** The registers of a string value. */
    public static int[] encodeText(MapValue v, String text) {
        return v.encoding().encodeString(text);
    }
}
