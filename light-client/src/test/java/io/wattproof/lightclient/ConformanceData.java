package io.wattproof.lightclient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the conformance data published by other implementations ({@code ../shared/conformance}
 * next to the project root). It is read where it lies, never copied into the project. The system
 * property {@code wattproof.conformance.dir} overrides the search. Missing data fails the test that
 * needs it: a skipped conformance test would let a regression through unnoticed.
 */
public final class ConformanceData {
    private ConformanceData() {}

    public static Path dir() {
        String override = System.getProperty("wattproof.conformance.dir");
        if (override != null && !override.isBlank()) {
            Path p = Paths.get(override).toAbsolutePath();
            if (!Files.isDirectory(p)) {
                throw new AssertionError("wattproof.conformance.dir=" + override + " is not a directory");
            }
            return p;
        }
        Path start = Paths.get("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("conformance");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("conformance data not found: looked for shared/conformance in " + start
                + " and every parent directory; place the shared conformance folder next to the project"
                + " (../shared/conformance) or set -Dwattproof.conformance.dir=PATH");
    }

    public static Path file(String relative) {
        Path p = dir().resolve(relative);
        if (!Files.exists(p)) {
            throw new AssertionError("conformance data missing: " + p);
        }
        return p;
    }
}
