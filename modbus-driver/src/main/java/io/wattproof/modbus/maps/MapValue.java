package io.wattproof.modbus.maps;

import io.wattproof.modbus.types.DataType;
import io.wattproof.modbus.types.Encoding;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One named value of a {@link MeterMap}: where it is, how it is encoded, and how its raw number
 * becomes a reading: {@code raw * scale * 10^(scale factor) * unit factor}, in the SI-derived unit
 * of {@link Unit#siSymbol()}.
 *
 * @param name the map's key, e.g. {@code voltage_l1}
 * @param table input (FC 04) or holding (FC 03) registers
 * @param address PDU address of the first register, 0..65535; for an unlocated SunSpec map, the
 *     offset from the model's ID register instead (see {@link MeterMap#isLocated()})
 * @param encoding type, width, word and byte order
 * @param unit the unit the device reports in after {@code scale}
 * @param description one line from the source document
 * @param scale multiplier of the raw number (exact decimal, as written in the file), non-zero
 * @param scaleFactor name of the map's sunssf value whose power of ten multiplies this one
 * @param notAvailable raw bits meaning "not implemented" (SunSpec), reported as absent
 */
public record MapValue(
        String name,
        RegisterTable table,
        int address,
        Encoding encoding,
        Unit unit,
        String description,
        BigDecimal scale,
        Optional<String> scaleFactor,
        OptionalLong notAvailable) {

    public MapValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(scaleFactor, "scaleFactor");
        Objects.requireNonNull(notAvailable, "notAvailable");
        if (address < 0 || address + encoding.width() > 0x10000) {
            throw new IllegalArgumentException(name + " address: expected 0..65535 with all "
                    + encoding.width() + " registers at or below 65535, actual " + address);
        }
        if (scale.signum() == 0) {
            throw new IllegalArgumentException(name + " scale: expected a non-zero number, actual 0");
        }
    }

    public DataType type() {
        return encoding.type();
    }

    /** Registers the value spans. */
    public int width() {
        return encoding.width();
    }

    /** One past the last register. */
    public int end() {
        return address + encoding.width();
    }

    /** {@code "import_energy (input register 0x0048)"}, naming the value in messages. */
    public String describeLocation() {
        return name + " (" + table.register(address) + ")";
    }

    MapValue at(int newAddress) {
        return new MapValue(name, table, newAddress, encoding, unit, description, scale, scaleFactor, notAvailable);
    }
}
