package io.wattproof.simulator.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wattproof.crypto.DeviceId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the dashboard on 127.0.0.1 (docs/dashboard.md): the page and its script and style from the
 * class path, {@code GET /api/fleet}, {@code GET /api/meters/{deviceId}} and {@code GET /events}, a
 * server-sent event stream (WHATWG HTML, "Server-sent events") with one {@code fleet} event per
 * second. A ticker samples the fleet once a second whether or not anyone is watching, so the chart
 * holds the run's last ten minutes when the page opens; every stream sends the ticker's newest
 * snapshot, so a hundred open tabs do not sample the fleet a hundred times.
 *
 * <p>Every answer is complete: a bad device id is 400, an unknown meter or path 404, a method
 * other than GET 405, a request for another host name 421, a failure inside 500 — each with a JSON
 * body {@code {"error": "..."}}; no exception leaves a handler.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
    private static final String RESOURCES = "/io/wattproof/simulator/dashboard/";
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html", "/index.html", "index.html", "/dashboard.js", "dashboard.js", "/dashboard.css", "dashboard.css");
    private static final Pattern HEX_ID = Pattern.compile("[0-9a-fA-F]{" + 2 * DeviceId.LENGTH + "}");
    /** A stream with nothing new for this long gets a comment line, so proxies and the browser keep it open. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final FleetSource source;
    /** Injects faults from the panel; null when the run takes none (docs/faults.md). */
    private final FaultControl faults;
    /** A fault request's body beyond this is refused unread: settings are a few dozen bytes. */
    private static final int MAX_FAULT_BODY = 4096;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService ticker;
    private final FleetHistory history = new FleetHistory();
    /** Guarded by {@code this}: the newest snapshot and how many there have been. */
    private FleetSnapshot latest;
    private long version;
    private boolean closed;
    /** Event streams open now; {@link #close} lets them end cleanly before it stops the server. */
    private int streams;

    private DashboardServer(FleetSource source, Clock clock, HttpServer server, boolean tick) {
        this(source, null, clock, server, tick);
    }

    private DashboardServer(FleetSource source, FaultControl faults, Clock clock, HttpServer server, boolean tick) {
        this.source = source;
        this.faults = faults;
        this.clock = clock;
        this.server = server;
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
        if (tick) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("dashboard-ticker").unstarted(r));
            ticker.scheduleAtFixedRate(this::tickQuietly, 0, 1, TimeUnit.SECONDS);
        } else {
            ticker = null;
        }
    }

    /**
     * Listens on 127.0.0.1:{@code port} (0: a free port) and samples {@code source} once a second.
     *
     * @throws IOException when the port cannot be bound; the message names the port and how to choose another
     */
    public static DashboardServer start(FleetSource source, int port, Clock clock) throws IOException {
        return new DashboardServer(source, clock, bind(port), true);
    }

    /** As {@link #start}, with a faults panel whose buttons call {@code faults} (docs/faults.md). */
    public static DashboardServer start(FleetSource source, int port, Clock clock, FaultControl faults) throws IOException {
        return new DashboardServer(source, java.util.Objects.requireNonNull(faults, "faults"), clock, bind(port), true);
    }

    /** As {@link #start(FleetSource, int, Clock, FaultControl)}, without the ticker (tests). */
    static DashboardServer startWithoutTicker(FleetSource source, int port, Clock clock, FaultControl faults) throws IOException {
        return new DashboardServer(source, faults, clock, bind(port), false);
    }

    /** As {@link #start}, without the ticker: samples are taken by {@link #tick} only (tests). */
    static DashboardServer startWithoutTicker(FleetSource source, int port, Clock clock) throws IOException {
        return new DashboardServer(source, clock, bind(port), false);
    }

    private static HttpServer bind(int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http port: expected 0..65535, got " + port);
        }
        try {
            // Loopback only: the dashboard has no authentication, and shows every device id of the fleet.
            return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (BindException e) {
            throw new IOException("http port " + port + ": cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); choose another with --http-port, 0 for a free one", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT/}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    /** Samples the fleet now and publishes the snapshot to every stream. */
    FleetSnapshot tick() {
        FleetSample sample = source.sample(clock.instant());
        synchronized (this) {
            latest = history.add(sample);
            version++;
            notifyAll();
            return latest;
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            // A sample taken while the simulation shuts down may find parts closed; the next one tells.
            log.warn("dashboard sample failed error={}", e.toString());
        }
    }

    private synchronized FleetSnapshot latestOrNull() {
        return latest;
    }

    private void handle(HttpExchange exchange) {
        try {
            route(exchange);
        } catch (IOException e) {
            // The browser went away mid-answer: nothing to tell it.
            log.debug("dashboard answer not delivered path={} error={}", exchange.getRequestURI().getRawPath(), e.toString());
        } catch (RuntimeException e) {
            log.warn("dashboard request failed path={} error={}", exchange.getRequestURI().getRawPath(), e.toString());
            try {
                json(exchange, 500, DashboardJson.error("internal error: " + e));
            } catch (IOException | RuntimeException ignored) {
                // Headers may already be out; the connection is closed below either way.
            }
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (!isOwnHost(exchange.getRequestHeaders().getFirst("Host"))) {
            // A page on another site whose name resolves to 127.0.0.1 (DNS rebinding) must not read the fleet.
            json(exchange, 421, DashboardJson.error("host: expected 127.0.0.1:" + port() + " or localhost:" + port() + ", got "
                    + exchange.getRequestHeaders().getFirst("Host")));
            return;
        }
        if (path != null && path.startsWith("/api/faults")) {
            faults(exchange, method, path);
            return;
        }
        if (!method.equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            json(exchange, 405, DashboardJson.error("method: expected GET, got " + method));
            return;
        }
        if (path == null) {
            path = "/";
        }
        String resource = STATIC.get(path);
        if (resource != null) {
            resource(exchange, resource);
        } else if (path.equals("/api/fleet")) {
            FleetSnapshot snapshot = latestOrNull();
            if (snapshot == null) {
                snapshot = tick();
            }
            List<FleetHistory.PowerPoint> points;
            synchronized (this) {
                points = history.points();
            }
            json(exchange, 200, DashboardJson.fleet(snapshot, Optional.of(points)));
        } else if (path.startsWith("/api/meters/")) {
            meter(exchange, path.substring("/api/meters/".length()));
        } else if (path.equals("/events")) {
            events(exchange);
        } else {
            json(exchange, 404, DashboardJson.error("path: no such resource " + path));
        }
    }

    /**
     * {@code GET /api/faults}: the kinds on offer; {@code POST /api/faults/{kind}}: inject one. A
     * POST must carry {@code Content-Type: application/json}: a page on another site can send a
     * form or text/plain POST without asking, but a JSON one only after a CORS preflight (Fetch
     * standard, "CORS-safelisted request-header"), which this server never grants; an {@code Origin}
     * other than the dashboard's own is refused as well.
     */
    private void faults(HttpExchange exchange, String method, String path) throws IOException {
        if (faults == null) {
            json(exchange, 404, DashboardJson.error("path: this run takes no faults from the dashboard"));
            return;
        }
        if (path.equals("/api/faults") && method.equals("GET")) {
            com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            com.fasterxml.jackson.databind.node.ArrayNode kinds = body.putArray("kinds");
            faults.kinds().forEach(kinds::add);
            json(exchange, 200, body);
            return;
        }
        if (!path.startsWith("/api/faults/") || path.length() == "/api/faults/".length()) {
            json(exchange, 404, DashboardJson.error("path: expected /api/faults/{kind}, got " + printable(path)));
            return;
        }
        if (!method.equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            json(exchange, 405, DashboardJson.error("method: expected POST, got " + method));
            return;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !isOwnOrigin(origin)) {
            json(exchange, 403, DashboardJson.error("origin: expected http://127.0.0.1:" + port() + " or http://localhost:" + port()
                    + ", got " + printable(origin)));
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            json(exchange, 415, DashboardJson.error("content type: expected application/json, got " + (type == null ? "none"
                    : printable(type))));
            return;
        }
        byte[] raw = exchange.getRequestBody().readNBytes(MAX_FAULT_BODY + 1);
        if (raw.length > MAX_FAULT_BODY) {
            json(exchange, 413, DashboardJson.error("body: expected at most " + MAX_FAULT_BODY + " bytes, got more"));
            return;
        }
        String kind = path.substring("/api/faults/".length());
        switch (faults.inject(kind, new String(raw, StandardCharsets.UTF_8))) {
            case FaultControl.Outcome.Injected i -> {
                com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                body.put("id", i.id());
                body.put("injected", i.description());
                json(exchange, 200, body);
            }
            case FaultControl.Outcome.Refused r -> {
                com.fasterxml.jackson.databind.node.ObjectNode body = DashboardJson.error(String.join("; ", r.problems()));
                json(exchange, 400, body);
            }
        }
    }

    private boolean isOwnOrigin(String origin) {
        String o = origin.trim().toLowerCase(java.util.Locale.ROOT);
        return o.equals("http://127.0.0.1:" + port()) || o.equals("http://localhost:" + port());
    }

    private boolean isOwnHost(String host) {
        if (host == null) {
            return true; // HTTP/1.0 clients send none; they cannot be a browser page rebinding a name.
        }
        String h = host.trim().toLowerCase(java.util.Locale.ROOT);
        String port = ":" + port();
        return h.equals("127.0.0.1" + port) || h.equals("localhost" + port) || h.equals("127.0.0.1") || h.equals("localhost");
    }

    private void meter(HttpExchange exchange, String id) throws IOException {
        if (!HEX_ID.matcher(id).matches()) {
            json(exchange, 400, DashboardJson.error("device id: expected " + 2 * DeviceId.LENGTH + " hex characters, got \""
                    + printable(id) + "\""));
            return;
        }
        DeviceId device = DeviceId.of(HexFormat.of().parseHex(id.toLowerCase(java.util.Locale.ROOT)));
        Optional<MeterDetail> detail = source.meter(device);
        if (detail.isEmpty()) {
            json(exchange, 404, DashboardJson.error("device id: " + device.hex() + " is not a meter of this fleet"));
            return;
        }
        json(exchange, 200, DashboardJson.meterDetail(detail.get()));
    }

    /** At most 80 characters of what was asked for, control characters shown as '?'. */
    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) || c == '"' ? '?' : c));
        return b.toString();
    }

    /**
     * One {@code fleet} event per snapshot until the browser goes or the server closes (WHATWG HTML,
     * "Server-sent events": {@code event:} and {@code data:} lines, a blank line ends an event; a
     * line starting with a colon is a comment). {@code retry: 1000} makes a browser whose stream
     * broke reconnect after a second.
     */
    private void events(HttpExchange exchange) throws IOException {
        boolean open;
        synchronized (this) {
            open = !closed;
            if (open) {
                streams++;
            }
        }
        if (!open) {
            json(exchange, 503, DashboardJson.error("the dashboard is closing"));
            return;
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            // Version 0 is "no snapshot yet": the stream starts with the newest snapshot once there is one.
            stream(out, 0);
            out.close();
        } finally {
            synchronized (this) {
                streams--;
                notifyAll();
            }
        }
    }

    private void stream(OutputStream out, long seen) throws IOException {
        while (true) {
            FleetSnapshot next;
            synchronized (this) {
                long deadline = System.nanoTime() + KEEP_ALIVE.toNanos();
                while (!closed && version == seen && System.nanoTime() < deadline) {
                    try {
                        wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                next = version == seen ? null : latest;
                seen = version;
            }
            if (next == null) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            } else {
                // JSON written by Jackson holds no raw newline, so the snapshot is one data line.
                out.write(("event: fleet\ndata: ").getBytes(StandardCharsets.UTF_8));
                out.write(DashboardJson.bytes(DashboardJson.fleet(next, Optional.empty())));
                out.write("\n\n".getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        }
    }

    private static void resource(HttpExchange exchange, String name) throws IOException {
        byte[] body;
        try (InputStream in = DashboardServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                json(exchange, 404, DashboardJson.error("path: " + name + " is missing from the simulator's jar"));
                return;
            }
            body = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        send(exchange, 200, type, body);
    }

    private static void json(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", DashboardJson.bytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Ends every stream, stops listening and the ticker; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
            // Each stream sees the flag, returns, and its exchange ends the chunked body properly.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (streams > 0 && System.nanoTime() < deadline) {
                try {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        server.stop(0);
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(5, TimeUnit.SECONDS)) {
                handlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
