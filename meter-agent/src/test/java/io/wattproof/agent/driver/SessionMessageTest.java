package io.wattproof.agent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.wattproof.agent.charging.ChargingCommand;
import io.wattproof.crypto.DeviceId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionMessageTest {
    private static SessionMessage live(String s) {
        return SessionMessage.parseLive(s.getBytes(StandardCharsets.UTF_8));
    }

    private static SessionMessage event(String s) {
        return SessionMessage.parseEvent(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void thePilesOwnLiveJsonIsRead() {
        // As the pile's controller writes it (ChargingCommand.PublishLive.json).
        Instant at = Instant.parse("2026-11-27T18:00:05Z");
        String json = new ChargingCommand.PublishLive(DeviceId.fromHex("00".repeat(20)), "ab", at, 11_000, 250, 75_000).json();
        assertEquals(new SessionMessage.Live(at, 11_000, 250, 75_000), live(json));
    }

    @Test
    void eventsAreRead() {
        Instant at = Instant.parse("2026-11-27T18:00:05Z");
        assertEquals(new SessionMessage.Started(at), event("{\"time\":\"2026-11-27T18:00:05Z\",\"event\":\"started\"}"));
        assertEquals(new SessionMessage.Refused(at, "start request requested_at: expected ..."),
                event("{\"time\":\"2026-11-27T18:00:05Z\",\"event\":\"refused\",\"reason\":\"start request requested_at: expected ...\"}"));
        assertEquals(new SessionMessage.Closed(at, "STOPPED_BY_USER", 1200, 360_000),
                event("{\"time\":1795802405,\"event\":\"closed\",\"reason\":\"\",\"end_reason\":\"STOPPED_BY_USER\",\"energy_wh\":1200,"
                        + "\"amount\":360000}"));
        assertEquals(new SessionMessage.OtherEvent(at, "paused", "car full"),
                event("{\"time\":\"2026-11-27T18:00:05Z\",\"event\":\"paused\",\"reason\":\"car full\"}"));
    }

    @Test
    void badMessagesAreMalformedNamingTheField() {
        assertEquals(new SessionMessage.Malformed("live: expected a JSON object, got 3 bytes that do not parse"), live("{{{"));
        assertEquals(new SessionMessage.Malformed("live.power_w: expected an integer ≥ 0, got number -5"),
                live("{\"time\":\"2026-11-27T18:00:05Z\",\"power_w\":-5,\"energy_wh\":1,\"amount\":1}"));
        assertEquals(new SessionMessage.Malformed("event.event: expected a string, got nothing"), event("{\"time\":5}"));
        assertEquals(new SessionMessage.Malformed("event.end_reason: expected a string, got nothing"),
                event("{\"time\":5,\"event\":\"closed\",\"energy_wh\":1,\"amount\":1}"));
        assertEquals(new SessionMessage.Malformed("event.time: expected UTC epoch seconds or an ISO-8601 instant, got nothing"),
                event("{\"event\":\"started\"}"));
        assertInstanceOf(SessionMessage.Malformed.class, event("null"));
        assertInstanceOf(SessionMessage.Malformed.class, SessionMessage.parseEvent(new byte[] {(byte) 0xc3, 0x28}));
    }
}
