package io.wattproof.lightclient.cli;

import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.json.CometJson;
import io.wattproof.lightclient.json.TxJson;
import io.wattproof.lightclient.tx.IndexedTx;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxVerdict;
import io.wattproof.lightclient.types.Header;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/light-client verify-tx --proof FILE [--header FILE]}: checks the inclusion proof of every
 * transaction in a {@code /tx} or {@code /tx_search} ({@code prove=true}) answer, and with a header
 * that each proof's root is that header's {@code data_hash}. The header itself is taken as given:
 * verify it first ({@code verify-commit}, or the light client).
 */
@Command(name = "verify-tx", mixinStandardHelpOptions = true,
        description = "Checks the inclusion proofs in a /tx or /tx_search (prove=true) response, one line per"
                + " transaction; with --header (a /commit or /block response) also root_hash = data_hash."
                + " Exit 0 when all verify, 1 otherwise, 2 for unreadable input.")
final class VerifyTxCommand implements Callable<Integer> {
    @Option(names = "--proof", required = true, paramLabel = "FILE", description = "a /tx or /tx_search response")
    Path proofFile;

    @Option(names = "--header", paramLabel = "FILE", description = "a /commit or /block response of the same height")
    Path headerFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<IndexedTx> txs;
        Optional<Header> header = Optional.empty();
        try {
            txs = TxJson.anyTxs(Inputs.json(proofFile));
        } catch (MalformedInputException | IOException e) {
            err.println("error: " + proofFile + ": " + Inputs.describe(e));
            return 2;
        }
        if (headerFile != null) {
            try {
                header = Optional.of(CometJson.anyHeader(Inputs.json(headerFile)));
            } catch (MalformedInputException | IOException e) {
                err.println("error: " + headerFile + ": " + Inputs.describe(e));
                return 2;
            }
        }
        if (txs.isEmpty()) {
            out.println("no transactions in " + proofFile + ": nothing verified");
            return 1;
        }
        int failed = 0;
        for (IndexedTx tx : txs) {
            TxVerdict v = header.isPresent() ? TxInclusion.verify(tx, header.get()) : TxInclusion.verify(tx);
            String verdict = v.isVerified()
                    ? (header.isPresent() ? "verified, root is the header's data_hash" : "verified")
                    : "FAILED: " + v.describe();
            out.printf("%s height %d index %d: %s%n", tx.hash().hex(), tx.height(), tx.index(), verdict);
            if (!v.isVerified()) {
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
