package io.wattproof.simulator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.crypto.DeviceId;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's HTTP answers, over a real server on a free port and the JDK's HTTP client. */
class DashboardServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final MeterRow KNOWN = FleetHistoryTest.meter(1, 1234.5, 42, List.of());
    /** A meter whose drill-down fails inside the source. */
    private static final String BROKEN = "ff".repeat(DeviceId.LENGTH);

    /** A fleet of one meter whose readings grow by 3 at each sample. */
    private static final class FixedFleet implements FleetSource {
        final AtomicLong readings = new AtomicLong();

        @Override
        public FleetSample sample(Instant now) {
            return FleetHistoryTest.sample(now, readings.addAndGet(3), 0, 0, List.of(KNOWN));
        }

        @Override
        public Optional<MeterDetail> meter(DeviceId device) {
            if (device.hex().equals(BROKEN)) {
                throw new IllegalStateException("the ledger is closed");
            }
            return device.hex().equals(KNOWN.deviceId()) ? Optional.of(new MeterDetail(KNOWN, Optional.empty(), List.of(record())))
                    : Optional.empty();
        }
    }

    static RecordView record() {
        return new RecordView("reading", 42, 17, 0, "ab".repeat(32), T0, 1, 10_042, 3, Optional.of(12_000L), 0,
                Check.passed("ED25519 signature by the key registered on the ledger"), Check.passed("header 17 verified"),
                Check.failed("root hash: the proof leads to 00 but claims 01"),
                new RecordView.ProofFacts("01", "02", 0, 1, List.of(), Optional.of("03"), Optional.of("04")));
    }

    /** Each call one second after the last, so rates are defined. */
    private static final class Ticking extends Clock {
        private long seconds;

        @Override
        public synchronized Instant instant() {
            return T0.plusSeconds(seconds++);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DashboardServer server;

    @BeforeEach
    void start() throws Exception {
        server = DashboardServer.startWithoutTicker(new FixedFleet(), 0, new Ticking());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        return JSON.readTree(r.body());
    }

    @Test
    void servesThePageItsScriptAndStyleFromTheJar() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<canvas id=\"power-chart\""), page.body());
        assertEquals(page.body(), get("/index.html").body());
        HttpResponse<String> js = get("/dashboard.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(js.body().contains("new EventSource(\"/events\")"));
        assertEquals(200, get("/dashboard.css").statusCode());
    }

    @Test
    void fleetSnapshotHasTheCountersTheMetersAndTheChartHistory() throws Exception {
        server.tick();
        server.tick();
        JsonNode fleet = json(get("/api/fleet"));
        assertEquals("wattproof-test", fleet.get("chainId").asText());
        assertEquals(10, fleet.get("height").asLong());
        assertEquals(1000, fleet.get("blockIntervalMs").asLong());
        assertEquals(6, fleet.get("readings").asLong());
        assertEquals(3.0, fleet.get("readingsPerSecond").asDouble(), 1e-9);
        assertEquals(1234.5, fleet.get("fleetPowerW").asDouble(), 1e-9);
        assertEquals(3, fleet.get("outboxDepth").asLong());
        JsonNode meter = fleet.get("meters").get(0);
        assertEquals(KNOWN.deviceId(), meter.get("deviceId").asText());
        assertEquals("SIM000001", meter.get("serial").asText());
        assertEquals(42, meter.get("readings").asLong());
        assertTrue(meter.get("connected").asBoolean());
        assertEquals(2, fleet.get("history").size(), "one point per sample");
        assertEquals(T0.toEpochMilli(), fleet.get("history").get(0).get(0).asLong());
        assertEquals(1234.5, fleet.get("history").get(1).get(1).asDouble(), 1e-9);
    }

    @Test
    void fleetSnapshotIsTakenOnDemandBeforeTheFirstTick() throws Exception {
        JsonNode fleet = json(get("/api/fleet"));
        assertEquals(3, fleet.get("readings").asLong());
        assertEquals(1, fleet.get("history").size());
    }

    @Test
    void meterDrillDownCarriesEachRecordsChecksAndProof() throws Exception {
        HttpResponse<String> r = get("/api/meters/" + KNOWN.deviceId().toUpperCase());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode detail = json(r);
        assertEquals(KNOWN.deviceId(), detail.get("meter").get("deviceId").asText());
        assertFalse(detail.get("ledger").get("registered").asBoolean());
        JsonNode record = detail.get("records").get(0);
        assertEquals(42, record.get("sequence").asLong());
        assertEquals(12_000, record.get("averagePowerW").asLong());
        assertTrue(record.get("signature").get("passed").asBoolean());
        assertFalse(record.get("inclusion").get("passed").asBoolean());
        assertEquals("root hash: the proof leads to 00 but claims 01", record.get("inclusion").get("detail").asText());
        assertEquals("03", record.get("proof").get("dataHash").asText());
    }

    @Test
    void aMalformedDeviceIdIs400NamingTheField() throws Exception {
        for (String bad : List.of("abc", "zz".repeat(DeviceId.LENGTH), KNOWN.deviceId() + "00", "", KNOWN.deviceId() + "/records")) {
            HttpResponse<String> r = get("/api/meters/" + bad);
            assertEquals(400, r.statusCode(), bad + ": " + r.body());
            assertTrue(json(r).get("error").asText().startsWith("device id: expected 40 hex characters, got"), r.body());
        }
    }

    @Test
    void anUnknownMeterIs404() throws Exception {
        HttpResponse<String> r = get("/api/meters/" + "01".repeat(DeviceId.LENGTH));
        assertEquals(404, r.statusCode());
        assertEquals("device id: " + "01".repeat(DeviceId.LENGTH) + " is not a meter of this fleet", json(r).get("error").asText());
    }

    @Test
    void aFailureInsideIs500WithAJsonBodyAndTheServerGoesOn() throws Exception {
        HttpResponse<String> r = get("/api/meters/" + BROKEN);
        assertEquals(500, r.statusCode());
        assertTrue(json(r).get("error").asText().contains("the ledger is closed"), r.body());
        assertEquals(200, get("/api/fleet").statusCode());
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        for (String path : List.of("/nope", "/api", "/api/fleet/x", "/dashboard.js.map", "/../etc/passwd")) {
            HttpResponse<String> r = get(path);
            assertEquals(404, r.statusCode(), path);
            assertTrue(json(r).get("error").asText().startsWith("path: no such resource"), r.body());
        }
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/fleet"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
        assertEquals("method: expected GET, got POST", json(post).get("error").asText());
    }

    @Test
    void aRequestForAnotherHostNameIsRefused() throws Exception {
        // The JDK's client will not send a Host header of our choosing: a plain socket does.
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/fleet HTTP/1.1\r\nHost: evil.example:" + server.port() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 421"), answer);
            assertTrue(answer.contains("host: expected 127.0.0.1:" + server.port()), answer);
        }
    }

    @Test
    void theEventStreamSendsEachNewSnapshotAsAFleetEvent() throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertEquals("retry: 1000", in.readLine());
            assertEquals("", in.readLine());
            server.tick();
            JsonNode first = event(in);
            server.tick();
            JsonNode second = event(in);
            assertEquals(3, first.get("readings").asLong());
            assertEquals(6, second.get("readings").asLong(), "the numbers change between events");
            assertFalse(second.has("history"), "events carry the newest point only");
            assertEquals(second.get("fleetPowerW").asDouble(), 1234.5, 1e-9);
        }
    }

    /** Reads one {@code fleet} event: its event line, one data line, and the blank line that ends it. */
    private static JsonNode event(BufferedReader in) throws Exception {
        assertEquals("event: fleet", in.readLine());
        String data = in.readLine();
        assertTrue(data.startsWith("data: {"), data);
        assertEquals("", in.readLine());
        return JSON.readTree(data.substring("data: ".length()));
    }

    @Test
    void closingEndsOpenStreamsAndFreesThePort() throws Exception {
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        int port = server.port();
        server.close();
        // The stream ends (no hang): every line until the end is read.
        assertEquals(List.of("retry: 1000", ""), r.body().limit(5).toList());
        try (java.net.ServerSocket again = new java.net.ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    void aPortOutOfRangeIsRefusedAndABusyPortNamesTheOption() throws Exception {
        Exception range = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DashboardServer.start(new FixedFleet(), 70000, Clock.systemUTC()));
        assertEquals("http port: expected 0..65535, got 70000", range.getMessage());
        Exception busy = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> DashboardServer.start(new FixedFleet(), server.port(), Clock.systemUTC()));
        assertTrue(busy.getMessage().startsWith("http port " + server.port() + ": cannot listen on 127.0.0.1:" + server.port()),
                busy.getMessage());
        assertTrue(busy.getMessage().contains("--http-port"), busy.getMessage());
    }
}
