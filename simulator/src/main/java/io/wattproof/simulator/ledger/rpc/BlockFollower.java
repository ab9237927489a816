package io.wattproof.simulator.ledger.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.LedgerException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a CometBFT node's committed blocks and hands each one, in height order and exactly once,
 * to a listener. The node's WebSocket subscription to {@code tm.event='NewBlock'} (CometBFT
 * rpc/core/events.go {@code Subscribe}) says when a block is there; the block itself, with each
 * transaction's result and proof, is then fetched over HTTP. Events only wake the follower: the
 * heights it delivers come from {@code /status}, so a lost event, a dropped WebSocket or a node
 * without one (it falls back to asking {@code /status} every poll interval) delays a block but
 * never skips it.
 */
final class BlockFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BlockFollower.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INDEX_WAIT = Duration.ofSeconds(5);

    private final CometRpcNode node;
    private final Consumer<CommittedBlock> listener;
    private final Duration pollInterval;
    private final LinkedBlockingQueue<Long> wakeUps = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile boolean closed;
    private volatile WebSocket socket;
    private long delivered;

    BlockFollower(CometRpcNode node, Consumer<CommittedBlock> listener, long deliveredUpTo, Duration pollInterval) {
        this.node = node;
        this.listener = listener;
        this.delivered = deliveredUpTo;
        this.pollInterval = pollInterval;
        this.thread = Thread.ofPlatform().name("comet-block-follower").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!closed) {
            if (socket == null) {
                connect();
            }
            try {
                wakeUps.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            wakeUps.clear();
            try {
                long latest = node.latestHeight();
                while (!closed && delivered < latest) {
                    CommittedBlock block = node.committed(delivered + 1, INDEX_WAIT);
                    delivered++;
                    try {
                        listener.accept(block);
                    } catch (RuntimeException e) {
                        log.error("block listener failed height={} error={}", block.height(), e.toString(), e);
                    }
                }
            } catch (LedgerException e) {
                log.warn("following node {} failed at height {}: {}; trying again", node.endpoint(), delivered + 1, e.getMessage());
            }
        }
    }

    /** Opens the WebSocket and subscribes; on failure the follower keeps polling and tries again next round. */
    private void connect() {
        try {
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(node.websocketUri(), new Events()).get(10, TimeUnit.SECONDS);
            // rpc/jsonrpc: JSON-RPC 2.0 over the socket; the query language is CometBFT's pubsub query.
            ws.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"id\":1,\"params\":{\"query\":\"tm.event='NewBlock'\"}}", true);
            socket = ws;
            log.info("subscribed to new blocks at {}", node.websocketUri());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.debug("websocket {} not available ({}); asking /status every {} ms", node.websocketUri(), e.toString(),
                    pollInterval.toMillis());
        }
    }

    /** Collects a text message (it may come in several frames) and wakes the follower for each new block event. */
    private final class Events implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                onMessage(message);
            }
            ws.request(1);
            return null;
        }

        private void onMessage(String message) {
            try {
                JsonNode root = JSON.readTree(message);
                JsonNode result = JsonRpcClient.result("websocket", 200, root);
                JsonNode header = result.path("data").path("value").path("block").path("header");
                if ("tendermint/event/NewBlock".equals(result.path("data").path("type").asText())) {
                    wakeUps.add(header.path("height").asLong(0));
                }
            } catch (IOException | LedgerException e) {
                log.warn("websocket {}: not an event: {}", node.websocketUri(), e.getMessage());
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            socket = null;
            log.warn("websocket {} closed code={} reason={}", node.websocketUri(), statusCode, reason);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            socket = null;
            log.warn("websocket {} failed: {}", node.websocketUri(), error.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
