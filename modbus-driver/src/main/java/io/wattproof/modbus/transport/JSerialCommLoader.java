package io.wattproof.modbus.transport;

import com.fazecast.jSerialComm.SerialPort;
import io.wattproof.modbus.ModbusIoException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Loads jSerialComm's native library from a directory only this process's user can write.
 *
 * <p>Left alone, jSerialComm 2.11.4 copies its library to {@code ${java.io.tmpdir}/jSerialComm/<version>/}
 * and makes that directory world-writable (mode 0777) before loading the library from it; it also
 * loads a library already present there. In a daemon that runs as root, any local user could plant
 * code there. Its class initialiser also deletes, recursively and following symbolic links, every
 * entry of {@code ${java.io.tmpdir}/jSerialComm/} except the current version's directory, so a
 * planted symbolic link there makes a root process delete files elsewhere.
 *
 * <p>So, before jSerialComm's class is first initialised:
 * <ol>
 *   <li>a private directory {@code ${XDG_CACHE_HOME:-~/.cache}/wattproof/jserialcomm} is created with
 *       mode 0700 (an existing one must belong to this user; its mode is tightened to 0700);
 *   <li>unless the user set {@code jSerialComm.library.path} (then that wins), the libraries of this
 *       OS are copied from the jar to {@code <dir>/<version>/<OS>/<arch>/} (files 0500) and the
 *       property points there: jSerialComm then tries {@code <path>/<OS>/<arch>/<lib>} for each
 *       architecture it knows, and loads the first that links, without extracting anything;
 *   <li>{@code java.io.tmpdir} points at the private directory while the class initialises, so its
 *       clean-up and any fall-back extraction stay inside it; the property is restored afterwards.
 * </ol>
 * File systems without POSIX permissions (Windows) keep jSerialComm's own behaviour.
 */
final class JSerialCommLoader {
    static final String LIBRARY_PATH_PROPERTY = "jSerialComm.library.path";
    private static final String JSERIALCOMM_CLASS = "com.fazecast.jSerialComm.SerialPort";
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> LIBRARY_MODE = PosixFilePermissions.fromString("r-x------");

    /** Library file name and the architecture directories in jSerialComm 2.11.4's jar, per OS directory. */
    private record Platform(String osDirectory, String fileName, List<String> architectures) {}

    private static final Map<String, Platform> PLATFORMS = Map.of(
            "linux", new Platform("Linux", "libjSerialComm.so",
                    List.of("x86_64", "x86", "armv8_64", "armv8_32", "armv7hf", "armv6hf", "armv5", "ppc64le")),
            "mac", new Platform("OSX", "libjSerialComm.jnilib", List.of("aarch64", "x86_64", "x86")),
            "freebsd", new Platform("FreeBSD", "libjSerialComm.so", List.of("arm64", "x86_64", "x86")),
            "openbsd", new Platform("OpenBSD", "libjSerialComm.so", List.of("amd64", "x86")));

    private static boolean loaded; // guarded by class
    private static String failure; // guarded by class; set when loading failed once, the JVM cannot retry

    private JSerialCommLoader() {}

