package io.wattproof.modbus.transport;

import com.fazecast.jSerialComm.SerialPort;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link JSerialCommLoaderIT}: loads jSerialComm, through {@link
 * SerialPortTransport} (argument: a port to open) or directly ({@code --plain}), and prints where
 * the native library came from.
 */
public final class NativeLibraryProbe {
    private NativeLibraryProbe() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--plain")) {
            System.out.println("version=" + SerialPort.getVersion());
        } else {
            try (SerialPortTransport t = SerialPortTransport.open(
                    SerialLineConfig.builder(args[0]).lineSettings("9600 8N1").build())) {
                t.write(new byte[] {0x42});
            }
        }
        System.out.println("library.path=" + System.getProperty(JSerialCommLoader.LIBRARY_PATH_PROPERTY));
        System.out.println("tmpdir=" + System.getProperty("java.io.tmpdir"));
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            lines.filter(l -> l.contains("libjSerialComm"))
                    .map(l -> l.substring(l.indexOf('/')))
                    .distinct()
                    .forEach(p -> System.out.println("mapped=" + p));
        }
    }
}
