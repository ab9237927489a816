package io.wattproof.modbus.maps;

import io.wattproof.modbus.pdu.DecodeResult;
import io.wattproof.modbus.pdu.Hex;
import io.wattproof.modbus.pdu.Violation;
import io.wattproof.modbus.types.DataType;
import io.wattproof.modbus.types.Encoding;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the registers a {@link ReadPlan} returned into a {@link MeterReading}. Pure, and never
 * throws on register contents: whatever a device sent, the result is a reading or the {@link
 * Violation} that forbids one.
 *
 * <p>A reading is {@code raw * scale * 10^(scale factor) * unit factor}, computed exactly in decimal
 * and rounded once to the nearest double, so that 2305 with scale factor -1 is exactly 230.5 and a
 * float32 kWh register times 1000 is exactly the float's value in Wh.
 *
 * <p>Refused (a violation naming the register, expected and actual value and the bytes): a float
 * that is NaN or infinite (a corrupted register must never become a reading, least of all an energy
 * counter), a SunSpec scale factor outside -10..10 (SunSpec Information Model: sunssf range), a
 * string with bytes other than printable ASCII before its NUL padding, and a result beyond double
 * range. Reported as absent instead: a value equal to its map's {@code not_available} pattern, a
 * value whose scale factor is {@code not_available}, and a string of NULs only (SunSpec's "not
 * implemented" for each of these).
 */
public final class MeterDecoder {
    /** SunSpec sunssf values are powers of ten in -10..10. */
    public static final int MAX_SCALE_FACTOR = 10;

    private MeterDecoder() {}

    /**
     * @param responses the registers returned for each of {@code plan.reads()}, in order
     */
    public static DecodeResult<MeterReading> decode(MeterMap map, ReadPlan plan, List<int[]> responses) {
        Objects.requireNonNull(map, "map");
        if (responses.size() != plan.reads().size()) {
            throw new IllegalArgumentException("responses: expected " + plan.reads().size() + ", actual " + responses.size());
        }
        for (int i = 0; i < responses.size(); i++) {
            if (responses.get(i).length != plan.reads().get(i).quantity()) {
                throw new IllegalArgumentException("response " + i + ": expected " + plan.reads().get(i).quantity()
                        + " registers, actual " + responses.get(i).length);
            }
        }
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, BigDecimal> decimals = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        List<String> absent = new ArrayList<>();
        for (String name : plan.requested()) {
            MapValue v = map.value(name).orElseThrow(() -> new IllegalArgumentException("no value " + name));
            Located at = locate(v, plan, responses);
            if (v.type() == DataType.STRING) {
                DecodeResult<String> text = text(v, at);
                switch (text) {
                    case DecodeResult.Invalid<String>(Violation violation) -> {
                        return new DecodeResult.Invalid<>(violation);
                    }
                    case DecodeResult.Decoded<String>(String s) -> {
                        if (s.isEmpty()) {
                            absent.add(name);
                        } else {
                            texts.put(name, s);
                        }
                    }
                }
                continue;
            }
            Outcome outcome = number(map, v, at, plan, responses);
            switch (outcome) {
                case Outcome.Refused r -> {
                    return new DecodeResult.Invalid<>(r.violation());
                }
                case Outcome.Absent a -> absent.add(name);
                case Outcome.Value n -> {
                    values.put(name, n.value());
                    decimals.put(name, n.decimal());
                }
            }
        }
        return new DecodeResult.Decoded<>(new MeterReading(map.model(), values, decimals, texts, absent));
    }

    private sealed interface Outcome {
        record Value(double value, BigDecimal decimal) implements Outcome {}

        record Absent() implements Outcome {}

        record Refused(Violation violation) implements Outcome {}
    }

    /** A value's registers inside one response. */
    private record Located(int[] registers, int offset) {}

    private static Located locate(MapValue v, ReadPlan plan, List<int[]> responses) {
        for (int i = 0; i < plan.reads().size(); i++) {
            PlannedRead r = plan.reads().get(i);
            if (r.table() == v.table() && v.address() >= r.address() && v.end() <= r.end()) {
                return new Located(responses.get(i), v.address() - r.address());
            }
        }
        throw new IllegalArgumentException(v.describeLocation() + " is not covered by the plan " + plan.reads());
    }

    private static Outcome number(MeterMap map, MapValue v, Located at, ReadPlan plan, List<int[]> responses) {
        Encoding e = v.encoding();
        long bits = e.decodeBits(at.registers(), at.offset());
        if (v.notAvailable().isPresent() && v.notAvailable().getAsLong() == bits) {
            return new Outcome.Absent();
        }
        BigDecimal raw;
        BigDecimal meant; // what the meter means: differs from raw only for floats
        if (e.type().kind() == DataType.Kind.FLOAT) {
            double d = e.decodeNumber(at.registers(), at.offset());
            if (!Double.isFinite(d)) {
                return refused(v.describeLocation(), "a finite " + e.type(),
                        e.width() == 2 ? Float.toString((float) d) : Double.toString(d), at, e.width());
            }
            raw = new BigDecimal(d); // exact: every finite double is a finite decimal
            // The shortest decimal that reads back as the same float (JLS Float.toString), the number
            // a device that stored 230.1 as float32 means, rather than 230.100006103515625.
            meant = new BigDecimal(e.width() == 2 ? Float.toString((float) d) : Double.toString(d));
        } else {
            raw = new BigDecimal(e.decodeInteger(at.registers(), at.offset()));
            meant = raw;
        }
        if (e.type() == DataType.SUNSSF && raw.abs().intValue() > MAX_SCALE_FACTOR) {
            return refused(v.describeLocation(), "a scale factor -10..10", raw.toPlainString(), at, 1);
        }
        BigDecimal factor = v.scale().multiply(v.unit().toSi());
        BigDecimal scaled = raw.multiply(factor);
        BigDecimal meantScaled = meant.multiply(factor);
        if (v.scaleFactor().isPresent()) {
            MapValue sf = map.value(v.scaleFactor().get()).orElseThrow();
            Located sfAt = locate(sf, plan, responses);
            long sfBits = sf.encoding().decodeBits(sfAt.registers(), sfAt.offset());
            if (sf.notAvailable().isPresent() && sf.notAvailable().getAsLong() == sfBits) {
                return new Outcome.Absent();
            }
            int exponent = sf.encoding().decodeInteger(sfAt.registers(), sfAt.offset()).intValueExact();
            if (Math.abs(exponent) > MAX_SCALE_FACTOR) {
                return refused(sf.describeLocation() + ", scale factor of " + v.name(), "a scale factor -10..10",
                        Integer.toString(exponent), sfAt, sf.width());
            }
            scaled = scaled.scaleByPowerOfTen(exponent);
            meantScaled = meantScaled.scaleByPowerOfTen(exponent);
        }
        double value = scaled.doubleValue(); // correctly rounded (JDK 19+)
        if (!Double.isFinite(value)) {
            return refused(v.describeLocation(), "a value within double range after scaling", scaled.toString(), at, e.width());
        }
        return new Outcome.Value(value, meantScaled);
    }

    private static DecodeResult<String> text(MapValue v, Located at) {
        byte[] bytes = v.encoding().decodeBytes(at.registers(), at.offset());
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xFF;
            if (b < 0x20 || b > 0x7E) {
                return new DecodeResult.Invalid<>(new Violation(v.describeLocation(),
                        "printable ASCII padded with NUL bytes", "byte " + Hex.byteValue(b) + " at index " + i,
                        Hex.bytes(wire(at.registers(), at.offset(), v.width()))));
            }
            s.append((char) b);
        }
        // Devices pad with spaces as well as NULs; neither is part of the text.
        return new DecodeResult.Decoded<>(s.toString().strip());
    }

    private static Outcome refused(String field, String expected, String actual, Located at, int width) {
        return new Outcome.Refused(new Violation(field, expected, actual, Hex.bytes(wire(at.registers(), at.offset(), width))));
    }

    /** The registers as they travelled: high byte of each first (Application Protocol section 4.2). */
    private static byte[] wire(int[] registers, int offset, int width) {
        byte[] bytes = new byte[2 * width];
        for (int i = 0; i < width; i++) {
            bytes[2 * i] = (byte) (registers[offset + i] >>> 8);
            bytes[2 * i + 1] = (byte) registers[offset + i];
        }
        return bytes;
    }
}
