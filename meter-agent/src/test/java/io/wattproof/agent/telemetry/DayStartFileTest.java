package io.wattproof.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DayStartFileTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final DayStart START = new DayStart(LocalDate.of(2026, 11, 27), 1_234_567, Instant.parse("2026-11-26T23:00:00Z"), false);

    @TempDir
    Path dir;

    @Test
    void writtenReadBackAndReplacedWhole() throws Exception {
        assertInstanceOf(DayStartFile.Absent.class, DayStartFile.read(dir, BERLIN));
        DayStartFile.write(dir, START, BERLIN);
        assertEquals(new DayStartFile.Found(START), DayStartFile.read(dir, BERLIN));
        DayStart next = new DayStart(LocalDate.of(2026, 11, 28), 1_240_000, Instant.parse("2026-11-28T06:00:00Z"), true);
        DayStartFile.write(dir, next, BERLIN);
        assertEquals(new DayStartFile.Found(next), DayStartFile.read(dir, BERLIN));
        assertFalse(Files.exists(dir.resolve(DayStartFile.FILE_NAME + ".new")), "no temporary file left behind");
        assertEquals("""
                wattproof-telemetry-day/1
                zone=Europe/Berlin
                day=2026-11-28
                start_wh=1240000
                since=2026-11-28T06:00:00Z
                partial=true
                """, Files.readString(dir.resolve(DayStartFile.FILE_NAME)));
    }

    @Test
    void aFileForAnotherZoneIsNotUsed() throws Exception {
        DayStartFile.write(dir, START, BERLIN);
        DayStartFile.Loaded l = DayStartFile.read(dir, ZoneId.of("UTC"));
        DayStartFile.Unusable u = assertInstanceOf(DayStartFile.Unusable.class, l);
        assertEquals(dir.resolve(DayStartFile.FILE_NAME) + ": zone: expected UTC, got \"Europe/Berlin\"", u.problem());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "wattproof-telemetry-day/2\\nzone=Europe/Berlin|f: first line: expected wattproof-telemetry-day/1, got \"wattproof-telemetry-day/2\"",
        "|f: first line: expected wattproof-telemetry-day/1, got \"\"",
        "wattproof-telemetry-day/1\\nzone=Europe/Berlin\\nday=2026-11-27\\nstart_wh=5\\nsince=2026-11-26T23:00:00Z|f: partial: expected a value, got none",
        "wattproof-telemetry-day/1\\nzone=Europe/Berlin\\nnonsense|f: line 3: expected key=value, got \"nonsense\"",
        "wattproof-telemetry-day/1\\nzone=Europe/Berlin\\nday=27.11.2026\\nstart_wh=5\\nsince=2026-11-26T23:00:00Z\\npartial=false|f: day: expected a date like 2026-11-27, got \"27.11.2026\"",
        "wattproof-telemetry-day/1\\nzone=Europe/Berlin\\nday=2026-11-27\\nstart_wh=-5\\nsince=2026-11-26T23:00:00Z\\npartial=false|f: start_wh: expected whole Wh ≥ 0, got \"-5\"",
        "wattproof-telemetry-day/1\\nzone=Europe/Berlin\\nday=2026-11-27\\nstart_wh=1.5\\nsince=2026-11-26T23:00:00Z\\npartial=false|f: start_wh: expected whole Wh ≥ 0, got \"1.5\"",
        "wattproof-telemetry-day/1\\nzone=Europe/Berlin\\nday=2026-11-27\\nstart_wh=5\\nsince=yesterday\\npartial=false|f: since: expected an instant like 2026-11-26T23:00:00Z, got \"yesterday\"",
        "wattproof-telemetry-day/1\\nzone=Europe/Berlin\\nday=2026-11-27\\nstart_wh=5\\nsince=2026-11-26T23:00:00Z\\npartial=maybe|f: partial: expected true or false, got \"maybe\"",
    })
    void badFilesAreUnusableWithTheFieldExpectedAndActual(String text, String problem) {
        DayStartFile.Loaded l = DayStartFile.parse(text == null ? "" : text.replace("\\n", "\n"), BERLIN, "f");
        assertEquals(new DayStartFile.Unusable(problem), l);
    }

    @Test
    void aTruncatedFileOnDiskIsReportedNotThrown() throws Exception {
        Files.writeString(dir.resolve(DayStartFile.FILE_NAME), "wattproof-telemetry-day/1\nzone=Europe/Berlin\nday=2026-");
        DayStartFile.Unusable u = assertInstanceOf(DayStartFile.Unusable.class, DayStartFile.read(dir, BERLIN));
        assertTrue(u.problem().startsWith(dir.resolve(DayStartFile.FILE_NAME) + ": "), u.problem());
    }
}
