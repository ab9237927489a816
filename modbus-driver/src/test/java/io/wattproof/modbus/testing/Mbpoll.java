package io.wattproof.modbus.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Debian's {@code mbpoll} (1.4.11, built on libmodbus) once as an outside Modbus master and
 * captures what it printed. Every run gets {@code -1} (poll once; mbpoll otherwise polls forever)
 * and a process timeout after which it is killed. A missing mbpoll fails the test with an install
 * hint; it never skips.
 *
 * <p>What mbpoll prints, read from real runs: a banner and a configuration summary on stdout, then
 * one line per value, {@code [ref]: <TAB>value}, where ref is the PDU address with {@code -0} (the
 * register number otherwise). A 16-bit register above 32767 is followed by its signed reading in
 * parentheses ({@code [4]: 65535 (-1)}); a float is printed with C's {@code %g} (six significant
 * digits: {@code 230.5}, {@code 9.18383e-41}, {@code nan}). Errors go to stderr (e.g. {@code Read
 * input register failed: Illegal data address}) and the exit status is then 1. With {@code -v}
 * libmodbus prints each request it sends as {@code [01][06][00][03]...} and each response as
 * {@code <01><06>...}.
 */
public final class Mbpoll {
    private static final Pattern VALUE_LINE = Pattern.compile("^\\[(\\d+)\\]:\\s+(\\S+)(?:\\s+\\((-?\\d+)\\))?\\s*$");
    private static final Pattern SENT_FRAME = Pattern.compile("^(\\[[0-9A-Fa-f]{2}\\])+$");

    private Mbpoll() {}

    /**
     * Runs {@code mbpoll -1 <args>} and waits at most {@code timeout} for it to exit; kills it
     * otherwise and fails the test.
     */
    public static Result run(Duration timeout, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mbpoll", "-1"));
        command.addAll(args);
        Path dir = Files.createTempDirectory("mbpoll");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
            } catch (IOException e) {
                fail("cannot run mbpoll (" + e.getMessage() + "): this test uses it as an outside Modbus master; "
                        + "install it with apt-get install -y mbpoll");
                throw e;
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail("mbpoll did not exit within " + timeout.toMillis() + " ms: " + String.join(" ", command)
                        + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(dir);
        }
    }

    /** One run: the command, its exit status and everything it printed. */
    public record Result(List<String> command, int exitStatus, String stdout, String stderr) {

        /** Fails unless mbpoll exited with status 0 and printed no error. */
        public Result requireSuccess() {
            if (exitStatus != 0 || !stderr.isBlank()) {
                fail("mbpoll failed with status " + exitStatus + ": " + this);
            }
            return this;
        }

        /** The value lines, reference -> the text after the colon (e.g. {@code "65535 (-1)"}), in order. */
        public Map<Integer, String> printed() {
            Map<Integer, String> values = new LinkedHashMap<>();
            for (String line : stdout.lines().toList()) {
                Matcher m = VALUE_LINE.matcher(line.strip());
                if (m.matches()) {
                    String previous = values.put(Integer.parseInt(m.group(1)), line.substring(line.indexOf(':') + 1).strip());
                    if (previous != null) {
                        fail("mbpoll printed reference " + m.group(1) + " twice: " + this);
                    }
                }
            }
            return values;
        }

        /**
         * A 16-bit register as printed, 0..65535; where mbpoll added the signed reading it must be
         * the same bits.
         */
        public int register(int reference) {
            Matcher m = valueLine(reference);
            int value = Integer.parseInt(m.group(2));
            if (value < 0 || value > 0xFFFF) {
                fail("mbpoll printed register " + reference + " as " + value + ", expected 0..65535: " + this);
            }
            if (m.group(3) != null && Integer.parseInt(m.group(3)) != (short) value) {
                fail("mbpoll's signed reading of register " + reference + " is " + m.group(3) + ", the bits of "
                        + value + " are " + (short) value + ": " + this);
            }
            return value;
        }

        /** A float as printed ({@code %g}: six significant digits; {@code nan}, {@code inf} as C prints them). */
        public float float32(int reference) {
            String text = valueLine(reference).group(2).toLowerCase(Locale.ROOT);
            return switch (text) {
                case "nan", "-nan" -> Float.NaN;
                case "inf" -> Float.POSITIVE_INFINITY;
                case "-inf" -> Float.NEGATIVE_INFINITY;
                default -> Float.parseFloat(text);
            };
        }

        /** The requests libmodbus logged with {@code -v}, byte by byte. */
        public List<byte[]> sentFrames() {
            List<byte[]> frames = new ArrayList<>();
            for (String line : stdout.lines().map(String::strip).toList()) {
                if (SENT_FRAME.matcher(line).matches()) {
                    String[] hex = line.substring(1, line.length() - 1).split("\\]\\[");
                    byte[] frame = new byte[hex.length];
                    for (int i = 0; i < hex.length; i++) {
                        frame[i] = (byte) Integer.parseInt(hex[i], 16);
                    }
                    frames.add(frame);
                }
            }
            return frames;
        }

        private Matcher valueLine(int reference) {
            for (String line : stdout.lines().toList()) {
                Matcher m = VALUE_LINE.matcher(line.strip());
                if (m.matches() && Integer.parseInt(m.group(1)) == reference) {
                    return m;
                }
            }
            fail("mbpoll printed no value for reference " + reference + ": " + this);
            throw new AssertionError("unreachable");
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\nexit status " + exitStatus + "\nstdout:\n" + stdout + "\nstderr:\n"
                    + stderr;
        }
    }
}
