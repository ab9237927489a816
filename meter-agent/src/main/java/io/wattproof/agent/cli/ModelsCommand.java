package io.wattproof.agent.cli;

import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMaps;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/meter-agent models}: the built-in register maps, for {@code --model}. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Lists the built-in meter register maps (for --model); see docs/meters.md to add one.")
final class ModelsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (MeterMap map : MeterMaps.builtIn()) {
            if (map.isSunSpec() && map.sunspecModel().getAsInt() == 1) {
                continue; // the common model is read by discovery, not named by a user
            }
            String aliases = map.aliases().isEmpty() ? "" : " (also " + String.join(", ", map.aliases()) + ")";
            out.printf("%-14s %-22s %s%s%n", map.model(), map.manufacturer(), map.description(), aliases);
        }
        out.println();
        out.println("SunSpec meters (models 201-204) are found with --model auto.");
        return 0;
    }
}
