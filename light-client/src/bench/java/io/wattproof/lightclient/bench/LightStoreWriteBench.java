package io.wattproof.lightclient.bench;

import io.wattproof.lightclient.ChainGenerator;
import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.store.BlockStatus;
import io.wattproof.lightclient.store.FileLightStore;
import io.wattproof.lightclient.store.LightBlockRecords;
import io.wattproof.lightclient.types.LightBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one verified light block costs the disk in a {@link FileLightStore}: bytes reaching the
 * block device ({@code write_bytes} of /proc/self/io) per stored block, pruning to a fixed count
 * as the agent would, for validator sets of a few sizes. The agent stores about one block per
 * interval (the header its receipt's proof is checked against), so this is the light client's
 * share of the disk budget per interval.
 *
 * <pre>
 * java ... LightStoreWriteBench DIR [BLOCKS] [SIZES]     # DIR on the disk you care about, not tmpfs
 * </pre>
 */
public final class LightStoreWriteBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String sizes = args.length > 2 ? args[2] : "4,32,150";
        for (String s : sizes.split(",")) {
            int n = Integer.parseInt(s.strip());
            ChainGenerator gen = new ChainGenerator(n);
            List<TestValidator> vals = gen.validators(n, false);
            List<LightBlock> chain = new ArrayList<>();
            Instant t = Instant.parse("2026-11-27T00:00:00Z");
            for (int h = 1; h <= blocks; h++) {
                chain.add(gen.block("bench-chain", h, t.plusSeconds(h), vals, vals, v -> true));
            }
            Path storeDir = dir.resolve("store-" + n);
            Files.createDirectories(storeDir);
            long before = writeBytes();
            long encoded = 0;
            try (FileLightStore store = FileLightStore.open(storeDir)) {
                for (LightBlock b : chain) {
                    var stored = LightBlockRecords.toStored(b, BlockStatus.TRUSTED);
                    encoded += stored.lightBlock().length;
                    store.put(stored);
                    store.prune(100);
                }
            }
            long written = writeBytes() - before;
            System.out.printf("%3d validators: %d blocks, %,d B encoded per block, %,d B written to the device per block%n",
                    n, blocks, encoded / blocks, written / blocks);
        }
    }

    private static long writeBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring("write_bytes:".length()).strip());
            }
        }
        throw new IllegalStateException("no write_bytes in /proc/self/io");
    }
}
