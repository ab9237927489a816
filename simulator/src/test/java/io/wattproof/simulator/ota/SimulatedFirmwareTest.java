package io.wattproof.simulator.ota;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimulatedFirmwareTest {

    @Test
    void anImageSaysItsVersionAndMeterUnitAndHasTheSizeAsked() {
        byte[] image = new SimulatedFirmware(7, 2).image(200 * 1024);
        assertEquals(200 * 1024, image.length);
        assertEquals(Optional.of(new SimulatedFirmware(7, 2)), SimulatedFirmware.parse(image));
    }

    @Test
    void theIdentityIsTheVersionAndTheSha256OfTheWholeImage() throws Exception {
        byte[] image = new SimulatedFirmware(3, 1).image(1000);
        var identity = SimulatedFirmware.identity(new SimulatedFirmware(3, 1), image);
        assertEquals("simulated-3", identity.version());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(image), identity.sha256());
        byte[] other = new SimulatedFirmware(3, 2).image(1000);
        assertNotEquals(Arrays.toString(identity.sha256()), Arrays.toString(SimulatedFirmware.identity(new SimulatedFirmware(3, 2), other).sha256()));
    }

    @Test
    void bytesThatAreNoImageBootNothing() {
        assertFalse(SimulatedFirmware.parse(new byte[0]).isPresent());
        assertFalse(SimulatedFirmware.parse(new byte[1000]).isPresent());
        assertFalse(SimulatedFirmware.parse("wattproof simulated firmware\nversion=x\nmodbus.unit=1\n".getBytes(StandardCharsets.US_ASCII)).isPresent());
        assertFalse(SimulatedFirmware.parse("wattproof simulated firmware\nversion=0\nmodbus.unit=1\n".getBytes(StandardCharsets.US_ASCII)).isPresent());
        assertFalse(SimulatedFirmware.parse("wattproof simulated firmware\nversion=2\nmodbus.unit=300\n".getBytes(StandardCharsets.US_ASCII)).isPresent());
        assertFalse(SimulatedFirmware.parse("wattproof simulated firmware\nversion=2\n".getBytes(StandardCharsets.US_ASCII)).isPresent());
        assertThrows(IllegalArgumentException.class, () -> new SimulatedFirmware(1, 1).image(10));
    }
}
