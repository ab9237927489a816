package io.wattproof.modbus.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Two pseudo-terminals joined by socat, standing in for a serial line between two nodes: bytes
 * written to one end are read at the other. Each end is a symbolic link in a private temporary
 * directory to a {@code /dev/pts/N} slave, which jSerialComm opens like a serial device (it does not
 * list ptys in {@code getCommPorts()}, but opens them by path).
 *
 * <p>socat is started as {@code socat -d -d pty,rawer,echo=0,link=A pty,rawer,echo=0,link=B}:
 * {@code rawer} puts each slave in raw mode (no line editing, no CR/LF translation, no signals;
 * {@code raw} is its deprecated spelling) and {@code echo=0} keeps a slave from echoing what it
 * receives back onto the line. A serial port opened on the slave reconfigures it anyway; these
 * settings keep the bytes intact before that. {@code waitslave} is not used: socat would then block
 * on the first pty until it is opened and not create the second link. socat keeps each slave open
 * itself, so the ends can be opened and closed any number of times.
 *
 * <p>What a pty does not imitate: the baud rate is accepted and ignored (bytes pass at memory speed),
 * parity and framing errors cannot occur, and tcdrain returns as soon as socat has the bytes. Parity
 * cannot even be configured: the pty driver clears PARENB, and glibc's tcsetattr, which reads the
 * settings back, then fails with EINVAL. On a fresh pty the first such call happens to pass, every
 * later one fails, so a port opened with parity cannot be reopened. Open pty ends as 8N1 (or 8N2).
 */
public final class SocatPtyPair implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final Path directory;
    private final Path a;
    private final Path b;
    private final Path socatLog;
    private final Process socat;

    private SocatPtyPair(Path directory, Process socat) {
        this.directory = directory;
        this.a = directory.resolve("a");
        this.b = directory.resolve("b");
        this.socatLog = directory.resolve("socat.log");
        this.socat = socat;
    }

    /**
     * Starts socat and waits (at most 10 s) until both links exist. Fails with an install hint when
     * socat is missing, and with socat's own messages when it does not come up.
     */
    public static SocatPtyPair start() throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("socat-pty");
        Path a = directory.resolve("a");
        Path b = directory.resolve("b");
        Path log = directory.resolve("socat.log");
        List<String> command = List.of("socat", "-d", "-d",
                "pty,rawer,echo=0,link=" + a, "pty,rawer,echo=0,link=" + b);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(log.toFile())
                    .start();
        } catch (IOException e) {
            deleteRecursively(directory);
            throw new IOException("socat is not installed: apt-get install socat (" + e.getMessage() + ")", e);
        }
        SocatPtyPair pair = new SocatPtyPair(directory, process);
        try {
            pair.awaitLinks();
        } catch (IOException | InterruptedException | RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    private void awaitLinks() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        // socat creates the links before it logs "starting data transfer loop"; wait for both.
        while (!(Files.exists(a) && Files.exists(b) && log().contains("starting data transfer loop"))) {
            if (!socat.isAlive()) {
                throw new IOException("socat exited with status " + socat.exitValue() + " before creating "
                        + a + " and " + b + "; its messages:\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("socat did not create " + a + " and " + b + " within " + START_TIMEOUT_MILLIS
                        + " ms; its messages:\n" + log());
            }
            Thread.sleep(10);
        }
    }

    /** One end, a symbolic link to a {@code /dev/pts/N} device. */
    public Path a() {
        return a;
    }

    /** The other end. */
    public Path b() {
        return b;
    }

    public boolean isAlive() {
        return socat.isAlive();
    }

    /** What socat logged so far (the pty names, the transfer loop, errors). */
    public String log() throws IOException {
        return Files.exists(socatLog) ? Files.readString(socatLog, StandardCharsets.UTF_8) : "";
    }

    /**
     * Kills socat: both ptys hang up, so an open end then fails on write (EIO). For tests of a line
     * that goes away; {@link #close()} still cleans up.
     */
    public void kill() throws InterruptedException {
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            kill();
        } finally {
            deleteRecursively(directory);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String toString() {
        return "SocatPtyPair[" + a + " <-> " + b + "]";
    }
}
