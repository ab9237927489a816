package io.wattproof.simulator.ledger.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.simulator.ledger.LedgerException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * CometBFT's JSON-RPC over HTTP in its URI form ({@code GET /method?arg=value}; CometBFT
 * rpc/jsonrpc/server/http_uri_handler.go): one request, the {@code result} of the answer, or a
 * {@link RpcError} carrying the node's {@code error} object. Thread-safe.
 */
final class JsonRpcClient implements AutoCloseable {
    /** A block of 10,000 transactions with proofs is far below this; more is not a node's answer. */
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Duration timeout;
    private final HttpClient http;

    JsonRpcClient(URI endpoint, Duration timeout) {
        String b = endpoint.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    String base() {
        return base;
    }

    /** The JSON-RPC error object of a node's answer: {@code code}, {@code message}, {@code data}. */
    static final class RpcError extends LedgerException {
        final int code;
        final String data;

        RpcError(String request, int code, String message, String data) {
            super(request + ": the node answered with error " + code + " " + message + (data.isEmpty() ? "" : ": " + data));
            this.code = code;
            this.data = data;
        }
    }

    /** GETs {@code request} (path and query) and returns the answer's {@code result}. */
    JsonNode call(String request) throws LedgerException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + request)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new LedgerException(request + ": cannot reach the node at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException(request + ": interrupted", e);
        }
        byte[] body = response.body();
        if (body.length > MAX_BODY_BYTES) {
            throw new LedgerException(request + ": answer of " + body.length + " bytes, more than the " + MAX_BODY_BYTES
                    + " a node's answer may have");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new LedgerException(request + ": HTTP " + response.statusCode() + " with a body that is not JSON ("
                    + e.getMessage() + "); is " + base + " a CometBFT RPC endpoint?", e);
        }
        return result(request, response.statusCode(), root);
    }

    /** The {@code result} of a JSON-RPC answer (HTTP or WebSocket), or its error as {@link RpcError}. */
    static JsonNode result(String request, int status, JsonNode root) throws LedgerException {
        if (root == null || !root.isObject()) {
            throw new LedgerException(request + ": expected a JSON-RPC object, got " + (root == null ? "nothing" : root.getNodeType()));
        }
        JsonNode error = root.get("error");
        if (error != null && !error.isNull() && !(error.isTextual() && error.asText().isEmpty())) {
            if (error.isTextual()) {
                throw new RpcError(request, 0, error.asText(), "");
            }
            throw new RpcError(request, error.path("code").asInt(0), error.path("message").asText(""), error.path("data").asText(""));
        }
        if (status != 200) {
            throw new LedgerException(request + ": HTTP " + status + " without a JSON-RPC error");
        }
        JsonNode result = root.get("result");
        if (result == null) {
            throw new LedgerException(request + ": a JSON-RPC answer has a result or an error, got neither");
        }
        return result;
    }

    @Override
    public void close() {
        http.close();
    }
}
