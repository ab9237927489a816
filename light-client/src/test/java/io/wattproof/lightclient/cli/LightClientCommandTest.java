package io.wattproof.lightclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.ConformanceData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LightClientCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return LightClientCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private List<String> lines() {
        return out.toString().lines().toList();
    }

    @Test
    void conformanceOverAllReferenceFilesPassesAndEndsWithTheCountLine() throws IOException {
        String[] files;
        try (Stream<Path> s = Files.list(ConformanceData.file("cometbft/single_step"))) {
            files = s.map(Path::toString).filter(p -> p.endsWith(".json")).sorted().toArray(String[]::new);
        }
        assertEquals(0, run(prepend("conformance", files)), out + "\n" + err);
        List<String> lines = lines();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("[1-9][0-9]* passed, 0 failed"), last);
        long steps = lines.stream().filter(l -> l.startsWith("  ok")).count();
        assertEquals(last, steps + " passed, 0 failed");
        assertTrue(out.toString().contains("expected NOT_ENOUGH_TRUST, got NOT_ENOUGH_TRUST: signatures for the block at height"));
    }

    @Test
    void aStepWithTheWrongExpectedVerdictFailsTheRunWithExitOne(@TempDir Path dir) throws IOException {
        Path source = ConformanceData.file("cometbft/single_step/MC4_4_faulty_TestSuccess.json");
        String text = Files.readString(source);
        int at = text.lastIndexOf("\"verdict\": \"SUCCESS\"");
        Path changed = dir.resolve("changed.json");
        Files.writeString(changed, text.substring(0, at) + "\"verdict\": \"INVALID\"" + text.substring(at + "\"verdict\": \"SUCCESS\"".length()));
        assertEquals(1, run("conformance", changed.toString()));
        List<String> lines = lines();
        assertEquals("2 passed, 1 failed", lines.get(lines.size() - 1));
        assertTrue(out.toString().contains("FAIL step 2 height 4: expected INVALID, got SUCCESS"), out.toString());
    }

    @Test
    void aMalformedFileCountsAsOneFailureNamingTheField(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"initial\": {\"signed_header\": {}}, \"input\": []}");
        assertEquals(1, run("conformance", bad.toString()));
        assertTrue(out.toString().contains("initial.signed_header.header: missing"), out.toString());
        assertEquals("0 passed, 1 failed", lines().get(lines().size() - 1));
    }

    @Test
    void versionNamesTheBuild() {
        assertEquals(0, run("--version"), err.toString());
        assertTrue(out.toString().matches("wattproof light-client \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), out.toString());
    }

    @Test
    void headerHashOfTheRecordedHeader() {
        String file = ConformanceData.file("cometbft/header_hash/header_with_known_hash.json").toString();
        assertEquals(0, run("header-hash", file), err.toString());
        assertEquals(List.of("F30A71F2409FB15AACAEDB6CC122DFA2525BEE9CAE521721B06BFDCA291B8D56"), lines());
    }

    @Test
    void headerHashAcceptsAnRpcCommitResponse(@TempDir Path dir) throws IOException {
        String header = Files.readString(ConformanceData.file("cometbft/header_hash/header_with_known_hash.json"));
        Path rpc = dir.resolve("commit.json");
        Files.writeString(rpc, "{\"jsonrpc\": \"2.0\", \"id\": -1, \"result\": {\"signed_header\": {\"header\": " + header
                + ", \"commit\": null}, \"canonical\": true}}");
        assertEquals(0, run("header-hash", rpc.toString()), err.toString());
        assertEquals(List.of("F30A71F2409FB15AACAEDB6CC122DFA2525BEE9CAE521721B06BFDCA291B8D56"), lines());
    }

    @Test
    void headerHashRefusesBadJsonWithTheField(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"version\": {\"block\": \"11\"}, \"chain_id\": \"c\", \"height\": \"x1\", \"time\": \"2020-01-01T00:00:00Z\"}");
        assertEquals(1, run("header-hash", bad.toString()));
        assertTrue(err.toString().contains("height: expected a decimal integer, got \"x1\""), err.toString());
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