    /** Loads jSerialComm once per JVM as described above; later calls return at once. */
    static synchronized void ensureLoaded() throws ModbusIoException {
        if (loaded) {
            return;
        }
        if (failure != null) {
            throw new ModbusIoException(failure);
        }
        try {
            Path privateDir = null;
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                privateDir = privateDirectory(cacheHome());
                if (System.getProperty(LIBRARY_PATH_PROPERTY, "").isEmpty()) {
                    Path libraryPath = extractLibraries(privateDir);
                    if (libraryPath != null) {
                        System.setProperty(LIBRARY_PATH_PROPERTY, libraryPath.toString());
                    }
                }
            }
            initialise(privateDir);
            loaded = true;
        } catch (IOException e) {
            failure = "jSerialComm native library: " + e.getMessage();
            throw new ModbusIoException(failure, e);
        } catch (LinkageError e) {
            // ExceptionInInitializerError or UnsatisfiedLinkError from jSerialComm's class initialiser.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            failure = "jSerialComm native library could not be loaded: " + cause;
            throw new ModbusIoException(failure, new IOException(e));
        }
    }

    /** {@code $XDG_CACHE_HOME} when set to an absolute path (XDG Base Directory spec), else {@code ~/.cache}. */
    static Path cacheHome() throws IOException {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        String home = System.getProperty("user.home", "");
        if (home.isBlank() || home.equals("?") || !Path.of(home).isAbsolute()) {
            throw new IOException("no home directory to keep it in (user.home=\"" + home + "\"): set XDG_CACHE_HOME "
                    + "or -D" + LIBRARY_PATH_PROPERTY + "=<directory holding libjSerialComm.so>");
        }
        return Path.of(home, ".cache");
    }

    /** Creates (0700) or checks {@code <cacheHome>/wattproof/jserialcomm}. */
    static Path privateDirectory(Path cacheHome) throws IOException {
        Path dir = cacheHome.resolve("wattproof").resolve("jserialcomm");
        createPrivateDirectory(dir, currentUid());
        return dir;
    }

    /**
     * Creates {@code dir} and missing parents with mode 0700, then insists that {@code dir} is a real
     * directory (not a symbolic link) owned by {@code uid}, and tightens its mode to 0700.
     */
    static void createPrivateDirectory(Path dir, int uid) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + ": expected a directory, actual a symbolic link or another file");
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != uid) {
            throw new IOException(dir + ": expected a directory owned by uid " + uid + ", actual owner uid " + owner
                    + "; remove it or set XDG_CACHE_HOME elsewhere");
        }
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(DIRECTORY_MODE)) {
            Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
        }
    }

    /** The effective uid of this process: the owner of {@code /proc/self} on Linux, else of a file it creates. */
    static int currentUid() throws IOException {
        Path self = Path.of("/proc/self");
        if (Files.exists(self)) {
            return (Integer) Files.getAttribute(self, "unix:uid");
        }
        Path probe = Files.createTempFile("wattproof-uid", ".probe");
        try {
            return (Integer) Files.getAttribute(probe, "unix:uid");
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /**
     * Copies this OS's native libraries from the jar into {@code <privateDir>/<version>/<OS>/<arch>/}.
     *
     * @return the directory to give jSerialComm as its library path, or null when this OS is not one
     *     whose layout is known (jSerialComm then extracts as usual, inside the redirected tmpdir)
     */
    private static Path extractLibraries(Path privateDir) throws IOException {
        Platform platform = platform();
        if (platform == null) {
            return null;
        }
        int uid = currentUid();
        Path versionDir = privateDir.resolve(jSerialCommVersion());
        createPrivateDirectory(versionDir, uid);
        int copied = 0;
        for (String arch : architectures(platform)) {
            String resource = "/" + platform.osDirectory() + "/" + arch + "/" + platform.fileName();
            try (InputStream in = SerialPort.class.getResourceAsStream(resource)) {
                if (in == null) {
                    continue;
                }
                Path archDir = versionDir.resolve(platform.osDirectory()).resolve(arch);
                createPrivateDirectory(archDir.getParent(), uid);
                createPrivateDirectory(archDir, uid);
                install(in.readAllBytes(), archDir.resolve(platform.fileName()));
                copied++;
            }
        }
        if (copied == 0) {
            throw new IOException("no " + platform.fileName() + " for " + platform.osDirectory() + " in the jSerialComm jar");
        }
        return versionDir;
    }

    private static List<String> architectures(Platform platform) {
        // jSerialComm honours os.arch_full on Linux as the one architecture to try.
        String full = System.getProperty("os.arch_full", "");
        if (platform.osDirectory().equals("Linux") && !full.isEmpty()) {
            return List.of(full.toLowerCase(Locale.ROOT));
        }
        return platform.architectures();
    }

    /** Writes {@code bytes} to {@code target} (mode 0500) unless an identical file is there already. */
    private static void install(byte[] bytes, Path target) throws IOException {
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                && Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS).equals(LIBRARY_MODE)
                && Arrays.equals(Files.readAllBytes(target), bytes)) {
            return; // spare the SD card a write on every start
        }
        Path temporary = Files.createTempFile(target.getParent(), ".jserialcomm", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(temporary, bytes);
            Files.setPosixFilePermissions(temporary, LIBRARY_MODE);
            // Atomic: a process that has the old file loaded keeps its mapping of the old inode.
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Platform platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (System.getProperty("java.vm.vendor", "").toLowerCase(Locale.ROOT).contains("android")) {
            return null;
        }
        if (os.contains("mac")) {
            return PLATFORMS.get("mac");
        }
        if (os.contains("freebsd")) {
            return PLATFORMS.get("freebsd");
        }
        if (os.contains("openbsd")) {
            return PLATFORMS.get("openbsd");
        }
        if (os.contains("nux") || os.contains("nix")) {
            return PLATFORMS.get("linux");
        }
        return null;
    }

    /** jSerialComm's version from its jar's Maven metadata, e.g. {@code "2.11.4"}. */
    static String jSerialCommVersion() throws IOException {
        try (InputStream in = SerialPort.class.getResourceAsStream("/META-INF/maven/com.fazecast/jSerialComm/pom.properties")) {
            if (in == null) {
                return "unversioned";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unversioned");
            return version.matches("[0-9A-Za-z._-]+") ? version : "unversioned";
        }
    }

    /** Runs jSerialComm's class initialiser with {@code java.io.tmpdir} pointing at {@code privateDir}. */
    private static void initialise(Path privateDir) throws IOException {
        String tmpdir = System.getProperty("java.io.tmpdir");
        if (privateDir != null) {
            System.setProperty("java.io.tmpdir", privateDir.toString());
        }
        try {
            Class.forName(JSERIALCOMM_CLASS, true, SerialPort.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException("jSerialComm is not on the class path", e);
        } finally {
            if (privateDir != null) {
                System.setProperty("java.io.tmpdir", tmpdir);
            }
        }
    }
}
