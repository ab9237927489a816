package io.wattproof.modbus.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wattproof.modbus.types.ByteOrder;
import io.wattproof.modbus.types.DataType;
import io.wattproof.modbus.types.WordOrder;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MeterMapParserTest {
    static final String HEADER = """
            schema: wattproof-meter-map/1
            model: TM1
            aliases: [Test Meter One]
            manufacturer: Acme
            description: Test meter
            source: Acme TM1 register list
            phases: 3
            defaults:
              function: input
              type: float32
            """;

    static String map(String values) {
        return HEADER + "values:\n" + values.indent(2);
    }

    static MeterMap parsed(String text) {
        return switch (MeterMapParser.parse("tm1.yaml", text)) {
            case MapParseResult.Parsed p -> p.map();
            case MapParseResult.Invalid i -> fail("expected a valid map, got " + i.problems());
        };
    }

    static List<String> problems(String text) {
        MapParseResult r = MeterMapParser.parse("tm1.yaml", text);
        return assertInstanceOf(MapParseResult.Invalid.class, r, "expected problems").problems().stream()
                .map(MapProblem::message)
                .toList();
    }

    static String problem(String text) {
        List<String> all = problems(text);
        assertEquals(1, all.size(), "expected exactly one problem, got " + all);
        return all.get(0);
    }

    @Test
    void parsesAValidMapWithDefaultsAndFileOrder() {
        MeterMap m = parsed(HEADER + """
                max_registers_per_request: 80
                readable:
                  - {function: input, from: 0x0000, to: 0x004f}
                identification: {vendor_name: Acme, product_code: "TM[0-9]"}
                values:
                  voltage_l1: {address: 0x0000, unit: V, description: Phase 1 voltage}
                  import_energy: {address: 0x0048, unit: kWh, description: Import, type: uint32, word_order: low_first, scale: 0.01}
                  status: {address: 10, function: holding, type: uint16, unit: "", description: Status, not_available: 0xffff}
                  name: {address: 20, function: holding, type: string, registers: 4, description: Name, byte_order: little}
                """);
        assertEquals("TM1", m.model());
        assertEquals(List.of("Test Meter One"), m.aliases());
        assertEquals(3, m.phases());
        assertEquals(80, m.maxRegistersPerRequest());
        assertEquals(List.of(new ReadableRange(RegisterTable.INPUT, 0, 0x4f)), m.readable());
        assertEquals(List.of("voltage_l1", "import_energy", "status", "name"), m.names());
        MapValue v = m.value("voltage_l1").orElseThrow();
        assertEquals(RegisterTable.INPUT, v.table());
        assertEquals(DataType.FLOAT32, v.type());
        assertEquals(WordOrder.HIGH_WORD_FIRST, v.encoding().wordOrder());
        assertEquals(BigDecimal.ONE, v.scale());
        MapValue e = m.value("import_energy").orElseThrow();
        assertEquals(0x48, e.address());
        assertEquals(Unit.KWH, e.unit());
        assertEquals(WordOrder.LOW_WORD_FIRST, e.encoding().wordOrder());
        assertEquals(new BigDecimal("0.01"), e.scale());
        assertEquals(OptionalLong.of(0xFFFF), m.value("status").orElseThrow().notAvailable());
        MapValue name = m.value("name").orElseThrow();
        assertEquals(4, name.width());
        assertEquals(ByteOrder.LITTLE, name.encoding().byteOrder());
        assertEquals(Unit.NONE, name.unit());
        assertTrue(m.identification().orElseThrow().matches(Optional.of("ACME"), Optional.of("TM3-X"), Optional.empty()));
        assertTrue(m.matches("test meter one"));
        assertTrue(m.matches("tm1"));
    }

    /** The worked example of docs/meters.md parses, and reads in the two requests the guide says. */
    @Test
    void theUserGuidesWorkedExampleIsValid() throws java.io.IOException {
        String guide = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/meters.md"));
        int start = guide.indexOf("```yaml\n") + "```yaml\n".length();
        MeterMap m = parsed(guide.substring(start, guide.indexOf("```", start)));
        assertEquals("PM-1", m.model());
        assertEquals(2, ReadPlanner.plan(m).reads().size());
        assertEquals(Unit.KWH, m.value("import_energy").orElseThrow().unit());
    }

    @Test
    void misspelledType() {
        assertEquals("tm1.yaml: values.voltage_l1.type: expected one of int16, uint16, int32, uint32, int64, uint64, "
                + "float32, float64, sunssf, acc32, string, actual 'flaot32'",
                problem(map("voltage_l1: {address: 0, unit: V, description: V1, type: flaot32}")));
    }

    @Test
    void duplicateValueNames() {
        assertEquals("tm1.yaml: values.voltage_l1: expected each key once, actual 'voltage_l1' a second time",
                problem(map("""
                        voltage_l1: {address: 0, unit: V, description: V1}
                        voltage_l1: {address: 2, unit: V, description: V1 again}
                        """)));
    }

    @Test
    void overlappingValues() {
        assertEquals("tm1.yaml: values.voltage_l2.address: expected registers not overlapping values.voltage_l1 "
                + "(0x0000..0x0001), actual 0x0001..0x0002",
                problem(map("""
                        voltage_l1: {address: 0, unit: V, description: V1}
                        voltage_l2: {address: 1, unit: V, description: V2}
                        """)));
    }

    @Test
    void valuesInDifferentTablesMayShareAddresses() {
        parsed(map("""
                voltage_l1: {address: 0, unit: V, description: V1}
                setting: {address: 0, function: holding, unit: "", description: A setting}
                """));
    }

    @Test
    void widthCrossingRegister65535() {
        assertEquals("tm1.yaml: values.big.address: expected all 4 registers at or below 65535, actual 0xfffe + 4 "
                + "registers ends at 65537",
                problem(map("big: {address: 0xfffe, type: float64, unit: W, description: Big}")));
    }

    @Test
    void addressOutOfRange() {
        assertEquals("tm1.yaml: values.voltage_l1.address: expected an address 0..65535, actual 70000",
                problem(map("voltage_l1: {address: 70000, unit: V, description: V1}")));
    }

    @Test
    void unknownUnit() {
        assertEquals("tm1.yaml: values.voltage_l1.unit: expected one of V, A, W, var, VA, Hz, Wh, varh, VAh, kW, kvar, "
                + "kVA, kWh, kvarh, kVAh, '%', '', actual 'Volt'",
                problem(map("voltage_l1: {address: 0, unit: Volt, description: V1}")));
    }

    @Test
    void numericValueWithoutUnit() {
        assertTrue(problem(map("voltage_l1: {address: 0, description: V1}"))
                .startsWith("tm1.yaml: values.voltage_l1.unit: expected one of V, A"));
    }

    @Test
    void scaleFactorNamingAMissingValue() {
        assertEquals("tm1.yaml: values.w.scale_factor: expected the name of a sunssf value of this map, actual 'W_SF' "
                + "(no such value)",
                problem(map("w: {address: 0, type: int16, unit: W, description: W, scale_factor: W_SF}")));
    }

    @Test
    void scaleFactorNamingANonSunssfValue() {
        assertEquals("tm1.yaml: values.w.scale_factor: expected the name of a sunssf value of this map, actual 'W_SF' "
                + "(a int16)",
                problem(map("""
                        w: {address: 0, type: int16, unit: W, description: W, scale_factor: W_SF}
                        W_SF: {address: 1, type: int16, unit: "", description: not a scale factor}
                        """)));
    }

    @Test
    void scaleFactorInAnotherTable() {
        assertTrue(problem(map("""
                w: {address: 0, type: int16, unit: W, description: W, scale_factor: W_SF}
                W_SF: {address: 1, type: sunssf, function: holding, description: scale factor}
                """)).contains("expected a sunssf value in the input registers"));
    }

    @Test
    void stringWithoutRegisters() {
        assertEquals("tm1.yaml: values.serial.registers: expected the number of registers of the string, 1..125, "
                + "actual nothing",
                problem(map("serial: {address: 0, type: string, description: Serial}")));
    }

    @Test
    void registersOnANumber() {
        assertEquals("tm1.yaml: values.voltage_l1.registers: expected no registers for a float32 (its width is 2), "
                + "actual 2",
                problem(map("voltage_l1: {address: 0, unit: V, description: V1, registers: 2}")));
    }

    @Test
    void unknownKey() {
        assertEquals("tm1.yaml: values.voltage_l1: expected only the keys address, byte_order, description, function, "
                + "not_available, offset, registers, scale, scale_factor, type, unit, word_order, actual unknown key 'adress'",
                problem(map("voltage_l1: {adress: 0, unit: V, description: V1}")));
    }

    @Test
    void unknownTopLevelKey() {
        assertEquals("tm1.yaml: (top level): expected only the keys aliases, defaults, description, identification, "
                + "manufacturer, max_registers_per_request, model, phases, readable, schema, source, sunspec_model, values, "
                + "actual unknown key 'colour'", problem(HEADER + "colour: blue\n"));
    }

    @Test
    void wrongSchema() {
        assertEquals("tm1.yaml: schema: expected 'wattproof-meter-map/1', actual 'wattproof-meter-map/2'",
                problem(map("voltage_l1: {address: 0, unit: V, description: V1}").replace("map/1", "map/2")));
    }

    @Test
    void requiredFieldsMissing() {
        assertEquals(List.of(
                "tm1.yaml: schema: expected 'wattproof-meter-map/1', actual nothing",
                "tm1.yaml: model: expected a non-empty text, actual ''",
                "tm1.yaml: manufacturer: expected a non-empty text, actual nothing",
                "tm1.yaml: description: expected a non-empty text, actual nothing",
                "tm1.yaml: source: expected a non-empty text, actual nothing",
                "tm1.yaml: phases: expected 1, 2 or 3, actual nothing",
                "tm1.yaml: values: expected at least one value, actual nothing"),
                problems("model: ''\n"));
    }

    @Test
    void phasesOutOfRange() {
        assertEquals("tm1.yaml: phases: expected 1, 2 or 3, actual 4",
                problem(map("voltage_l1: {address: 0, unit: V, description: V1}").replace("phases: 3", "phases: 4")));
    }

    @Test
    void descriptionOnSeveralLines() {
        assertEquals("tm1.yaml: description: expected one line, actual several lines",
                problem(map("voltage_l1: {address: 0, unit: V, description: V1}")
                        .replace("description: Test meter", "description: |\n  Test\n  meter")));
    }

    @Test
    void functionAndTypeNeededSomewhere() {
        assertEquals(List.of(
                "tm1.yaml: values.voltage_l1.function: expected input or holding (here or in defaults), actual nothing",
                "tm1.yaml: values.voltage_l1.type: expected one of int16, uint16, int32, uint32, int64, uint64, float32, "
                        + "float64, sunssf, acc32, string (here or in defaults), actual nothing"),
                problems(HEADER.replaceAll("(?s)defaults:.*", "") + "values:\n  voltage_l1: {address: 0, unit: V, description: V1}\n"));
    }

    @Test
    void unknownFunction() {
        assertEquals("tm1.yaml: values.c.function: expected input or holding, actual 'coil'",
                problem(map("c: {address: 0, unit: '', description: C, function: coil}")));
    }

    @Test
    void unknownWordAndByteOrder() {
        assertEquals(List.of(
                "tm1.yaml: values.v.word_order: expected high_first or low_first, actual 'big_endian'",
                "tm1.yaml: values.v.byte_order: expected big or little, actual 'middle'"),
                problems(map("v: {address: 0, unit: V, description: V, word_order: big_endian, byte_order: middle}")));
    }

    @Test
    void readableRangeBackwards() {
        assertEquals("tm1.yaml: readable[0]: expected from <= to, actual 0x0010..0x0000",
                problem(map("voltage_l1: {address: 0, unit: V, description: V1}")
                        .replace("values:", "readable:\n  - {function: input, from: 0x10, to: 0}\nvalues:")));
    }

    @Test
    void overlappingReadableRanges() {
        assertEquals("tm1.yaml: readable[1]: expected a range not overlapping readable[0] (input 0x0000..0x0010), "
                + "actual input 0x0010..0x0020",
                problem(map("voltage_l1: {address: 0, unit: V, description: V1}").replace("values:",
                        "readable:\n  - {function: input, from: 0, to: 0x10}\n  - {function: input, from: 0x10, to: 0x20}\nvalues:")));
    }

    @Test
    void valuesMayLieOutsideTheReadableRanges() {
        MeterMap m = parsed(map("""
                voltage_l1: {address: 0, unit: V, description: V1}
                voltage_l2: {address: 3, unit: V, description: V2}
                """).replace("values:", "readable:\n  - {function: input, from: 0, to: 3}\nvalues:"));
        assertEquals(2, m.values().size());
    }

    @Test
    void maxRegistersPerRequestOutOfRange() {
        assertEquals("tm1.yaml: max_registers_per_request: expected 1..125, actual 126",
                problem(map("voltage_l1: {address: 0, unit: V, description: V1}")
                        .replace("values:", "max_registers_per_request: 126\nvalues:")));
    }

    @Test
    void valueWiderThanOneRequest() {
        assertEquals("tm1.yaml: values.serial.registers: expected at most max_registers_per_request (8) registers, "
                + "so that one request can read the value, actual 16",
                problem(map("serial: {address: 0, type: string, registers: 16, description: Serial}")
                        .replace("values:", "max_registers_per_request: 8\nvalues:")));
    }

    @Test
    void numbersMustBeIntegersWrittenUnambiguously() {
        assertEquals("tm1.yaml: values.v.address: expected an integer (decimal without leading zeros, or hex such as "
                + "0x004a), actual 12.5", problem(map("v: {address: 12.5, unit: V, description: V}")));
        assertEquals("tm1.yaml: values.v.address: expected an integer (decimal without leading zeros, or hex such as "
                + "0x004a), actual '12' (text)", problem(map("v: {address: '12', unit: V, description: V}")));
        // YAML 1.1 would read 0010 as octal 8: refused rather than guessed.
        assertEquals("tm1.yaml: values.v.address: expected an integer (decimal without leading zeros, or hex such as "
                + "0x004a), actual 0010", problem(map("v: {address: 0010, unit: V, description: V}")));
        assertEquals("tm1.yaml: values.v.address: expected an integer (decimal without leading zeros, or hex such as "
                + "0x004a), actual a list", problem(map("v: {address: [1], unit: V, description: V}")));
    }

    @Test
    void textWhereAListBelongs() {
        assertEquals("tm1.yaml: aliases: expected a list, actual 'TM one'",
                problem(map("v: {address: 0, unit: V, description: V}").replace("aliases: [Test Meter One]", "aliases: TM one")));
    }

    @Test
    void listWhereTextBelongs() {
        assertEquals("tm1.yaml: model: expected a text, actual a list",
                problem(map("v: {address: 0, unit: V, description: V}").replace("model: TM1", "model: [TM1]")));
    }

    @Test
    void aliasRepeatingTheModel() {
        assertEquals("tm1.yaml: aliases[0]: expected a name different from the model and the other aliases (ignoring case), "
                + "actual 'tm1'",
                problem(map("v: {address: 0, unit: V, description: V}").replace("[Test Meter One]", "[tm1]")));
    }

    @Test
    void standardNameWithAnotherMeaning() {
        assertEquals("tm1.yaml: values.import_energy.unit: expected a unit of active energy (Wh, kWh) for the standard "
                + "name import_energy, actual 'V'",
                problem(map("import_energy: {address: 0, unit: V, description: Import}")));
    }

    @Test
    void powerFactorIsAPlainNumber() {
        assertEquals("tm1.yaml: values.power_factor.unit: expected a unit of plain number ('') for the standard name "
                + "power_factor, actual '%'",
                problem(map("power_factor: {address: 0, unit: '%', description: PF}")));
    }

    @Test
    void standardNameMustBeANumber() {
        assertEquals("tm1.yaml: values.frequency.type: expected a number type for the standard name frequency, "
                + "actual 'string'",
                problem(map("frequency: {address: 0, type: string, registers: 2, description: F}")));
    }

    @Test
    void notAvailableBeyondTheValueWidth() {
        assertEquals("tm1.yaml: values.w.not_available: expected a raw value of 1 registers, -32768..0xffff, "
                + "actual 0x10000",
                problem(map("w: {address: 0, type: int16, unit: W, description: W, not_available: 0x10000}")));
    }

    @Test
    void notAvailableAsANegativeNumberBecomesRawBits() {
        MeterMap m = parsed(map("w: {address: 0, type: int16, unit: W, description: W, not_available: -32768}"));
        assertEquals(OptionalLong.of(0x8000), m.value("w").orElseThrow().notAvailable());
    }

    @Test
    void scaleMustBeANonZeroDecimal() {
        assertEquals("tm1.yaml: values.v.scale: expected a non-zero number, actual 0",
                problem(map("v: {address: 0, unit: V, description: V, scale: 0}")));
        assertEquals("tm1.yaml: values.v.scale: expected a decimal number such as 0.1 or 1e-3, actual 'ten' (text)",
                problem(map("v: {address: 0, unit: V, description: V, scale: ten}")));
    }

    @Test
    void noScaleOnAString() {
        assertEquals("tm1.yaml: values.s.scale: expected no scale on a string, actual 2",
                problem(map("s: {address: 0, type: string, registers: 2, description: S, scale: 2}")));
    }

    @Test
    void invalidIdentification() {
        assertTrue(problem(map("v: {address: 0, unit: V, description: V}")
                .replace("values:", "identification: {product_code: \"TM[0-9\"}\nvalues:"))
                .startsWith("tm1.yaml: identification.product_code: expected a Java regular expression, actual 'TM[0-9'"));
        assertEquals("tm1.yaml: identification: expected vendor_name or product_code, actual neither",
                problem(map("v: {address: 0, unit: V, description: V}").replace("values:", "identification: {}\nvalues:")));
    }

    @Test
    void valueNameSyntax() {
        assertEquals("tm1.yaml: values.1st: expected a name of letters, digits and '_' starting with a letter, "
                + "actual '1st'", problem(map("1st: {address: 0, unit: V, description: V}")));
    }

    @Test
    void emptyValueEntry() {
        assertEquals("tm1.yaml: values.v: expected a mapping with address, unit, description, ..., actual nothing",
                problem(map("v:")));
    }

    @Test
    void brokenYamlNamesTheLine() {
        String p = problem(map("v: {address: 0, unit: V"));
        assertTrue(p.startsWith("tm1.yaml: line "), p);
        assertTrue(p.contains("expected valid YAML, actual while parsing a flow mapping"), p);
    }

    @Test
    void emptyFile() {
        assertEquals("tm1.yaml: (file): expected a mapping, actual an empty file", problem(""));
    }

    @Test
    void collectsEveryProblemAtOnce() {
        assertEquals(3, problems(map("""
                a: {address: 0, unit: Volt, description: A}
                b: {address: 0, unit: V, description: B, type: flaot32}
                c: {address: 70000, unit: V, description: C}
                """)).size());
    }

    @Test
    void sunspecMapUsesOffsetsInHoldingRegisters() {
        String sunspec = """
                schema: wattproof-meter-map/1
                model: SunSpec-test
                manufacturer: SunSpec Alliance
                description: test model
                source: test
                phases: 1
                sunspec_model: 64999
                defaults: {function: holding, type: int16}
                values:
                  W: {offset: 2, unit: W, description: W, scale_factor: W_SF, not_available: 0x8000}
                  W_SF: {offset: 3, type: sunssf, description: scale factor, not_available: 0x8000}
                """;
        MeterMap m = parsed(sunspec);
        assertEquals(64999, m.sunspecModel().getAsInt());
        assertEquals(2, m.sunspecLength());
        assertEquals(false, m.isLocated());
        MeterMap located = m.located(40070, 2);
        assertEquals(40072, located.value("W").orElseThrow().address());
        assertEquals(List.of(new ReadableRange(RegisterTable.HOLDING, 40070, 40073)), located.readable());

        assertEquals("tm1.yaml: values.W.address: expected offset instead of address in a SunSpec model map, actual 2",
                problem(sunspec.replace("{offset: 2,", "{address: 2,")));
        assertEquals("tm1.yaml: values.W.offset: expected 2..65535 (0 and 1 are the model's ID and L), actual 1",
                problem(sunspec.replace("{offset: 2,", "{offset: 1,")));
        assertEquals("tm1.yaml: values.W.function: expected holding in a SunSpec model map, actual 'input'",
                problem(sunspec.replace("{offset: 2,", "{offset: 2, function: input,")));
        assertEquals("tm1.yaml: readable: expected no readable ranges in a SunSpec model map (the whole model is "
                + "readable), actual 1 ranges",
                problem(sunspec.replace("values:", "readable: [{function: holding, from: 0, to: 1}]\nvalues:")));
        assertEquals("tm1.yaml: values.v.offset: expected address (offset is for SunSpec model maps, with "
                + "sunspec_model), actual 2", problem(map("v: {offset: 2, unit: V, description: V}")));
    }
}
