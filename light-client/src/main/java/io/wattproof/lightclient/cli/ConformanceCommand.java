package io.wattproof.lightclient.cli;

import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.conformance.SingleStepCase;
import io.wattproof.lightclient.conformance.SingleStepRunner;
import io.wattproof.lightclient.json.CometJson;
import io.wattproof.lightclient.verifier.Verifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/light-client conformance FILE...}: runs single-step light-client test cases and compares
 * each verdict with the expected one. Every step counts once; a file that cannot be read or parsed
 * counts as one failure.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Runs light-client test cases in tendermint-rs' single-step format; exit 0 only when all steps pass.")
final class ConformanceCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "single-step case files (JSON)")
    List<Path> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Verifier verifier = new Verifier();
        int passed = 0;
        int failed = 0;
        for (Path file : files) {
            out.println(file);
            SingleStepCase c;
            try {
                c = SingleStepCase.fromJson(CometJson.parse(Files.readString(file), file.toString()));
            } catch (java.nio.file.NoSuchFileException e) {
                out.println("  FAIL no such file");
                failed++;
                continue;
            } catch (IOException e) {
                out.println("  FAIL cannot read the file: " + e.getMessage());
                failed++;
                continue;
            } catch (MalformedInputException e) {
                out.println("  FAIL " + e.getMessage());
                failed++;
                continue;
            }
            for (SingleStepRunner.StepResult r : new SingleStepRunner(verifier).run(c)) {
                String reason = r.reason() == null || r.reason().isEmpty() ? "" : ": " + r.reason();
                out.printf("  %s step %d height %d: expected %s, got %s%s%n", r.passed() ? "ok  " : "FAIL",
                        r.index(), r.height(), r.expected(), r.actual(), reason);
                if (r.passed()) {
                    passed++;
                } else {
                    failed++;
                }
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
