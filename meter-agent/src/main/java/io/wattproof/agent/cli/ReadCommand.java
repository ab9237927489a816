package io.wattproof.agent.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.ModbusTimeoutException;
import io.wattproof.modbus.maps.MapValue;
import io.wattproof.modbus.maps.MeterDetection;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMapException;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.maps.MeterReader;
import io.wattproof.modbus.maps.MeterReading;
import io.wattproof.modbus.maps.ReadPlan;
import io.wattproof.modbus.maps.ReadPlanner;
import io.wattproof.modbus.maps.sunspec.SunSpecDevice;
import io.wattproof.modbus.maps.sunspec.SunSpecDiscovery;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.master.ModbusRtuMaster;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/meter-agent read}: reads a meter once through its register map and prints every value
 * with its unit. The technician's check on site that wiring, line settings, unit id and map agree.
 */
@Command(name = "read", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Reads a meter once and prints each value of its register map with its unit.",
            "Values are in V, A, W, var, VA, Hz, Wh, varh; names as in docs/meters.md."},
        footer = {"", "Examples:",
            "  bin/meter-agent read --serial /dev/ttyUSB0 --baud 9600 --parity N --unit 1 --model SDM630",
            "  bin/meter-agent read --tcp 192.168.1.50 --unit 1 --model auto --format json",
            "  bin/meter-agent models        lists the built-in maps"})
final class ReadCommand implements Callable<Integer> {
    static final String AUTO = "auto";

    @Mixin
    MeterConnectionOptions connection;

    @Option(names = "--unit", paramLabel = "ID", required = true, description = "Modbus unit id (slave address) of the meter")
    int unit;

    @Option(names = "--model", paramLabel = "NAME|FILE|auto", required = true,
            description = "built-in map (model or alias, e.g. SDM630), a map file (.yaml), or auto: SunSpec discovery, "
                    + "then device identification (FC 43/14)")
    String model;

    @Option(names = "--format", paramLabel = "table|json", description = "output format (default: ${DEFAULT-VALUE})")
    String format = "table";

    @Option(names = "--values", paramLabel = "NAME", split = ",", description = "only these values (default: all of the map)")
    List<String> values;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String outputFormat = format.toLowerCase(Locale.ROOT);
        if (!outputFormat.equals("table") && !outputFormat.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format: expected table or json, actual '" + format + "'");
        }
        MeterConnectionOptions.Target target = connection.target(spec);
        MeterConnectionOptions.checkUnit(spec, target, unit);
        MeterMap map = null;
        if (!model.strip().equalsIgnoreCase(AUTO)) {
            try {
                map = MeterMaps.resolve(model);
            } catch (MeterMapException e) {
                String message = e.getMessage().startsWith("--model") ? e.getMessage() : "--model: " + e.getMessage();
                throw new CommandLine.ParameterException(spec.commandLine(), message);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String where = "unit " + unit + " on " + target.description();
        try (ModbusMaster master = connection.open(target)) {
            String how = null;
            if (map == null) {
                switch (MeterDetection.detect(master, unit)) {
                    case MeterDetection.Outcome.Identified found -> {
                        map = found.map();
                        how = found.how();
                    }
                    case MeterDetection.Outcome.NotIdentified none -> {
                        err.println("error: " + where + ": " + none.message());
                        err.println("hint: name the model with --model NAME (bin/meter-agent models lists them) "
                                + "or write a map for it (docs/meters.md)");
                        return 1;
                    }
                }
            } else if (map.isSunSpec() && !map.isLocated()) {
                map = locate(master, map);
            }
            ReadPlan plan;
            try {
                plan = values == null ? ReadPlanner.plan(map) : ReadPlanner.plan(map, values);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--values: " + e.getMessage());
            }
            long started = System.nanoTime();
            MeterReading reading = new MeterReader(master, unit, map).read(plan);
            long millis = (System.nanoTime() - started) / 1_000_000;
            String summary = map.manufacturer() + " " + map.model() + " (" + map.origin() + "), " + where + ": "
                    + plan.reads().size() + (plan.reads().size() == 1 ? " request" : " requests") + " in " + millis + " ms"
                    + lineHealth(master) + (how == null ? "" : "; identified by " + how);
            if (outputFormat.equals("json")) {
                out.println(json(map, plan, reading));
                err.println(summary);
            } else {
                out.println(summary);
                table(out, map, plan, reading);
            }
            out.flush();
            return 0;
        } catch (ModbusException e) {
            err.println("error: " + where + ": " + e.getMessage());
            err.println("hint: " + hint(e, target));
            return 1;
        }
    }

    /** A SunSpec model map named on the command line: find where this device has it. */
    private MeterMap locate(ModbusMaster master, MeterMap map) throws ModbusException {
        SunSpecDevice device = SunSpecDiscovery.discover(master, unit);
        return device.locate(map).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "--model: the device has no SunSpec model " + map.sunspecModel().getAsInt() + " (its models: "
                        + device.models() + "); try --model auto"));
    }

    private static String lineHealth(ModbusMaster master) {
        if (master instanceof ModbusRtuMaster rtu) {
            var s = rtu.statistics();
            return ", " + s.retries() + " retries, " + s.crcErrors() + " CRC errors";
        }
        return "";
    }

    private static void table(PrintWriter out, MeterMap map, ReadPlan plan, MeterReading reading) {
        int nameWidth = plan.requested().stream().mapToInt(String::length).max().orElse(4);
        for (String name : plan.requested()) {
            MapValue v = map.value(name).orElseThrow();
            String value;
            String unit = v.unit().siSymbol();
            if (reading.decimal(name).isPresent()) {
                value = plain(reading.decimal(name).get());
            } else if (reading.text(name).isPresent()) {
                value = reading.text(name).get();
                unit = "";
            } else {
                value = "absent";
                unit = "";
            }
            out.printf("%-" + nameWidth + "s  %16s  %-4s  %s%n", name, value, unit, v.description());
        }
    }

    private static String json(MeterMap map, ReadPlan plan, MeterReading reading) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        ObjectNode node = mapper.createObjectNode();
        for (String name : plan.requested()) {
            if (reading.decimal(name).isPresent()) {
                node.put(name, reading.decimal(name).get());
            } else if (reading.text(name).isPresent()) {
                node.put(name, reading.text(name).get());
            } else {
                node.putNull(name); // the meter marks it as not available
            }
        }
        return mapper.writeValueAsString(node);
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    private static String hint(ModbusException e, MeterConnectionOptions.Target target) {
        return switch (e) {
            case ModbusTimeoutException t -> target.isRtu()
                    ? "no answer: check the A/B wiring, the unit id, and that baud rate, parity and stop bits match the meter's settings"
                    : "no answer: check the address, port and unit id (a gateway needs the unit id of the meter behind it)";
            case ModbusProtocolException p -> switch (p.kind()) {
                case CRC_ERROR, NOISE, TRUNCATED_FRAME -> "corrupted frames: check baud rate and parity, line termination "
                        + "(120 ohm at both ends), biasing and cable length";
                case UNEXPECTED_UNIT -> "another device answered: two devices may share this unit id";
                case INVALID_VALUE -> "the meter sent a value the map refuses: is this the right model?";
                default -> "the answer broke the Modbus protocol: is this a Modbus device, and the right port?";
            };
            case ModbusExceptionResponse r -> r.exceptionCode() == 0x02
                    ? "the meter refuses a register of the map: is this the right model (or map)?"
                    : "the meter refused the request (" + r.meaning() + ")";
            default -> "check the port and that no other program uses it";
        };
    }
}
