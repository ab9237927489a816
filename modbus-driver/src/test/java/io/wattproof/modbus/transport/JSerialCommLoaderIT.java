package io.wattproof.modbus.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wattproof.modbus.testing.SocatPtyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where jSerialComm's native library comes from, checked in child JVMs (a JVM loads it once) with
 * their own {@code XDG_CACHE_HOME} and {@code java.io.tmpdir}, so that nothing on the machine, and
 * no other test, can influence or be influenced by the result.
 */
@Timeout(120)
class JSerialCommLoaderIT {
    @TempDir
    Path temp;

    private SocatPtyPair pty;
    private Path cache;
    private Path tmp;

    @BeforeEach
    void setUp() throws Exception {
        pty = SocatPtyPair.start();
        cache = temp.resolve("cache");
        tmp = Files.createDirectories(temp.resolve("tmp"));
    }

    @AfterEach
    void tearDown() throws Exception {
        pty.close();
    }

    private Path privateDir() {
        return cache.resolve("wattproof/jserialcomm");
    }

    @Test
    void libraryIsLoadedFromAPrivateDirectoryAndNothingIsExtractedToTmp() throws Exception {
        Probe probe = probe(List.of(), pty.a().toString());

        assertEquals(mode(privateDir()), "rwx------");
        assertEquals(privateDir().resolve("2.11.4").toString(), probe.value("library.path"));
        assertEquals(tmp.toString(), probe.value("tmpdir"), "java.io.tmpdir is restored after loading");
        Path mapped = Path.of(probe.value("mapped"));
        assertTrue(mapped.startsWith(privateDir().resolve("2.11.4/Linux")), "loaded from " + mapped);
        assertEquals("r-x------", mode(mapped));
        for (Path dir = mapped.getParent(); !dir.equals(cache); dir = dir.getParent()) {
            assertEquals("rwx------", mode(dir), dir.toString());
        }
        assertFalse(Files.exists(tmp.resolve("jSerialComm")), "jSerialComm extracted into java.io.tmpdir");

        // A second start reuses the installed library.
        Probe again = probe(List.of(), pty.a().toString());
        assertEquals(mapped.toString(), again.value("mapped"));
    }

    @Test
    void existingDirectoryWithALooseModeIsTightened() throws Exception {
        Files.createDirectories(privateDir());
        Files.setPosixFilePermissions(privateDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        probe(List.of(), pty.a().toString());
        assertEquals("rwx------", mode(privateDir()));
    }

    @Test
    void libraryPathSetByTheUserWins() throws Exception {
        Path mapped = Path.of(probe(List.of(), pty.a().toString()).value("mapped"));
        Path own = Files.createDirectories(temp.resolve("own-lib"));
        Files.copy(mapped, own.resolve(mapped.getFileName()));

        Probe probe = probe(List.of("-D" + JSerialCommLoader.LIBRARY_PATH_PROPERTY + "=" + own), pty.a().toString());
        assertEquals(own.resolve(mapped.getFileName()).toString(), probe.value("mapped"));
        assertFalse(Files.exists(tmp.resolve("jSerialComm")));
    }

    /**
     * jSerialComm's class initialiser deletes every entry of {@code ${java.io.tmpdir}/jSerialComm}
     * but its own version's directory, following symbolic links. Left alone, a link planted there
     * makes it delete a directory elsewhere (shown first, as the precondition); with our loader,
     * the initialiser cleans only inside the private directory.
     */
    @Test
    void symbolicLinkPlantedInTmpIsNotFollowed() throws Exception {
        Path victim = plantTrap();
        probe(List.of(), "--plain");
        assertFalse(Files.exists(victim), "precondition: plain jSerialComm deletes through the planted link");

        victim = plantTrap();
        probe(List.of(), pty.a().toString());
        assertTrue(Files.exists(victim.resolve("keep.txt")), "the loader let jSerialComm delete through the link");
    }

    private Path plantTrap() throws IOException {
        Path victim = Files.createDirectories(temp.resolve("victim"));
        Files.writeString(victim.resolve("keep.txt"), "precious");
        Path jsc = tmp.resolve("jSerialComm");
        Files.createDirectories(jsc.resolve("2.11.4"));
        Path link = jsc.resolve("trap");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, victim);
        return victim;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Output of one {@link NativeLibraryProbe} run: {@code key=value} lines. */
    private record Probe(List<String> lines) {
        String value(String key) {
            return lines.stream()
                    .filter(l -> l.startsWith(key + "="))
                    .map(l -> l.substring(key.length() + 1))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("probe printed no " + key + ": " + lines));
        }
    }

    private Probe probe(List<String> jvmOptions, String argument) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Djava.io.tmpdir=" + tmp);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NativeLibraryProbe.class.getName());
        command.add(argument);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("probe did not finish: " + new String(output, StandardCharsets.UTF_8));
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "probe failed:\n" + text);
        return new Probe(text.lines().toList());
    }
}
