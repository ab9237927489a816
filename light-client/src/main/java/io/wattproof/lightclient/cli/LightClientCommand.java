package io.wattproof.lightclient.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/light-client}: the light client's command line. */
@Command(
        name = "light-client",
        mixinStandardHelpOptions = true,
        versionProvider = LightClientCommand.Version.class,
        description = "CometBFT light client: header hashes, verification of light blocks, commits, whole chain dumps and transaction proofs.",
        subcommands = {ConformanceCommand.class, HeaderHashCommand.class, VerifyChainCommand.class, VerifyCommitCommand.class,
                VerifyTxCommand.class})
public final class LightClientCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with {@code args}, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new LightClientCommand())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cli, parse) -> {
                    cli.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return 1;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The build's version, from {@code version.properties} (written by Maven's resource filtering). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = LightClientCommand.class.getResourceAsStream("/io/wattproof/lightclient/version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"wattproof light-client " + p.getProperty("version", "unknown")};
        }
    }
}
