package io.wattproof.agent.telemetry;

import io.wattproof.agent.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code telemetry-day} in the data folder: the {@link DayStart} in force, so that a restart in the
 * middle of the day does not start "today" again. Written once a day (and when the register falls),
 * never per sample: a few dozen bytes a day on an SD card.
 *
 * <pre>
 * wattproof-telemetry-day/1
 * zone=Europe/Berlin
 * day=2026-11-27
 * start_wh=1234567
 * since=2026-11-26T23:00:00Z
 * partial=false
 * </pre>
 *
 * A file for another zone describes another day and is not used. Written to a temporary file,
 * synced and renamed over the old one, so a power cut leaves either the old or the new file whole.
 */
public final class DayStartFile {
    public static final String FILE_NAME = "telemetry-day";
    static final String MAGIC = "wattproof-telemetry-day/1";

    private DayStartFile() {}

    /** What reading the file gave. */
    public sealed interface Loaded {}

    public record Found(DayStart start) implements Loaded {}

    public record Absent() implements Loaded {}

    /** The file exists but cannot be used; {@code problem} names the file, the field, expected and actual. */
    public record Unusable(String problem) implements Loaded {}

    public static Loaded read(Path dataDir, ZoneId zone) {
        Path file = dataDir.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Absent();
        } catch (IOException e) {
            return new Unusable(file + ": cannot be read: " + e.getMessage());
        }
        return parse(text, zone, file.toString());
    }

    /** Pure: the file's text in, a day start or the first problem out. */
    public static Loaded parse(String text, ZoneId zone, String origin) {
        String[] lines = text.split("\n", -1);
        if (!lines[0].equals(MAGIC)) {
            return new Unusable(origin + ": first line: expected " + MAGIC + ", got \"" + shorten(lines[0]) + "\"");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            int eq = lines[i].indexOf('=');
            if (eq <= 0) {
                return new Unusable(origin + ": line " + (i + 1) + ": expected key=value, got \"" + shorten(lines[i]) + "\"");
            }
            fields.put(lines[i].substring(0, eq), lines[i].substring(eq + 1));
        }
        for (String key : new String[] {"zone", "day", "start_wh", "since", "partial"}) {
            if (!fields.containsKey(key)) {
                return new Unusable(origin + ": " + key + ": expected a value, got none");
            }
        }
        if (!fields.get("zone").equals(zone.getId())) {
            return new Unusable(origin + ": zone: expected " + zone.getId() + ", got \"" + shorten(fields.get("zone")) + "\"");
        }
        LocalDate day;
        long startWh;
        Instant since;
        try {
            day = LocalDate.parse(fields.get("day"));
        } catch (DateTimeException e) {
            return new Unusable(origin + ": day: expected a date like 2026-11-27, got \"" + shorten(fields.get("day")) + "\"");
        }
        try {
            startWh = Long.parseLong(fields.get("start_wh"));
        } catch (NumberFormatException e) {
            startWh = -1;
        }
        if (startWh < 0) {
            return new Unusable(origin + ": start_wh: expected whole Wh ≥ 0, got \"" + shorten(fields.get("start_wh")) + "\"");
        }
        try {
            since = Instant.parse(fields.get("since"));
        } catch (DateTimeException e) {
            return new Unusable(origin + ": since: expected an instant like 2026-11-26T23:00:00Z, got \""
                    + shorten(fields.get("since")) + "\"");
        }
        String partial = fields.get("partial");
        if (!partial.equals("true") && !partial.equals("false")) {
            return new Unusable(origin + ": partial: expected true or false, got \"" + shorten(partial) + "\"");
        }
        return new Found(new DayStart(day, startWh, since, partial.equals("true")));
    }

    public static String format(DayStart start, ZoneId zone) {
        return MAGIC + "\n"
                + "zone=" + zone.getId() + "\n"
                + "day=" + start.day() + "\n"
                + "start_wh=" + start.startWh() + "\n"
                + "since=" + start.since() + "\n"
                + "partial=" + start.partial() + "\n";
    }

    public static void write(Path dataDir, DayStart start, ZoneId zone) throws IOException {
        AtomicFiles.replace(dataDir.resolve(FILE_NAME), format(start, zone).getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY,
                true);
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
