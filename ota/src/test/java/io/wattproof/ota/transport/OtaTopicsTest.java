package io.wattproof.ota.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OtaTopicsTest {
    private static final String P = "wattproof/v1";

    @Test
    void everyDeviceTopicLiesInTheDevicesSubtree() {
        assertEquals("wattproof/v1/devices/ab12/ota/announce", OtaTopics.announcement(P, "ab12"));
        assertEquals("wattproof/v1/devices/ab12/ota/request", OtaTopics.request(P, "ab12"));
        assertEquals("wattproof/v1/devices/ab12/ota/chunk", OtaTopics.chunk(P, "ab12"));
        assertEquals("wattproof/v1/devices/ab12/ota/status", OtaTopics.status(P, "ab12"));
        assertEquals("wattproof/v1/ota/announce", OtaTopics.fleetAnnouncement(P));
    }

    @Test
    void theDeviceIdIsReadBackFromATopicOnlyWhenItIsOneLevel() {
        assertEquals(Optional.of("ab12"), OtaTopics.deviceOf(P, OtaTopics.request(P, "ab12"), "request"));
        assertEquals(Optional.empty(), OtaTopics.deviceOf(P, "wattproof/v1/devices/a/b/ota/request", "request"));
        assertEquals(Optional.empty(), OtaTopics.deviceOf(P, "wattproof/v1/devices//ota/request", "request"));
        assertEquals(Optional.empty(), OtaTopics.deviceOf(P, OtaTopics.status(P, "ab12"), "request"));
        assertEquals(Optional.empty(), OtaTopics.deviceOf(P, "other/v1/devices/ab12/ota/request", "request"));
        assertEquals(Optional.empty(), OtaTopics.deviceOf(P, null, "request"));
    }

    @Test
    void aDeviceIdThatIsNotOneTopicLevelIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> OtaTopics.request(P, "a/b"));
        assertThrows(IllegalArgumentException.class, () -> OtaTopics.request(P, "+"));
        assertThrows(IllegalArgumentException.class, () -> OtaTopics.request(P, ""));
    }
}
