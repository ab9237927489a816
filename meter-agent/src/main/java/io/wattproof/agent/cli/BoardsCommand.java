package io.wattproof.agent.cli;

import io.wattproof.agent.board.BoardProfile;
import io.wattproof.agent.board.BoardProfileException;
import io.wattproof.agent.board.BoardProfileParser;
import io.wattproof.agent.board.BoardProfiles;
import io.wattproof.modbus.transport.SerialLineConfig;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bin/meter-agent boards}: the built-in board profiles, and one profile resolved. */
@Command(name = "boards", mixinStandardHelpOptions = true,
        description = "Lists the built-in board profiles; see docs/boards.md to write one.",
        subcommands = BoardsCommand.Show.class)
final class BoardsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (BoardProfile p : BoardProfiles.builtIn()) {
            out.printf("%-18s %s%n", p.name(), p.description());
        }
        out.println();
        out.println("Show one with: meter-agent boards show NAME|FILE");
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Checks a board profile and prints it with every default filled in.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "NAME|FILE", description = "a built-in profile name or a profile file ending in .yaml")
        String profile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            BoardProfile p;
            try {
                p = BoardProfiles.resolve(profile);
            } catch (BoardProfileException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            line(out, "name", p.name());
            line(out, "description", p.description());
            line(out, "from", p.origin());
            line(out, "gpio header", p.gpioHeader().fileName());
            BoardProfile.GpioLines g = p.gpio();
            line(out, "status LED", g.statusLed().map(o -> "GPIO " + o.pin() + ", active " + o.active().fileName())
                    .orElse("none"));
            line(out, "relay", g.relay().map(o -> "GPIO " + o.pin() + ", active " + o.active().fileName()).orElse("none"));
            line(out, "tamper input", g.tamper().map(i -> "GPIO " + i.pin() + ", active " + i.active().fileName()
                    + ", pull " + i.pull().fileName()).orElse("none"));
            line(out, "S0 input", g.s0().map(s -> "GPIO " + s.pin() + ", active " + s.active().fileName() + ", pull "
                    + s.pull().fileName() + ", " + s.pulsesPerKwh() + " pulses/kWh, debounce " + s.debounceMillis() + " ms")
                    .orElse("none"));
            line(out, "secure element", p.secureElement().map(se -> se.device() + " address "
                    + String.format("0x%02x", se.i2cAddress())).orElse("none"));
            line(out, "key store", p.keyStore().fileName());
            line(out, "serial line", p.serial().describe() + ", direction " + direction(p.serial().direction()));
            Optional<java.nio.file.Path> mapFile = p.meter().mapFile(p.paths());
            line(out, "meter", (mapFile.isPresent() ? "map file " + mapFile.get() : p.meter().model())
                    + ", unit " + p.meter().unitId());
            line(out, "interval", BoardProfileParser.formatDuration(p.interval()) + " (" + p.interval().getSeconds() + " s)");
            line(out, "data dir", p.paths().dataDir().toString());
            line(out, "key dir", p.paths().keyDir().toString());
            line(out, "config dir", p.paths().configDir().toString());
            return 0;
        }

        private static String direction(SerialLineConfig.Direction d) {
            return switch (d) {
                case SerialLineConfig.Direction.None n -> "none (automatic)";
                case SerialLineConfig.Direction.PortRs485 r -> "rs485-port (the kernel switches RTS)";
                case SerialLineConfig.Direction.GpioPin g -> "gpio " + g.pin() + (g.activeHigh() ? " (high" : " (low")
                        + " while sending)";
            };
        }

        private static void line(PrintWriter out, String key, String value) {
            out.printf("%-15s %s%n", key + ":", value);
        }
    }
}
