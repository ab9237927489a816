package io.wattproof.modbus.maps;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The shape of a map file as Jackson binds it (snake_case keys, unknown keys refused). Every field
 * may be null: {@link MeterMapParser} checks presence and meaning and reports each problem with its
 * path, which a binder cannot do well.
 */
record MapFile(
        String schema,
        String model,
        List<String> aliases,
        String manufacturer,
        String description,
        String source,
        Integer phases,
        Integer sunspecModel,
        Defaults defaults,
        Integer maxRegistersPerRequest,
        List<Readable> readable,
        IdentificationEntry identification,
        LinkedHashMap<String, ValueEntry> values) {

    record Defaults(String function, String type, String wordOrder, String byteOrder) {}

    record Readable(String function, Integer from, Integer to) {}

    record IdentificationEntry(String vendorName, String productCode) {}

    record ValueEntry(
            Integer address,
            Integer offset,
            String function,
            String type,
            String wordOrder,
            String byteOrder,
            Integer registers,
            String unit,
            String description,
            BigDecimal scale,
            String scaleFactor,
            BigInteger notAvailable) {}
}
