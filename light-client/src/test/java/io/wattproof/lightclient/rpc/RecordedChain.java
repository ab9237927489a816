package io.wattproof.lightclient.rpc;

import io.wattproof.lightclient.ChainGenerator;
import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.RpcJsonWriter;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated chain (real keys and signatures) and the answers a CometBFT node serving it would give,
 * written by {@link RpcJsonWriter} in the RPC's JSON shape. No real node is reachable where these
 * tests run, so these stand in for recorded answers.
 */
final class RecordedChain {
    final String chainId;
    /** blocks.get(0) is height 1; each carries the set of the next height. */
    final List<LightBlock> blocks = new ArrayList<>();
    /** The validator set of each height 1..length + 1 (index 0 is height 1). */
    final List<ValidatorSet> sets = new ArrayList<>();

    /**
     * {@code length} blocks signed by every validator; from {@code changeAt} on, half of the set is
     * replaced, so that adjacent verification must follow {@code next_validators_hash}.
     */
    RecordedChain(long seed, String chainId, int length, int setSize, int changeAt) {
        this.chainId = chainId;
        ChainGenerator gen = new ChainGenerator(seed);
        List<List<TestValidator>> vals = new ArrayList<>();
        List<TestValidator> current = gen.validators(setSize, true);
        for (int h = 1; h <= length + 1; h++) {
            if (h == changeAt) {
                List<TestValidator> next = new ArrayList<>(current.subList(0, (setSize + 1) / 2));
                next.addAll(gen.validators(setSize / 2, true));
                current = next;
            }
            vals.add(current);
            sets.add(ChainGenerator.set(current));
        }
        Instant t = gen.time();
        for (int h = 1; h <= length; h++) {
            t = t.plusSeconds(1 + gen.random().nextInt(10)).plusNanos(gen.random().nextInt(1_000_000_000));
            blocks.add(gen.block(chainId, h, t, vals.get(h - 1), vals.get(h), v -> true));
        }
    }

    LightBlock block(long height) {
        return blocks.get((int) height - 1);
    }

    Instant lastTime() {
        return blocks.get(blocks.size() - 1).header().time();
    }

    /** Serves /commit for every height, /validators for every height + 1 and /status at the last height. */
    void serve(FakeRpcNode node, int perPage) {
        for (LightBlock b : blocks) {
            node.json("/commit?height=" + b.height(), RpcJsonWriter.text(RpcJsonWriter.commitResponse(b.header(), b.commit())));
        }
        for (int h = 1; h <= sets.size(); h++) {
            serveValidators(node, h, sets.get(h - 1), perPage);
        }
        node.json("/status", RpcJsonWriter.text(RpcJsonWriter.statusResponse(chainId, blocks.get(blocks.size() - 1).header())));
        int beyond = sets.size() + 1;
        node.error("/validators?height=" + beyond + "&page=1&per_page=" + perPage, RpcJsonWriter.text(RpcJsonWriter.error(
                "height " + beyond + " must be less than or equal to the current blockchain height " + (beyond - 1))));
    }

    static void serveValidators(FakeRpcNode node, long height, ValidatorSet set, int perPage) {
        int pages = (set.size() + perPage - 1) / perPage;
        for (int p = 1; p <= pages; p++) {
            node.json("/validators?height=" + height + "&page=" + p + "&per_page=" + perPage,
                    RpcJsonWriter.text(RpcJsonWriter.validatorsResponse(height, set, p, perPage)));
        }
    }
}
