package io.wattproof.lightclient.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The light store against a stand-in for a power cut: a {@link Writer} JVM puts blocks, marks every
 * third one trusted and prunes every tenth, reporting each step on stdout; it is killed with
 * SIGKILL after a random number of steps. Reopened, the store must be exactly what the reported
 * steps made, or that plus the one step in flight (for a prune: any prefix of its deletions), with
 * every block's bytes intact and no temporary file left. Eight cycles share one folder.
 *
 * <p>{@code -Dwattproof.crashit.seed=N} replays a seed; kill points still vary with scheduling.
 */
class FileLightStoreCrashIT {
    private static final int CYCLES = 8;
    private static final int KEEP = 12;
    private static final long GUARD_SECONDS = 60;

    @Test
    void everyReportedStepSurvivesSigkillAndNothingIsHalfWritten(@TempDir Path root) throws Exception {
        long seed = Long.getLong("wattproof.crashit.seed", System.nanoTime());
        Random random = new Random(seed);
        Path data = root.resolve("light");
        NavigableMap<Long, BlockStatus> model = new TreeMap<>();
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            int killAfter = 5 + random.nextInt(60);
            String context = "seed=" + seed + " cycle=" + cycle + " killAfter=" + killAfter;
            List<String> lines = runWriterAndKill(data, root.resolve("writer-" + cycle + ".err"), killAfter, context);
            for (String line : lines) {
                apply(model, line, context);
            }
            Pending pending = pending(model, lines.isEmpty() ? null : lines.get(lines.size() - 1));
            try (FileLightStore store = FileLightStore.open(data)) {
                assertEquals(List.of(), store.damaged(), context + ": damaged files");
                try (Stream<Path> files = Files.list(data)) {
                    assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList(),
                            context + ": temporary files left after open");
                }
                NavigableMap<Long, BlockStatus> found = store.statuses();
                List<NavigableMap<Long, BlockStatus>> allowed = pending.outcomes(model);
                assertTrue(allowed.contains(found), context + ": after " + lines.size() + " steps (last: "
                        + (lines.isEmpty() ? "none" : lines.get(lines.size() - 1)) + ") the store holds " + found
                        + ", expected one of " + allowed);
                for (Map.Entry<Long, BlockStatus> e : found.entrySet()) {
                    assertEquals(LightStoreContractTest.block(e.getKey(), e.getValue()), store.get(e.getKey()).orElseThrow(),
                            context + ": block " + e.getKey());
                }
                model = new TreeMap<>(found);
            }
            System.out.println("light-store crash-it " + context + ": " + lines.size() + " steps reported, store holds "
                    + model.size() + " blocks " + (model.isEmpty() ? "" : model.firstKey() + ".." + model.lastKey()));
        }
    }

    private static void apply(NavigableMap<Long, BlockStatus> model, String line, String context) {
        String[] w = line.split(" ");
        switch (w[0]) {
            case "put" -> model.put(Long.parseLong(w[1]), BlockStatus.VERIFIED);
            case "trusted" -> model.put(Long.parseLong(w[1]), BlockStatus.TRUSTED);
            case "prune" -> { } // the deletions are applied when "pruned" arrives
            case "pruned" -> Pruning.heightsToRemove(model, KEEP).forEach(model::remove);
            default -> fail(context + ": unexpected writer output '" + line + "'");
        }
    }

    /** The state change the writer was making when it died, from its deterministic program. */
    private record Pending(String kind, long height) {
        List<NavigableMap<Long, BlockStatus>> outcomes(NavigableMap<Long, BlockStatus> model) {
            List<NavigableMap<Long, BlockStatus>> out = new ArrayList<>();
            out.add(new TreeMap<>(model));
            NavigableMap<Long, BlockStatus> after = new TreeMap<>(model);
            switch (kind) {
                case "none" -> {
                    return out; // the next step begins with a line the writer did not print
                }
                case "put" -> after.put(height, BlockStatus.VERIFIED);
                case "trusted" -> after.put(height, BlockStatus.TRUSTED);
                case "prune" -> {
                    for (Long h : Pruning.heightsToRemove(model, KEEP)) { // deleted in this order
                        after.remove(h);
                        out.add(new TreeMap<>(after));
                    }
                    return out;
                }
                default -> throw new IllegalStateException(kind);
            }
            out.add(after);
            return out;
        }
    }

    private static Pending pending(NavigableMap<Long, BlockStatus> model, String last) {
        long top = model.isEmpty() ? 0 : model.lastKey();
        if (last == null) {
            return new Pending("put", top + 1);
        }
        String[] w = last.split(" ");
        long h = w.length > 1 ? Long.parseLong(w[1]) : top;
        // The writer's program: put h; trusted h if h % 3 == 0; "prune h", prune, "pruned h" if h % 10 == 0.
        return switch (w[0]) {
            case "put" -> h % 3 == 0 ? new Pending("trusted", h) : h % 10 == 0 ? new Pending("none", h) : new Pending("put", h + 1);
            case "trusted" -> h % 10 == 0 ? new Pending("none", h) : new Pending("put", h + 1);
            case "prune" -> new Pending("prune", h);
            default -> new Pending("put", h + 1); // after "pruned h"
        };
    }

    private static List<String> runWriterAndKill(Path data, Path stderr, int killAfter, String context) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Writer.class.getName(), data.toString()));
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
            while (lines.size() < killAfter) {
                String line = in.readLine();
                if (line == null || System.nanoTime() > deadline) {
                    fail(context + ": writer stopped after " + lines.size() + " steps; stderr: " + read(stderr));
                }
                lines.add(line);
            }
            assertTrue(process.isAlive(), context + ": writer ended by itself; stderr: " + read(stderr));
            process.toHandle().destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close
            assertTrue(process.waitFor(GUARD_SECONDS, TimeUnit.SECONDS), context + ": writer not dead after SIGKILL");
            // Lines the writer printed before it died are still in the pipe; a cut last line has no newline.
            StringBuilder rest = new StringBuilder();
            for (int c; (c = in.read()) != -1; ) {
                rest.append((char) c);
            }
            String tail = rest.toString();
            int complete = tail.lastIndexOf('\n');
            if (complete >= 0) {
                lines.addAll(List.of(tail.substring(0, complete).split("\n")));
            }
        } finally {
            process.destroyForcibly();
        }
        assertFalse(lines.stream().anyMatch(String::isEmpty), context + ": empty writer line");
        return lines;
    }

    private static String read(Path f) throws IOException {
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /** The child JVM: an endless program of puts, trust marks and prunes, each reported when done. */
    static final class Writer {
        public static void main(String[] args) throws Exception {
            FileLightStore store = FileLightStore.open(Path.of(args[0]));
            PrintStream out = System.out;
            long h = store.statuses().isEmpty() ? 1 : store.statuses().lastKey() + 1;
            for (int i = 0; i < 100_000; i++, h++) {
                store.put(LightStoreContractTest.block(h, BlockStatus.VERIFIED));
                report(out, "put " + h);
                if (h % 3 == 0) {
                    store.setStatus(h, BlockStatus.TRUSTED);
                    report(out, "trusted " + h);
                }
                if (h % 10 == 0) {
                    report(out, "prune " + h);
                    store.prune(KEEP);
                    report(out, "pruned " + h);
                }
            }
        }

        /** One write of one whole line, so it reaches the pipe whole or not at all. */
        private static void report(PrintStream out, String line) {
            out.print(line + "\n");
            out.flush();
        }
    }
}
