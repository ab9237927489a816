package io.wattproof.lightclient.cli;

import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.json.CometJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bin/light-client header-hash FILE}: the CometBFT hash of a header given as JSON. */
@Command(name = "header-hash", mixinStandardHelpOptions = true,
        description = "Prints the hash (upper-case hex) of a header given as JSON: a bare header, a signed header,"
                + " or a /commit or /block RPC response.")
final class HeaderHashCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "JSON file")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try {
            var header = CometJson.anyHeader(CometJson.parse(Files.readString(file), file.toString()));
            spec.commandLine().getOut().println(Hashes.header(header).hex());
            return 0;
        } catch (MalformedInputException e) {
            spec.commandLine().getErr().println("error: " + file + ": " + e.getMessage());
            return 1;
        }
    }
}
