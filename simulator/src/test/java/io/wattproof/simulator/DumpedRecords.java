package io.wattproof.simulator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The records an auditor's {@code --dump} folder holds (docs/protocol.md, "Sign-bytes"), for the simulator's ITs. */
final class DumpedRecords {
    private DumpedRecords() {}

    /** One dumped record: its message type (e.g. {@code wattproof/v1/Reading}) and its body, from {@code file}. */
    record Dumped(Path file, String type, byte[] body) {}

    /** The device folders of a dump (named by the 40-hex device id), sorted. */
    static List<Path> devices(Path dump) throws Exception {
        try (Stream<Path> s = Files.list(dump)) {
            return s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().matches("[0-9a-f]{40}")).sorted().toList();
        }
    }

    /** A device's dumped records in sequence order: "wattproof/v1/" type 0x00 chain_id 0x00 body. */
    static List<Dumped> of(Path deviceDump) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(deviceDump)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".signbytes"))
                    .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().replace(".signbytes", "")))).toList();
        }
        List<Dumped> records = new ArrayList<>();
        for (Path f : files) {
            byte[] signBytes = Files.readAllBytes(f);
            int typeEnd = indexOf(signBytes, 0);
            int body = indexOf(signBytes, typeEnd + 1) + 1;
            records.add(new Dumped(f, new String(signBytes, 0, typeEnd, StandardCharsets.US_ASCII),
                    Arrays.copyOfRange(signBytes, body, signBytes.length)));
        }
        return records;
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        throw new AssertionError("no 0x00 after " + from);
    }
}
