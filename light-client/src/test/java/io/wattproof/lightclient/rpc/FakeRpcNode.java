package io.wattproof.lightclient.rpc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A local HTTP server that replays recorded RPC answers by request ({@code /commit?height=3}); a
 * request nobody recorded gets HTTP 404, as a route CometBFT does not have. Records every request.
 */
final class FakeRpcNode implements AutoCloseable {
    /** A recorded answer; {@code chunked} sends it without Content-Length, {@code hang} never answers. */
    record Reply(int status, byte[] body, boolean chunked, boolean hang) {
        static Reply json(String body) {
            return new Reply(200, body.getBytes(StandardCharsets.UTF_8), false, false);
        }

        static Reply status(int status, String body) {
            return new Reply(status, body.getBytes(StandardCharsets.UTF_8), false, false);
        }
    }

    private final HttpServer server;
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    FakeRpcNode() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    FakeRpcNode reply(String request, Reply reply) {
        replies.put(request, reply);
        return this;
    }

    FakeRpcNode json(String request, String body) {
        return reply(request, Reply.json(body));
    }

    /** A 500 carrying a JSON-RPC error, as CometBFT answers failed URI requests. */
    FakeRpcNode error(String request, String body) {
        return reply(request, new Reply(500, body.getBytes(StandardCharsets.UTF_8), false, false));
    }

    FakeRpcNode resource(String request, String name) {
        return json(request, resourceText(name));
    }

    static String resourceText(String name) {
        try (InputStream in = FakeRpcNode.class.getResourceAsStream("/rpc/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /rpc/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        String raw = ex.getRequestURI().getRawQuery();
        String request = ex.getRequestURI().getRawPath() + (raw == null ? "" : "?" + raw);
        requests.add(request);
        Reply r = replies.getOrDefault(request, Reply.status(404, "404 page not found\n"));
        try (ex) {
            if (r.hang()) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(r.status(), r.chunked() ? 0 : r.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(r.body());
            } catch (IOException e) {
                // The client hung up on a body it refused; nothing left to do.
            }
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
