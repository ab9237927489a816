package io.wattproof.simulator.ledger.chain;

import io.wattproof.lightclient.json.ChainDump;
import io.wattproof.lightclient.json.CometJsonWriter;
import io.wattproof.lightclient.json.ConsensusParams;
import io.wattproof.lightclient.types.LightBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the reference ledger's chain as a CometBFT node would answer for it
 * ({@link ChainDump} layout: {@code chain/genesis.json}, {@code chain/commit_<h>.json},
 * {@code chain/validators_<h>.json}), so that {@code bin/light-client verify-chain} or any CometBFT
 * tool can check the whole run without trusting the simulator.
 */
public final class ChainDumper {
    private ChainDumper() {}

    /**
     * Dumps heights 1 .. the latest into {@code dir}.
     *
     * @return the last height written
     */
    public static long write(ReferenceLedger ledger, Path dir) throws IOException {
        ChainDump dump = new ChainDump(dir);
        Files.createDirectories(dump.chainDir());
        Files.writeString(dump.genesis(), CometJsonWriter.genesis(ledger.genesis(), ledger.genesisTime(), ledger.genesisAppHash(),
                ConsensusParams.DEFAULT));
        long latest = ledger.latestHeight();
        for (long h = 1; h <= latest; h++) {
            LightBlock block = ledger.lightBlock(h).orElseThrow();
            // The latest commit is the node's own "seen" commit, not yet in a block: canonical false.
            Files.writeString(dump.commit(h), CometJsonWriter.commit(block.signedHeader(), h < latest));
            Files.writeString(dump.validators(h), CometJsonWriter.validators(h, block.validators()));
        }
        return latest;
    }
}
