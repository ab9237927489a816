package io.wattproof.simulator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.crypto.DeviceId;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The faults panel's endpoint: what reaches the control, and every way a request is refused. */
class DashboardFaultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Records every call; refuses a meter outside 1..3 and the kind "busy". */
    private static final class Recording implements FaultControl {
        final List<String> calls = new ArrayList<>();

        @Override
        public synchronized Outcome inject(String kind, String body) {
            calls.add(kind + " " + body);
            if (kind.equals("busy") || body.contains("\"meter\": 9")) {
                return new Outcome.Refused(List.of("meter: expected 1..3, got 9"));
            }
            return new Outcome.Injected(calls.size(), kind + " from " + body);
        }

        @Override
        public List<String> kinds() {
            return List.of("partition", "power-cut");
        }
    }

    private static final class NoFleet implements FleetSource {
        @Override
        public FleetSample sample(Instant now) {
            return FleetHistoryTest.sample(now, 0, 0, 0, List.of());
        }

        @Override
        public Optional<MeterDetail> meter(DeviceId device) {
            return Optional.empty();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Recording control = new Recording();
    private DashboardServer server;

    @BeforeEach
    void start() throws Exception {
        server = DashboardServer.startWithoutTicker(new NoFleet(), 0, Clock.systemUTC(), control);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String type, String origin, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void aJsonPostReachesTheControlWithItsKindAndBody() throws Exception {
        HttpResponse<String> r = post("/api/faults/partition", "application/json", "http://127.0.0.1:" + server.port(),
                "{\"meters\": [1], \"for\": \"5s\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, json(r).get("id").asInt());
        assertEquals("partition from {\"meters\": [1], \"for\": \"5s\"}", json(r).get("injected").asText());
        assertEquals(List.of("partition {\"meters\": [1], \"for\": \"5s\"}"), control.calls);
    }

    @Test
    void aRefusalIs400WithTheControlsWords() throws Exception {
        HttpResponse<String> r = post("/api/faults/garbage", "application/json; charset=utf-8", null, "{\"meter\": 9}");
        assertEquals(400, r.statusCode());
        assertEquals("meter: expected 1..3, got 9", json(r).get("error").asText());
    }

    @Test
    void requestsAPageOnAnotherSiteCouldSendAreRefusedBeforeTheControlIsCalled() throws Exception {
        HttpResponse<String> form = post("/api/faults/partition", "application/x-www-form-urlencoded", null, "meters=1");
        assertEquals(415, form.statusCode());
        assertTrue(json(form).get("error").asText().startsWith("content type: expected application/json"));
        HttpResponse<String> foreign = post("/api/faults/partition", "application/json", "http://evil.example", "{}");
        assertEquals(403, foreign.statusCode());
        assertTrue(json(foreign).get("error").asText().endsWith("got http://evil.example"));
        HttpResponse<String> big = post("/api/faults/partition", "application/json", null, "x".repeat(5000));
        assertEquals(413, big.statusCode());
        assertEquals(List.of(), control.calls);
    }

    @Test
    void getListsTheKindsAndOtherMethodsOrPathsAreRefused() throws Exception {
        HttpResponse<String> kinds = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/faults")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, kinds.statusCode());
        assertEquals("[\"partition\",\"power-cut\"]", json(kinds).get("kinds").toString());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/faults/partition")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        assertEquals(404, post("/api/faults/", "application/json", null, "{}").statusCode());
        // Everything else stays GET only.
        assertEquals(405, post("/api/fleet", "application/json", null, "{}").statusCode());
        assertEquals(List.of(), control.calls);
    }

    @Test
    void aRunWithoutFaultsAnswers404() throws Exception {
        try (DashboardServer plain = DashboardServer.startWithoutTicker(new NoFleet(), 0, Clock.systemUTC())) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(plain.uri().resolve("/api/faults/partition"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode());
        }
    }
}
