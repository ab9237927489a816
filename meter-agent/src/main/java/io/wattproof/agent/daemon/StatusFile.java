package io.wattproof.agent.daemon;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wattproof.agent.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code status.json}: rewritten whole by the daemon every few seconds (temporary file, then
 * rename, so a reader never sees half a report) and read by {@code meter-agent status}. It is a
 * view, not state: losing it loses nothing. It lives in the service's runtime folder ({@code
 * /run/wattproof}, a tmpfs that systemd creates from {@code RuntimeDirectory=} and names in
 * {@code $RUNTIME_DIRECTORY}), so refreshing it costs no flash writes; without one (a run by hand)
 * it goes to the data folder.
 */
public final class StatusFile {
    public static final String NAME = "status.json";
    /** A report is a few hundred bytes; anything far larger is not one of ours. */
    static final long MAX_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private StatusFile() {}

    /** The default runtime folder of the packaged service. */
    public static final Path SERVICE_RUNTIME_DIR = Path.of("/run/wattproof");

    public static Path in(Path dir) {
        return dir.resolve(NAME);
    }

    /**
     * Where the daemon keeps the file: the first folder of {@code $RUNTIME_DIRECTORY}
     * (systemd.exec(5): colon-separated when several are configured), else the data folder.
     */
    public static Path directory(java.util.Map<String, String> env, Path dataDir) {
        String runtime = env.get("RUNTIME_DIRECTORY");
        if (runtime != null && !runtime.isBlank()) {
            return Path.of(runtime.split(":", -1)[0]);
        }
        return dataDir;
    }

    public static void write(Path dir, StatusReport report) throws IOException {
        // Not secret, but nobody else's business either: owner and the service's group. Not
        // durable: the report is a view, rewritten every few seconds on a tmpfs.
        AtomicFiles.replace(in(dir), toJson(report).getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-r-----"),
                false);
    }

    public static String toJson(StatusReport report) {
        try {
            return JSON.writeValueAsString(report) + "\n";
        } catch (JacksonException e) {
            throw new IllegalStateException("a status report always serialises", e);
        }
    }

    /** Outcome of reading the file. */
    public sealed interface Read {
        record Found(StatusReport report) implements Read {}

        record Missing(Path file) implements Read {}

        record Unreadable(Path file, String reason) implements Read {}
    }

    public static Read read(Path dir) {
        Path file = in(dir);
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                return new Read.Unreadable(file, size + " bytes, expected at most " + MAX_BYTES);
            }
            StatusReport report = JSON.readValue(Files.readAllBytes(file), StatusReport.class);
            if (report == null || !StatusReport.SCHEMA.equals(report.schema())) {
                return new Read.Unreadable(file, "expected schema " + StatusReport.SCHEMA + ", actual "
                        + (report == null ? "nothing" : report.schema()));
            }
            return new Read.Found(report);
        } catch (NoSuchFileException e) {
            return new Read.Missing(file);
        } catch (JacksonException e) {
            return new Read.Unreadable(file, e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            return new Read.Unreadable(file, e.toString());
        }
    }
}
