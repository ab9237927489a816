package io.wattproof.simulator.verify;

import io.wattproof.crypto.DeviceId;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the receiving side's chains stood at the end of a run, so a run on the same folder
 * continues them instead of reporting every earlier record as missing. One line per device:
 * {@code <device id hex>=<sequence>,<record hash hex>,<interval end epoch s>}.
 */
public final class ChainPointFile {
    private ChainPointFile() {}

    public static Map<DeviceId, ReadingVerifier.ChainPoint> load(Path file) throws IOException {
        Map<DeviceId, ReadingVerifier.ChainPoint> points = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return points;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            p.load(in);
        }
        for (String name : p.stringPropertyNames()) {
            String[] parts = p.getProperty(name).split(",");
            try {
                if (parts.length != 3) {
                    throw new IllegalArgumentException("expected sequence,hash,interval end");
                }
                points.put(DeviceId.fromHex(name), new ReadingVerifier.ChainPoint(
                        Long.parseLong(parts[0]), HexFormat.of().parseHex(parts[1]), Long.parseLong(parts[2])));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": entry " + name + ": " + e.getMessage(), e);
            }
        }
        return points;
    }

    public static void save(Path file, Map<DeviceId, ReadingVerifier.ChainPoint> points) throws IOException {
        Properties p = new Properties();
        points.forEach((id, point) -> p.setProperty(id.hex(), point.sequence() + "," + HexFormat.of().formatHex(point.recordHash())
                + "," + point.intervalEnd()));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
            p.store(out, "receiving side: verified chain heads (sequence,record hash,interval end)");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
