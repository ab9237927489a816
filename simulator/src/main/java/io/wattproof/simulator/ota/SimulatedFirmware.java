package io.wattproof.simulator.ota;

import io.wattproof.agent.record.FirmwareIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;

/**
 * The application image a simulated device keeps in its slots. On a board the image is the agent's
 * code; a simulated device runs the agent of this JVM, so its image is a short text that says how
 * that agent behaves, and the device does what the image in its booted slot says, whatever it is:
 *
 * <pre>
 * wattproof simulated firmware
 * version=2
 * modbus.unit=1
 * </pre>
 *
 * followed by padding up to the image's size, so a download takes several chunks. {@code
 * modbus.unit} is the Modbus unit id the agent addresses its meter at; a release with the wrong one
 * is a release that cannot read the meter, so it signs no reading and fails its health check, the
 * fault of {@code --scenario ota-bad-health}. Every reading carries the image's version and SHA-256
 * as its firmware identity, as it would the code's on a board.
 */
public record SimulatedFirmware(long version, int modbusUnit) {
    private static final String MAGIC = "wattproof simulated firmware\n";

    /** The image's bytes: the header above, padded with newlines to {@code size} bytes. */
    public byte[] image(int size) {
        byte[] head = (MAGIC + "version=" + version + "\nmodbus.unit=" + modbusUnit + "\n").getBytes(StandardCharsets.US_ASCII);
        if (size < head.length) {
            throw new IllegalArgumentException("size: expected at least " + head.length + " bytes, got " + size);
        }
        byte[] image = Arrays.copyOf(head, size);
        Arrays.fill(image, head.length, size, (byte) '\n');
        return image;
    }

    /** What an image says, if it is one; anything else boots nothing. */
    public static Optional<SimulatedFirmware> parse(byte[] image) {
        String text = new String(image, 0, Math.min(image.length, 256), StandardCharsets.US_ASCII);
        if (!text.startsWith(MAGIC)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(text.substring(MAGIC.length())));
            long version = Long.parseLong(p.getProperty("version", "").strip());
            int unit = Integer.parseInt(p.getProperty("modbus.unit", "").strip());
            return version >= 1 && unit >= 0 && unit <= 255 ? Optional.of(new SimulatedFirmware(version, unit)) : Optional.empty();
        } catch (java.io.IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The firmware identity every reading of a device running {@code image} carries. */
    public static FirmwareIdentity identity(SimulatedFirmware firmware, byte[] image) {
        try {
            return new FirmwareIdentity("simulated-" + firmware.version(), MessageDigest.getInstance("SHA-256").digest(image));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
