package io.wattproof.modbus.maps;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.wattproof.modbus.pdu.Hex;
import io.wattproof.modbus.types.ByteOrder;
import io.wattproof.modbus.types.DataType;
import io.wattproof.modbus.types.Encoding;
import io.wattproof.modbus.types.WordOrder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Parses and validates a {@code wattproof-meter-map/1} file (the schema is described in
 * docs/meters.md). Pure: text in, a {@link MeterMap} or the list of problems out; never throws on
 * any input. A map file is configuration a user writes, so every problem names the file, the field,
 * what was expected and what was found, and all problems found are reported at once (a file that
 * cannot be bound at all, e.g. broken YAML or an unknown key, reports that one problem).
 */
public final class MeterMapParser {
    /** Larger files are refused before parsing; the largest built-in map is a few kB. */
    public static final int MAX_FILE_CHARS = 1 << 20;

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern JACKSON_ACTUAL =
            Pattern.compile("from (Array|Object|String|Integer|Floating-point|Boolean) value(?: \\('(.*)'\\))?");

    private static final YAMLMapper MAPPER = YamlSources.strictMapper();

    private MeterMapParser() {}

    /**
     * @param origin how messages name the file, e.g. {@code sdm630.yaml} or a user's path
     * @param text the file's contents
     */
    public static MapParseResult parse(String origin, String text) {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_FILE_CHARS) {
            return invalid(new MapProblem(origin, "(file)", "at most " + MAX_FILE_CHARS + " characters",
                    text.length() + " characters"));
        }
        MapFile file;
        try {
            file = MAPPER.readValue(text, MapFile.class);
        } catch (JacksonException e) {
            return invalid(bindingProblem(origin, e));
        } catch (RuntimeException e) {
            // The YAML library must not take the caller down on hostile input (deep nesting, ...).
            return invalid(new MapProblem(origin, "(file)", "a YAML document", "unparsable: " + e));
        }
        if (file == null) {
            return invalid(new MapProblem(origin, "(file)", "a mapping with the keys of " + MeterMap.SCHEMA, "nothing"));
        }
        return new Validator(origin, file).validate();
    }

    private static MapParseResult invalid(MapProblem problem) {
        return new MapParseResult.Invalid(List.of(problem));
    }

    /**
     * Turns what Jackson refused into a problem naming the path, expectation and the file's text.
     * Public for other YAML configuration bound with {@link StrictScalars#module()} and unknown keys
     * refused (board profiles), so that their messages read the same as a map file's.
     */
    public static MapProblem bindingProblem(String origin, JacksonException e) {
        if (e instanceof JsonMappingException m) {
            String path = path(m.getPath());
            if (m instanceof StrictScalars.ScalarProblem s) {
                return new MapProblem(origin, path, s.expected, s.actual);
            }
            if (m instanceof UnrecognizedPropertyException u) {
                String parent = path(m.getPath().subList(0, m.getPath().size() - 1));
                String known = u.getKnownPropertyIds().stream().map(Object::toString).sorted()
                        .collect(Collectors.joining(", "));
                return new MapProblem(origin, parent.isEmpty() ? "(top level)" : parent, "only the keys " + known,
                        "unknown key '" + u.getPropertyName() + "'");
            }
            if (m.getCause() instanceof JacksonException cause && cause.getOriginalMessage() != null
                    && cause.getOriginalMessage().startsWith("Duplicate field '")) {
                String key = cause.getOriginalMessage().substring("Duplicate field '".length()).replaceFirst("'$", "");
                return new MapProblem(origin, path.isEmpty() ? key : path + "." + key, "each key once",
                        "'" + key + "' a second time");
            }
            if (m.getCause() instanceof JacksonException cause) {
                return syntaxProblem(origin, cause);
            }
            if (m instanceof MismatchedInputException mi) {
                return new MapProblem(origin, path.isEmpty() ? "(file)" : path, expectedShape(mi.getTargetType()),
                        actualShape(m.getOriginalMessage()));
            }
            return new MapProblem(origin, path.isEmpty() ? "(file)" : path, "a valid map file", m.getOriginalMessage());
        }
        return syntaxProblem(origin, e);
    }

    private static MapProblem syntaxProblem(String origin, JacksonException e) {
        JsonLocation where = e.getLocation();
        String field = where == null || where.getLineNr() < 1 ? "(file)" : "line " + where.getLineNr();
        String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        // SnakeYAML messages quote the source with indented lines and a caret; keep the sentences.
        String sentences = message.lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .collect(Collectors.joining(": "));
        return new MapProblem(origin, field, "valid YAML", sentences.isEmpty() ? message.strip() : sentences);
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String expectedShape(Class<?> target) {
        if (target == null) {
            return "a mapping";
        }
        if (Collection.class.isAssignableFrom(target)) {
            return "a list";
        }
        if (target == String.class) {
            return "a text";
        }
        return "a mapping";
    }

    private static String actualShape(String jacksonMessage) {
        if (jacksonMessage == null) {
            return "something else";
        }
        if (jacksonMessage.startsWith("No content to map")) {
            return "an empty file";
        }
        Matcher m = JACKSON_ACTUAL.matcher(jacksonMessage);
        if (!m.find()) {
            return "something else";
        }
        return switch (m.group(1)) {
            case "Array" -> "a list";
            case "Object" -> "a mapping";
            case "String" -> m.group(2) == null ? "a text" : "'" + m.group(2) + "'";
            case "Boolean" -> "a boolean";
            default -> "a number";
        };
    }

    /** Checks one bound file against the schema, collecting every problem. */
    private static final class Validator {
        private final String origin;
        private final MapFile file;
        private final List<MapProblem> problems = new ArrayList<>();

        Validator(String origin, MapFile file) {
            this.origin = origin;
            this.file = file;
        }

        private void problem(String field, String expected, String actual) {
            problems.add(new MapProblem(origin, field, expected, actual));
        }

        MapParseResult validate() {
            if (file.schema() == null) {
                problem("schema", "'" + MeterMap.SCHEMA + "'", "nothing");
            } else if (!file.schema().equals(MeterMap.SCHEMA)) {
                problem("schema", "'" + MeterMap.SCHEMA + "'", quote(file.schema()));
            }
            String model = requiredLine("model", file.model());
            List<String> aliases = aliases(model);
            String manufacturer = requiredLine("manufacturer", file.manufacturer());
            String description = requiredLine("description", file.description());
            String source = requiredText("source", file.source());
            OptionalInt sunspecModel = sunspecModel();
            int phases = phases(sunspecModel);
            int maxPerRequest = maxRegistersPerRequest();
            List<ReadableRange> readable = readable(sunspecModel);
            Optional<Identification> identification = identification();
            List<MapValue> values = values(sunspecModel, maxPerRequest);
            if (!problems.isEmpty()) {
                return new MapParseResult.Invalid(problems);
            }
            return new MapParseResult.Parsed(new MeterMap(origin, model, aliases, manufacturer, description, source,
                    phases, sunspecModel, OptionalInt.empty(), maxPerRequest, readable, identification, values));
        }

        private String requiredLine(String field, String value) {
            String text = requiredText(field, value);
            if (text != null && text.contains("\n")) {
                problem(field, "one line", "several lines");
            }
            return text;
        }

        private String requiredText(String field, String value) {
            if (value == null || value.isBlank()) {
                problem(field, "a non-empty text", value == null ? "nothing" : quote(value));
                return null;
            }
            return value.strip();
        }

        private List<String> aliases(String model) {
            if (file.aliases() == null) {
                return List.of();
            }
            List<String> result = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            if (model != null) {
                seen.add(model.toLowerCase(Locale.ROOT));
            }
            for (int i = 0; i < file.aliases().size(); i++) {
                String a = file.aliases().get(i);
                String field = "aliases[" + i + "]";
                if (a == null || a.isBlank()) {
                    problem(field, "a non-empty name", a == null ? "nothing" : quote(a));
                } else if (!seen.add(a.strip().toLowerCase(Locale.ROOT))) {
                    problem(field, "a name different from the model and the other aliases (ignoring case)", quote(a));
                } else {
                    result.add(a.strip());
                }
            }
            return result;
        }

        private OptionalInt sunspecModel() {
            Integer id = file.sunspecModel();
            if (id == null) {
                return OptionalInt.empty();
            }
            // 0xFFFF marks the end of a SunSpec model chain; 0 is not a model.
            if (id < 1 || id > 0xFFFE) {
                problem("sunspec_model", "a SunSpec model id 1..65534", id.toString());
                return OptionalInt.empty();
            }
            return OptionalInt.of(id);
        }

        private int phases(OptionalInt sunspecModel) {
            Integer phases = file.phases();
            boolean commonModel = sunspecModel.isPresent() && sunspecModel.getAsInt() == 1;
            if (commonModel) {
                // The SunSpec common model identifies a device; it measures nothing.
                if (phases != null) {
                    problem("phases", "no phases for the SunSpec common model (sunspec_model: 1)", phases.toString());
                }
                return 0;
            }
            if (phases == null) {
                problem("phases", "1, 2 or 3", "nothing");
                return 0;
            }
            if (phases < 1 || phases > 3) {
                problem("phases", "1, 2 or 3", phases.toString());
                return 0;
            }
            return phases;
        }

        private int maxRegistersPerRequest() {
            Integer max = file.maxRegistersPerRequest();
            if (max == null) {
                return 125;
            }
            // FC 03/04 carry at most 125 registers (Application Protocol V1.1b3 sections 6.3, 6.4).
            if (max < 1 || max > 125) {
                problem("max_registers_per_request", "1..125", max.toString());
                return 125;
            }
            return max;
        }

        private List<ReadableRange> readable(OptionalInt sunspecModel) {
            if (file.readable() == null) {
                return List.of();
            }
            if (sunspecModel.isPresent()) {
                problem("readable", "no readable ranges in a SunSpec model map (the whole model is readable)",
                        file.readable().size() + " ranges");
                return List.of();
            }
            List<ReadableRange> ranges = new ArrayList<>();
            for (int i = 0; i < file.readable().size(); i++) {
                MapFile.Readable r = file.readable().get(i);
                String field = "readable[" + i + "]";
                if (r == null) {
                    problem(field, "a mapping with function, from and to", "nothing");
                    continue;
                }
                Optional<RegisterTable> table = table(field + ".function", r.function());
                boolean ok = table.isPresent();
                ok &= address(field + ".from", r.from());
                ok &= address(field + ".to", r.to());
                if (ok && r.from() > r.to()) {
                    problem(field, "from <= to", Hex.wordValue(r.from()) + ".." + Hex.wordValue(r.to()));
                    ok = false;
                }
                if (!ok) {
                    continue;
                }
                ReadableRange range = new ReadableRange(table.get(), r.from(), r.to());
                for (int j = 0; j < ranges.size(); j++) {
                    if (ranges.get(j).overlaps(range)) {
                        problem(field, "a range not overlapping readable[" + j + "] (" + ranges.get(j) + ")",
                                range.toString());
                    }
                }
                ranges.add(range);
            }
            return ranges;
        }

        private Optional<RegisterTable> table(String field, String name) {
            if (name == null) {
                problem(field, "input or holding", "nothing");
                return Optional.empty();
            }
            Optional<RegisterTable> table = RegisterTable.fromFileName(name);
            if (table.isEmpty()) {
                problem(field, "input or holding", quote(name));
            }
            return table;
        }

        private boolean address(String field, Integer address) {
            if (address == null) {
                problem(field, "an address 0..65535", "nothing");
                return false;
            }
            if (address < 0 || address > 0xFFFF) {
                problem(field, "an address 0..65535", address.toString());
                return false;
            }
            return true;
        }

        private Optional<Identification> identification() {
            MapFile.IdentificationEntry id = file.identification();
            if (id == null) {
                return Optional.empty();
            }
            Optional<String> vendor = Optional.ofNullable(id.vendorName()).map(String::strip).filter(s -> !s.isEmpty());
            Optional<String> code = Optional.ofNullable(id.productCode()).filter(s -> !s.isEmpty());
            if (vendor.isEmpty() && code.isEmpty()) {
                problem("identification", "vendor_name or product_code", "neither");
                return Optional.empty();
            }
            if (code.isPresent()) {
                try {
                    Pattern.compile(code.get());
                } catch (PatternSyntaxException e) {
                    problem("identification.product_code", "a Java regular expression",
                            quote(code.get()) + " (" + e.getDescription() + " at index " + e.getIndex() + ")");
                    return Optional.empty();
                }
            }
            return Optional.of(new Identification(vendor, code));
        }

        private List<MapValue> values(OptionalInt sunspecModel, int maxPerRequest) {
            Map<String, MapFile.ValueEntry> entries = file.values();
            if (entries == null || entries.isEmpty()) {
                problem("values", "at least one value", "nothing");
                return List.of();
            }
            Defaults defaults = defaults();
            List<MapValue> values = new ArrayList<>();
            List<Pending> pending = new ArrayList<>();
            for (Map.Entry<String, MapFile.ValueEntry> e : entries.entrySet()) {
                value(e.getKey(), e.getValue(), defaults, sunspecModel, maxPerRequest).ifPresent(pending::add);
            }
            // Cross-value rules, once every value is known.
            for (Pending p : pending) {
                p.scaleFactor().ifPresent(sf -> checkScaleFactor(p.value(), sf, pending));
                values.add(p.value());
            }
            checkOverlaps(values, sunspecModel.isPresent());
            return values;
        }

        private record Defaults(
                Optional<RegisterTable> table, Optional<DataType> type, WordOrder wordOrder, ByteOrder byteOrder) {}

        private record Pending(MapValue value, Optional<String> scaleFactor) {}

        private Defaults defaults() {
            MapFile.Defaults d = file.defaults();
            if (d == null) {
                return new Defaults(Optional.empty(), Optional.empty(), WordOrder.HIGH_WORD_FIRST, ByteOrder.BIG);
            }
            Optional<RegisterTable> table = d.function() == null ? Optional.empty() : table("defaults.function", d.function());
            Optional<DataType> type = d.type() == null ? Optional.empty() : type("defaults.type", d.type());
            WordOrder w = d.wordOrder() == null ? WordOrder.HIGH_WORD_FIRST : wordOrder("defaults.word_order", d.wordOrder());
            ByteOrder b = d.byteOrder() == null ? ByteOrder.BIG : byteOrder("defaults.byte_order", d.byteOrder());
            return new Defaults(table, type, w, b);
        }

        private Optional<DataType> type(String field, String name) {
            Optional<DataType> t = DataType.fromFileName(name);
            if (t.isEmpty()) {
                problem(field, "one of " + DataType.fileNames(), quote(name));
            }
            return t;
        }

        private WordOrder wordOrder(String field, String name) {
            return WordOrder.fromFileName(name).orElseGet(() -> {
                problem(field, "high_first or low_first", quote(name));
                return WordOrder.HIGH_WORD_FIRST;
            });
        }

        private ByteOrder byteOrder(String field, String name) {
            return ByteOrder.fromFileName(name).orElseGet(() -> {
                problem(field, "big or little", quote(name));
                return ByteOrder.BIG;
            });
        }

        private Optional<Pending> value(String name, MapFile.ValueEntry v, Defaults defaults, OptionalInt sunspecModel,
                int maxPerRequest) {
            String at = "values." + name;
            int before = problems.size();
            if (!NAME.matcher(name).matches()) {
                problem(at, "a name of letters, digits and '_' starting with a letter", quote(name));
            }
            if (v == null) {
                problem(at, "a mapping with address, unit, description, ...", "nothing");
                return Optional.empty();
            }
            // Where: an address, or an offset in a SunSpec model map.
            Integer position = null;
            if (sunspecModel.isPresent()) {
                if (v.address() != null) {
                    problem(at + ".address", "offset instead of address in a SunSpec model map", v.address().toString());
                } else if (v.offset() == null) {
                    problem(at + ".offset", "an offset from the model's ID register (2 is the first point after ID and L)",
                            "nothing");
                } else if (v.offset() < 2 || v.offset() > 0xFFFF) {
                    problem(at + ".offset", "2..65535 (0 and 1 are the model's ID and L)", v.offset().toString());
                } else {
                    position = v.offset();
                }
            } else if (v.offset() != null) {
                problem(at + ".offset", "address (offset is for SunSpec model maps, with sunspec_model)", v.offset().toString());
            } else if (address(at + ".address", v.address())) {
                position = v.address();
            }
            Optional<RegisterTable> table = v.function() != null ? table(at + ".function", v.function())
                    : defaults.table();
            if (table.isEmpty() && v.function() == null) {
                problem(at + ".function", "input or holding (here or in defaults)", "nothing");
            }
            if (sunspecModel.isPresent() && table.isPresent() && table.get() != RegisterTable.HOLDING) {
                // SunSpec devices map their models into holding registers (SunSpec Information Model spec).
                problem(at + ".function", "holding in a SunSpec model map", quote(table.get().fileName()));
            }
            Optional<DataType> type = v.type() != null ? type(at + ".type", v.type()) : defaults.type();
            if (type.isEmpty() && v.type() == null) {
                problem(at + ".type", "one of " + DataType.fileNames() + " (here or in defaults)", "nothing");
            }
            WordOrder wordOrder = v.wordOrder() != null ? wordOrder(at + ".word_order", v.wordOrder()) : defaults.wordOrder();
            ByteOrder byteOrder = v.byteOrder() != null ? byteOrder(at + ".byte_order", v.byteOrder()) : defaults.byteOrder();

            Encoding encoding = null;
            if (type.isPresent()) {
                if (type.get() == DataType.STRING) {
                    if (v.registers() == null) {
                        problem(at + ".registers", "the number of registers of the string, 1..125", "nothing");
                    } else if (v.registers() < 1 || v.registers() > Encoding.MAX_STRING_REGISTERS) {
                        problem(at + ".registers", "1..125", v.registers().toString());
                    } else {
                        encoding = Encoding.string(v.registers(), byteOrder);
                    }
                } else {
                    if (v.registers() != null) {
                        problem(at + ".registers", "no registers for a " + type.get() + " (its width is "
                                + type.get().width() + ")", v.registers().toString());
                    }
                    encoding = Encoding.of(type.get(), wordOrder, byteOrder);
                }
            }
            Unit unit = unit(at, name, v.unit(), type);
            String description = requiredLine(at + ".description", v.description());
            BigDecimal scale = scale(at, v.scale(), type);
            Optional<String> scaleFactor = Optional.ofNullable(v.scaleFactor());
            if (scaleFactor.isPresent() && type.isPresent() && !type.get().isNumeric()) {
                problem(at + ".scale_factor", "no scale factor on a string", quote(scaleFactor.get()));
            } else if (scaleFactor.isPresent() && type.orElse(null) == DataType.SUNSSF) {
                problem(at + ".scale_factor", "no scale factor on a sunssf value", quote(scaleFactor.get()));
            }
            OptionalLong notAvailable = notAvailable(at, v.notAvailable(), encoding);

            if (encoding != null && position != null) {
                int width = encoding.width();
                if (position + width > 0x10000) {
                    problem(at + "." + (sunspecModel.isPresent() ? "offset" : "address"),
                            "all " + width + " registers at or below 65535",
                            Hex.wordValue(position) + " + " + width + " registers ends at " + (position + width - 1));
                }
                if (width > maxPerRequest) {
                    problem(at + ".registers", "at most max_registers_per_request (" + maxPerRequest
                            + ") registers, so that one request can read the value", Integer.toString(width));
                }
            }
            if (problems.size() > before || encoding == null || position == null || table.isEmpty() || unit == null
                    || description == null) {
                return Optional.empty();
            }
            return Optional.of(new Pending(new MapValue(name, table.get(), position, encoding, unit, description, scale,
                    scaleFactor, notAvailable), scaleFactor));
        }

        private Unit unit(String at, String name, String symbol, Optional<DataType> type) {
            boolean numeric = type.map(t -> t.isNumeric() && t != DataType.SUNSSF).orElse(true);
            Optional<Unit.Quantity> standard = StandardNames.quantity(name);
            if (standard.isPresent() && !numeric) {
                problem(at + ".type", "a number type for the standard name " + name, quote(type.get().fileName()));
                return null;
            }
            if (symbol == null) {
                if (!numeric) {
                    return Unit.NONE; // strings and scale factors have no unit
                }
                problem(at + ".unit", "one of " + Unit.symbols(), "nothing");
                return null;
            }
            Optional<Unit> unit = Unit.fromSymbol(symbol);
            if (unit.isEmpty()) {
                problem(at + ".unit", "one of " + Unit.symbols(), quote(symbol));
                return null;
            }
            if (!numeric && unit.get() != Unit.NONE) {
                problem(at + ".unit", "'' (or no unit) for a " + type.get(), quote(symbol));
                return null;
            }
            if (standard.isPresent() && unit.get().quantity() != standard.get()) {
                List<String> allowed = java.util.Arrays.stream(Unit.values())
                        .filter(u -> u.quantity() == standard.get())
                        .map(u -> u.symbol().isEmpty() ? "''" : u.symbol())
                        .toList();
                problem(at + ".unit", "a unit of " + standard.get().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + " (" + String.join(", ", allowed) + ") for the standard name " + name, quote(symbol));
                return null;
            }
            return unit.get();
        }

        private BigDecimal scale(String at, BigDecimal scale, Optional<DataType> type) {
            if (scale == null) {
                return BigDecimal.ONE;
            }
            if (type.isPresent() && (!type.get().isNumeric() || type.get() == DataType.SUNSSF)) {
                problem(at + ".scale", "no scale on a " + type.get(), scale.toPlainString());
                return BigDecimal.ONE;
            }
            if (scale.signum() == 0) {
                problem(at + ".scale", "a non-zero number", scale.toPlainString());
                return BigDecimal.ONE;
            }
            return scale;
        }

        private OptionalLong notAvailable(String at, BigInteger raw, Encoding encoding) {
            if (raw == null || encoding == null) {
                return OptionalLong.empty();
            }
            if (!encoding.type().isNumeric()) {
                problem(at + ".not_available", "no not_available on a string (all NUL reads as absent)", raw.toString());
                return OptionalLong.empty();
            }
            // Raw bits as written (usually hex, e.g. 0x8000), or a negative number within the type.
            BigInteger maxBits = encoding.maxBits();
            BigInteger minSigned = BigInteger.ONE.shiftLeft(16 * encoding.width() - 1).negate();
            if (raw.compareTo(maxBits) > 0 || raw.compareTo(minSigned) < 0) {
                problem(at + ".not_available", "a raw value of " + encoding.width() + " registers, "
                        + minSigned + ".." + "0x" + maxBits.toString(16), "0x" + raw.toString(16));
                return OptionalLong.empty();
            }
            long bits = raw.longValue();
            if (encoding.width() < 4) {
                bits &= (1L << (16 * encoding.width())) - 1;
            }
            return OptionalLong.of(bits);
        }

        private void checkScaleFactor(MapValue value, String sfName, List<Pending> all) {
            String field = "values." + value.name() + ".scale_factor";
            Optional<MapValue> sf = all.stream().map(Pending::value).filter(v -> v.name().equals(sfName)).findFirst();
            if (sf.isEmpty()) {
                boolean declared = file.values().containsKey(sfName);
                problem(field, "the name of a sunssf value of this map", quote(sfName)
                        + (declared ? " (declared, but invalid)" : " (no such value)"));
            } else if (sf.get().type() != DataType.SUNSSF) {
                problem(field, "the name of a sunssf value of this map", quote(sfName) + " (a " + sf.get().type() + ")");
            } else if (sf.get().table() != value.table()) {
                problem(field, "a sunssf value in the " + value.table().fileName() + " registers", quote(sfName)
                        + " (in the " + sf.get().table().fileName() + " registers)");
            }
        }

        private void checkOverlaps(List<MapValue> values, boolean sunspec) {
            String where = sunspec ? "offset" : "address";
            for (RegisterTable table : RegisterTable.values()) {
                List<MapValue> sorted = values.stream()
                        .filter(v -> v.table() == table)
                        .sorted(Comparator.comparingInt(MapValue::address))
                        .toList();
                for (int i = 1; i < sorted.size(); i++) {
                    MapValue previous = sorted.get(i - 1);
                    MapValue v = sorted.get(i);
                    if (v.address() < previous.end()) {
                        problem("values." + v.name() + "." + where, "registers not overlapping values."
                                        + previous.name() + " (" + range(previous) + ")", range(v));
                    }
                }
            }
        }

        private static String range(MapValue v) {
            return v.width() == 1 ? Hex.wordValue(v.address()) : Hex.wordValue(v.address()) + ".." + Hex.wordValue(v.end() - 1);
        }

        private static String quote(String text) {
            return "'" + text + "'";
        }
    }
}
