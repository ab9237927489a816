package io.wattproof.lightclient.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.json.CometJson;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Interprets the node's answers, without I/O: the JSON-RPC envelope and its errors, {@code /commit},
 * one page of {@code /validators} and {@code /status}. Every problem becomes the
 * {@link ProviderException} the provider throws.
 */
final class RpcAnswers {
    private RpcAnswers() {}

    /** One page of {@code /validators}: {@code block_height}, {@code count}, {@code total} and the validators. */
    record ValidatorsPage(long blockHeight, long count, long total, List<Validator> validators) {}

    /**
     * The {@code result} of an answer, or the exception its error or status calls for. CometBFT answers
     * a failed URI request with HTTP 500 and {@code {"error": {"code", "message", "data"}}}
     * (rpc/jsonrpc/server/http_uri_handler.go); the height errors are rpc/core/env.go {@code getHeight}.
     *
     * @param request what was asked, for messages, e.g. {@code /commit?height=5}
     * @param height the height asked for, for {@link ProviderException.NotFound}
     * @return the result node; JSON {@code null} when the node answered {@code "result": null}
     */
    static JsonNode result(String provider, String request, long height, int status, byte[] body) throws ProviderException {
        JsonNode root = null;
        MalformedInputException notJson = null;
        try {
            root = CometJson.parse(new String(body, StandardCharsets.UTF_8), request);
        } catch (MalformedInputException e) {
            notJson = e;
        }
        if (root != null && root.isObject() && root.hasNonNull("error")
                && !(root.get("error").isTextual() && root.get("error").asText().isEmpty())) {
            throw rpcError(provider, request, height, root.get("error"));
        }
        if (status != 200) {
            String what = request + ": HTTP " + status;
            if (status >= 500 || status == 429 || status == 408) {
                throw new ProviderException.Unavailable(provider, what, null);
            }
            throw new ProviderException.BadResponse(provider, what + " (not a CometBFT RPC endpoint?)", null);
        }
        if (notJson != null) {
            throw new ProviderException.BadResponse(provider, notJson.getMessage(), notJson);
        }
        if (!root.isObject() || !root.has("result")) {
            throw new ProviderException.BadResponse(provider, request + ": a JSON-RPC answer has a result or an error, got neither", null);
        }
        return root.get("result");
    }

    /**
     * Heights the node does not have are {@link ProviderException.NotFound}: above its latest height
     * ("height X must be less than or equal to the current blockchain height Y") or below its pruned
     * base ("height X is not available, lowest height is B"; older releases: "must be greater than or
     * equal to"). Any other error is the node failing to serve, {@link ProviderException.Unavailable}.
     */
    private static ProviderException rpcError(String provider, String request, long height, JsonNode error) {
        String message = (error.path("message").asText("") + ": " + error.path("data").asText("")).strip();
        if (error.isTextual()) {
            message = error.asText();
        }
        String abbreviated = message.length() > 200 ? message.substring(0, 197) + "..." : message;
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("must be less than or equal to the current blockchain height")
                || lower.contains("is not available, lowest height is")
                || lower.contains("must be greater than or equal to")) {
            return new ProviderException.NotFound(provider, height, request + ": " + abbreviated);
        }
        return new ProviderException.Unavailable(provider, request + ": the node answered with an error: " + abbreviated, null);
    }

    /** The signed header of a {@code /commit} result, which must be for {@code chainId} at {@code height}. */
    static SignedHeader commit(String provider, String request, String chainId, long height, JsonNode result)
            throws ProviderException {
        if (result == null || result.isNull()) {
            // rpc/core/blocks.go Commit returns no result when the block store has no meta for the height.
            throw new ProviderException.NotFound(provider, height, request + ": the node returned no commit");
        }
        JsonNode sh = result.get("signed_header");
        if (sh == null || sh.isNull()) {
            throw new ProviderException.BadResponse(provider, request + ": result.signed_header: missing", null);
        }
        SignedHeader signed;
        try {
            signed = CometJson.signedHeader(sh, "result.signed_header");
        } catch (MalformedInputException e) {
            throw new ProviderException.BadResponse(provider, request + ": " + e.getMessage(), e);
        }
        if (!signed.header().chainId().equals(chainId)) {
            throw new ProviderException.BadResponse(provider, request + ": result.signed_header.header.chain_id: expected \""
                    + chainId + "\", got \"" + signed.header().chainId() + "\"", null);
        }
        if (signed.header().height() != height) {
            throw new ProviderException.BadResponse(provider, request + ": result.signed_header.header.height: expected "
                    + height + ", got " + signed.header().height(), null);
        }
        if (signed.commit().height() != height) {
            throw new ProviderException.BadResponse(provider, request + ": result.signed_header.commit.height: expected "
                    + height + ", got " + signed.commit().height(), null);
        }
        return signed;
    }

    static ValidatorsPage validatorsPage(String provider, String request, JsonNode result) throws ProviderException {
        try {
            if (result == null || !result.isObject()) {
                throw new MalformedInputException("result", "expected an object");
            }
            JsonNode vals = result.get("validators");
            if (vals == null || !vals.isArray()) {
                throw new MalformedInputException("result.validators", "expected an array");
            }
            List<Validator> list = new ArrayList<>();
            for (int i = 0; i < vals.size(); i++) {
                list.add(CometJson.validator(vals.get(i), "result.validators[" + i + "]"));
            }
            return new ValidatorsPage(
                    requiredInt64(result, "block_height"), requiredInt64(result, "count"), requiredInt64(result, "total"), list);
        } catch (MalformedInputException e) {
            throw new ProviderException.BadResponse(provider, request + ": " + e.getMessage(), e);
        }
    }

    /** {@code result.sync_info.latest_block_height} of {@code /status}, after checking {@code node_info.network}. */
    static long latestHeight(String provider, String request, String chainId, JsonNode result) throws ProviderException {
        try {
            if (result == null || !result.isObject()) {
                throw new MalformedInputException("result", "expected an object");
            }
            JsonNode network = result.path("node_info").path("network");
            if (!network.isTextual()) {
                throw new MalformedInputException("result.node_info.network", "missing");
            }
            if (!network.asText().equals(chainId)) {
                throw new ProviderException.BadResponse(provider, request + ": result.node_info.network: expected \""
                        + chainId + "\", got \"" + network.asText() + "\"", null);
            }
            JsonNode sync = result.get("sync_info");
            if (sync == null || !sync.isObject()) {
                throw new MalformedInputException("result.sync_info", "missing");
            }
            JsonNode h = sync.get("latest_block_height");
            if (h == null || h.isNull()) {
                throw new MalformedInputException("result.sync_info.latest_block_height", "missing");
            }
            return CometJson.int64(h, "result.sync_info.latest_block_height");
        } catch (MalformedInputException e) {
            throw new ProviderException.BadResponse(provider, request + ": " + e.getMessage(), e);
        }
    }

    private static long requiredInt64(JsonNode node, String name) throws MalformedInputException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new MalformedInputException("result." + name, "missing");
        }
        return CometJson.int64(v, "result." + name);
    }
}
