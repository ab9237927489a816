package io.wattproof.modbus.maps;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.FunctionCode;
import io.wattproof.modbus.slave.RegisterBank;
import io.wattproof.modbus.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registers of a simulated meter, laid out by one or more maps, served by a {@code
 * ModbusTcpSlave}. It serves exactly the registers a strict device would: each map's readable
 * ranges and the registers of its values, plus any extra ranges given; all read as 0 until set. A
 * read that leaves them, or of a table the maps do not use, is answered with exception 0x02
 * (illegal data address, Application Protocol V1.1b3 section 7); another function with 0x01.
 *
 * <p>Thread-safe: every method holds the same lock, so a reader never sees half of a float32 or a
 * mix of two updates given to {@link #setAll}.
 */
public final class MeterRegisterImage implements RegisterBank {
    private final Map<String, MapValue> values = new HashMap<>();
    /** Per table: served areas keyed by first address, non-overlapping and non-touching. */
    private final Map<RegisterTable, TreeMap<Integer, int[]>> areas = new EnumMap<>(RegisterTable.class); // guarded by this

    /** An image of one map (a SunSpec map must be located). */
    public MeterRegisterImage(MeterMap map) {
        this(List.of(map), List.of());
    }

    /**
     * @param maps maps whose values share the image (names must be distinct across them)
     * @param extra further ranges to serve, e.g. the SunSpec header and end marker around models
     */
    public MeterRegisterImage(Collection<MeterMap> maps, Collection<ReadableRange> extra) {
        List<ReadableRange> served = new ArrayList<>(extra);
        for (MeterMap map : maps) {
            if (!map.isLocated()) {
                throw new IllegalArgumentException(map.origin() + ": a SunSpec model map must be located first");
            }
            served.addAll(map.readable());
            for (MapValue v : map.values()) {
                if (values.putIfAbsent(v.name(), v) != null) {
                    throw new IllegalArgumentException("value name '" + v.name() + "' appears in two maps");
                }
                served.add(new ReadableRange(v.table(), v.address(), v.end() - 1));
            }
        }
        for (RegisterTable table : RegisterTable.values()) {
            TreeMap<Integer, int[]> merged = new TreeMap<>();
            List<ReadableRange> ranges = served.stream()
                    .filter(r -> r.table() == table)
                    .sorted(Comparator.comparingInt(ReadableRange::from))
                    .toList();
            int start = -1;
            int end = -1; // inclusive
            for (ReadableRange r : ranges) {
                if (start >= 0 && r.from() > end + 1) {
                    merged.put(start, new int[end - start + 1]);
                    start = -1;
                }
                if (start < 0) {
                    start = r.from();
                    end = r.to();
                }
                end = Math.max(end, r.to());
            }
            if (start >= 0) {
                merged.put(start, new int[end - start + 1]);
            }
            areas.put(table, merged);
        }
    }

    /** Sets a number, given in the reading's SI-derived unit (e.g. Wh for a kWh register). */
    public synchronized void set(String name, double value) {
        put(value(name), value);
    }

    /** Sets several numbers at once: a reader sees all of them or none. */
    public synchronized void setAll(Map<String, Double> update) {
        // Encode everything first so that a refused value leaves the image unchanged.
        Map<MapValue, int[]> encoded = new LinkedHashMap<>();
        Map<String, Double> pending = new LinkedHashMap<>(update);
        // Scale factors first: other values are encoded with them.
        for (Map.Entry<String, Double> e : update.entrySet()) {
            MapValue v = value(e.getKey());
            if (v.type() == DataType.SUNSSF) {
                encoded.put(v, MeterEncoder.encode(v, e.getValue(), 0));
                pending.remove(e.getKey());
            }
        }
        for (Map.Entry<String, Double> e : pending.entrySet()) {
            MapValue v = value(e.getKey());
            int sf = v.scaleFactor().map(n -> scaleFactor(n, encoded)).orElse(0);
            encoded.put(v, MeterEncoder.encode(v, e.getValue(), sf));
        }
        encoded.forEach(this::write);
    }

    public synchronized void setText(String name, String text) {
        MapValue v = value(name);
        write(v, MeterEncoder.encodeText(v, text));
    }

    /**
     * Writes a value's raw registers, whatever they mean: a NaN float, a "not implemented" marker, a
     * scale factor out of range. For simulating faulty devices.
     */
    public synchronized void setRaw(String name, int... registers) {
        MapValue v = value(name);
        if (registers.length != v.width()) {
            throw new IllegalArgumentException(name + ": expected " + v.width() + " registers, actual " + registers.length);
        }
        write(v, registers);
    }

    /** Writes registers inside a served area, e.g. a SunSpec model header. */
    public synchronized void setRegisters(RegisterTable table, int address, int... registers) {
        Map.Entry<Integer, int[]> area = area(table, address, registers.length)
                .orElseThrow(() -> new IllegalArgumentException(table.register(address) + " x" + registers.length
                        + " is not served by this image"));
        for (int i = 0; i < registers.length; i++) {
            if (registers[i] < 0 || registers[i] > 0xFFFF) {
                throw new IllegalArgumentException("registers[" + i + "]: expected 0..65535, actual " + registers[i]);
            }
        }
        System.arraycopy(registers, 0, area.getValue(), address - area.getKey(), registers.length);
    }

    /** The current registers of a range, as a master would read them. */
    public synchronized int[] registers(RegisterTable table, int address, int quantity) {
        Map.Entry<Integer, int[]> area = area(table, address, quantity)
                .orElseThrow(() -> new IllegalArgumentException(table.register(address) + " x" + quantity
                        + " is not served by this image"));
        int from = address - area.getKey();
        return Arrays.copyOfRange(area.getValue(), from, from + quantity);
    }

    @Override
    public synchronized int[] read(FunctionCode function, int address, int quantity) throws ModbusExceptionResponse {
        Optional<RegisterTable> table = RegisterTable.of(function);
        if (table.isEmpty()) {
            throw new ModbusExceptionResponse(function.code(), ExceptionCode.ILLEGAL_FUNCTION);
        }
        Optional<Map.Entry<Integer, int[]>> area = area(table.get(), address, quantity);
        if (area.isEmpty()) {
            throw new ModbusExceptionResponse(function.code(), ExceptionCode.ILLEGAL_DATA_ADDRESS);
        }
        int from = address - area.get().getKey();
        return Arrays.copyOfRange(area.get().getValue(), from, from + quantity);
    }

    private void put(MapValue v, double value) {
        int sf = v.scaleFactor().map(n -> scaleFactor(n, Map.of())).orElse(0);
        write(v, MeterEncoder.encode(v, value, sf));
    }

    private int scaleFactor(String name, Map<MapValue, int[]> pending) {
        MapValue sf = value(name);
        int[] registers = pending.containsKey(sf) ? pending.get(sf) : registers(sf.table(), sf.address(), 1);
        return sf.encoding().decodeInteger(registers, 0).intValueExact();
    }

    private MapValue value(String name) {
        MapValue v = values.get(Objects.requireNonNull(name, "name"));
        if (v == null) {
            throw new IllegalArgumentException("no value named '" + name + "' in this image");
        }
        return v;
    }

    private void write(MapValue v, int[] registers) {
        setRegisters(v.table(), v.address(), registers);
    }

    private Optional<Map.Entry<Integer, int[]>> area(RegisterTable table, int address, int quantity) {
        Map.Entry<Integer, int[]> e = areas.get(table).floorEntry(address);
        if (e == null || quantity < 1 || address + quantity > e.getKey() + e.getValue().length) {
            return Optional.empty();
        }
        return Optional.of(e);
    }
}
