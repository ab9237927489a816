package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.atecc608.Atecc608Driver;
import io.wattproof.crypto.atecc608.Atecc608I2cDouble;
import io.wattproof.crypto.cert.Certificates;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code provision --key-store atecc608} against the ATECC608 test double, reached on the bus and
 * address of the board's secure_element. Nothing here ran against a real chip.
 */
class ProvisionAtecc608Test extends ProvisionFixture {
    private final Atecc608I2cDouble chip = Atecc608I2cDouble.personalised();
    private final List<String> opened = new ArrayList<>();

    @BeforeEach
    void atecc608Board() throws java.io.IOException {
        board = writeBoard(tmp, """
                secure_element:
                  i2c_bus: 3
                  i2c_address: 0x60
                key_store: atecc608""");
        KeysCommand.atecc608Chips = (bus, address) -> {
            opened.add(bus + "/0x" + Integer.toHexString(address));
            return new Atecc608Driver(chip, address, chip.pause());
        };
    }

    @AfterEach
    void restoreChips() {
        KeysCommand.atecc608Chips = Atecc608OnPi4j::open;
    }

    @Test
    void theKeyIsMadeInTheChipSlotAndCertified() throws Exception {
        assertEquals(0, run(provision("--ca", ca.toString(), "--slot", "2")), err + out);
        DeviceConfig c = config();
        assertEquals(new DeviceConfig.Atecc608Store(2), c.keyStore());
        assertTrue(opened.stream().allMatch("3/0x60"::equals), opened.toString());
        byte[] spki = Certificates.fromPem(Files.readString(etc.resolve("device-cert.pem"))).getPublicKey().getEncoded();
        assertEquals(c.deviceId(), DeviceId.fromPublicKeyInfo(spki));
        assertTrue(Arrays.equals(chip.slotPublicKey(2), Arrays.copyOfRange(spki, 27, 91)), "the certified key is the slot's");
        assertTrue(check().contains("checks passed"), out);
        assertTrue(out.contains("OK   device key: atecc608 store holds device " + c.deviceId().hex()), out);

        assertEquals(0, run(provision("--slot", "2")), err + out);
        assertEquals(c.deviceId(), config().deviceId());
        assertTrue(out.contains("[certificate] kept"), out);

        assertEquals(0, run(provision("--slot", "2", "--force-new-identity", "--yes", "--ca", ca.toString())), err + out);
        assertNotEquals(c.deviceId(), config().deviceId());
        assertTrue(check().contains("checks passed"), out);
    }

}
