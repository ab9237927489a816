package io.wattproof.simulator.ledger.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.json.CometJsonWriter;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.protocol.v1.TxResultCode;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.LedgerException;
import io.wattproof.simulator.ledger.chain.ReferenceLedger;
import io.wattproof.lightclient.json.ConsensusParams;
import io.wattproof.simulator.ledger.TxResult;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The answers of {@link CometRpcServer}, route by route, from the reference ledger. Shapes follow
 * CometBFT v0.38's rpc/core result types ({@code ResultStatus}, {@code ResultGenesis},
 * {@code ResultCommit}, {@code ResultValidators}, {@code ResultBlock}, {@code ResultTx},
 * {@code ResultBroadcastTx}); numbers CometBFT encodes as strings (int64) are strings, hashes
 * upper-case hex, bytes base64.
 */
public final class CometRpcSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** rpc/core/env.go: {@code defaultPerPage} 30, {@code maxPerPage} 100. */
    private static final int DEFAULT_PER_PAGE = 30;
    private static final int MAX_PER_PAGE = 100;

    private final ReferenceLedger node;
    private final JsonNode genesis;

    /** Thrown for a path that is not a served method (HTTP 404, JSON-RPC -32601). */
    static final class NotFoundRoute extends Exception {
        NotFoundRoute(String path) {
            super("method " + path + " is not served (served: /status /genesis /commit /validators /block /block_results /tx /broadcast_tx_sync)");
        }
    }

    public CometRpcSource(ReferenceLedger ledger) {
        this.node = ledger;
        this.genesis = parse(CometJsonWriter.genesis(ledger.genesis(), ledger.genesisTime(), ledger.genesisAppHash(),
                ConsensusParams.DEFAULT)).path("result");
    }

    AutoCloseable onCommit(Consumer<CommittedBlock> listener) {
        return node.onCommit(listener);
    }

    JsonNode answer(String path, Map<String, List<String>> params) throws LedgerException, NotFoundRoute {
        return switch (path) {
            case "/status" -> status();
            case "/genesis" -> genesis;
            case "/commit" -> commit(height(params));
            case "/validators" -> validators(height(params), intParam(params, "page", 1), intParam(params, "per_page", DEFAULT_PER_PAGE));
            case "/block" -> block(height(params));
            case "/block_results" -> blockResults(height(params));
            case "/tx" -> tx(bytesParam(params, "hash"), param(params, "prove").map("true"::equals).orElse(false));
            case "/broadcast_tx_sync" -> broadcast(bytesParam(params, "tx"));
            default -> throw new NotFoundRoute(path);
        };
    }

    private ObjectNode status() throws LedgerException {
        long latest = node.latestHeight();
        ObjectNode result = JSON.createObjectNode();
        ObjectNode info = result.putObject("node_info");
        info.put("network", node.chainId());
        info.put("moniker", "wattproof-reference-ledger");
        info.put("version", "wattproof-reference-ledger");
        ObjectNode protocol = info.putObject("protocol_version");
        protocol.put("p2p", "8");
        protocol.put("block", "11");
        protocol.put("app", "0");
        ObjectNode sync = result.putObject("sync_info");
        sync.put("earliest_block_height", "1");
        sync.put("latest_block_height", Long.toString(latest));
        Optional<LightBlock> top = latest < 1 ? Optional.empty() : node.lightBlock(latest);
        if (top.isPresent()) {
            sync.put("latest_block_hash", Hashes.header(top.get().header()).hex().toUpperCase(java.util.Locale.ROOT));
            sync.put("latest_app_hash", top.get().header().appHash().hex().toUpperCase(java.util.Locale.ROOT));
            sync.put("latest_block_time", CometJsonWriter.time(top.get().header().time()));
        }
        sync.put("catching_up", false);
        return result;
    }

    /** A missing or empty height means the latest, as in CometBFT (rpc/core/env.go {@code getHeight}). */
    private long height(Map<String, List<String>> params) throws LedgerException {
        long latest = node.latestHeight();
        Optional<String> h = param(params, "height");
        if (h.isEmpty() || h.get().isEmpty()) {
            return latest;
        }
        long height;
        try {
            height = Long.parseLong(h.get());
        } catch (NumberFormatException e) {
            throw new LedgerException("height: expected an integer, got '" + h.get() + "'");
        }
        if (height <= 0) {
            throw new LedgerException("height must be greater than 0, but got " + height);
        }
        if (height > latest) {
            throw new LedgerException("height " + height + " must be less than or equal to the current blockchain height " + latest);
        }
        return height;
    }

    private LightBlock lightBlock(long height) throws LedgerException {
        return node.lightBlock(height).orElseThrow(() -> new LedgerException("height " + height + " is not available"));
    }

    private JsonNode commit(long height) throws LedgerException {
        LightBlock b = lightBlock(height);
        boolean canonical = height < node.latestHeight();
        return parse(CometJsonWriter.commit(b.signedHeader(), canonical)).path("result");
    }

    /** One page of the set at {@code height}, validators in the set's order (rpc/core/consensus.go {@code Validators}). */
    private JsonNode validators(long height, int page, int perPage) throws LedgerException {
        List<Validator> all = lightBlock(height).validators().validators();
        int per = Math.max(1, Math.min(MAX_PER_PAGE, perPage));
        int pages = Math.max(1, (all.size() + per - 1) / per);
        if (page < 1 || page > pages) {
            throw new LedgerException("page should be within [1, " + pages + "] range, given " + page);
        }
        List<Validator> slice = all.subList((page - 1) * per, Math.min(all.size(), page * per));
        ObjectNode result = JSON.createObjectNode();
        result.put("block_height", Long.toString(height));
        ArrayNode vals = result.putArray("validators");
        slice.forEach(v -> vals.add(CometJsonWriter.validator(v)));
        result.put("count", Integer.toString(slice.size()));
        result.put("total", Integer.toString(all.size()));
        return result;
    }

    private ObjectNode block(long height) throws LedgerException {
        CommittedBlock committed = node.committedBlock(height)
                .orElseThrow(() -> new LedgerException("height " + height + " is not available"));
        LightBlock b = lightBlock(height);
        ObjectNode result = JSON.createObjectNode();
        result.set("block_id", CometJsonWriter.blockId(b.commit().blockId()));
        ObjectNode block = result.putObject("block");
        block.set("header", CometJsonWriter.header(b.header()));
        ArrayNode txs = block.putObject("data").putArray("txs");
        for (IncludedTx tx : committed.txs()) {
            txs.add(Base64.getEncoder().encodeToString(tx.tx()));
        }
        block.putObject("evidence").putArray("evidence");
        if (height > 1) {
            block.set("last_commit", CometJsonWriter.commit(lightBlock(height - 1).commit()));
        } else {
            block.putNull("last_commit");
        }
        return result;
    }

    /**
     * {@code /block_results?height=H} (CometBFT 0.38 {@code ResultBlockResults}): the block's
     * {@code txs_results} in block order, gas as int64 strings, null for a block without
     * transactions as a Go nil slice is written.
     */
    private ObjectNode blockResults(long height) throws LedgerException {
        CommittedBlock committed = node.committedBlock(height)
                .orElseThrow(() -> new LedgerException("height " + height + " is not available"));
        ObjectNode result = JSON.createObjectNode();
        result.put("height", Long.toString(height));
        if (committed.txs().isEmpty()) {
            result.putNull("txs_results");
        } else {
            ArrayNode list = result.putArray("txs_results");
            for (IncludedTx tx : committed.txs()) {
                ObjectNode r = txResult(tx.result());
                r.put("gas_wanted", "0");
                r.put("gas_used", "0");
                r.putArray("events");
                list.add(r);
            }
        }
        result.putArray("finalize_block_events");
        result.putNull("validator_updates");
        result.putNull("consensus_param_updates");
        return result;
    }

    /** The {@code value} of a NewBlock event (types/events.go {@code EventDataNewBlock}): the block and its id. */
    JsonNode newBlockEvent(long height) throws LedgerException {
        ObjectNode b = block(height);
        ObjectNode value = JSON.createObjectNode();
        value.set("block", b.get("block"));
        value.set("block_id", b.get("block_id"));
        value.putObject("result_finalize_block");
        return value;
    }

    private ObjectNode tx(byte[] hash, boolean prove) throws LedgerException {
        IncludedTx tx = node.findTx(hash).orElseThrow(() -> new LedgerException("tx (" + HEX.formatHex(hash) + ") not found"));
        ObjectNode result = JSON.createObjectNode();
        result.put("hash", HEX.formatHex(tx.hash()));
        result.put("height", Long.toString(tx.height()));
        result.put("index", tx.index());
        result.set("tx_result", txResult(tx.result()));
        result.put("tx", Base64.getEncoder().encodeToString(tx.tx()));
        if (prove) {
            ObjectNode proof = result.putObject("proof");
            proof.put("root_hash", tx.proof().rootHash().hex().toUpperCase(java.util.Locale.ROOT));
            proof.put("data", Base64.getEncoder().encodeToString(tx.proof().data().toArray()));
            ObjectNode merkle = proof.putObject("proof");
            merkle.put("total", Long.toString(tx.proof().total()));
            merkle.put("index", Long.toString(tx.proof().index()));
            merkle.put("leaf_hash", Base64.getEncoder().encodeToString(tx.proof().leafHash().toArray()));
            ArrayNode aunts = merkle.putArray("aunts");
            for (Bytes a : tx.proof().aunts()) {
                aunts.add(Base64.getEncoder().encodeToString(a.toArray()));
            }
        }
        return result;
    }

    /**
     * {@code broadcast_tx_sync}. A transaction already in a block is refused the way a node's mempool
     * cache refuses it, with the error "tx already exists in cache" (mempool/errors.go).
     */
    private ObjectNode broadcast(byte[] tx) throws LedgerException {
        TxResult r = node.submit(tx);
        if (r.code() == TxResultCode.RESULT_ALREADY_INCLUDED_VALUE) {
            throw new LedgerException("tx already exists in cache");
        }
        ObjectNode result = txResult(r);
        result.put("hash", HEX.formatHex(io.wattproof.lightclient.tx.TxInclusion.txHash(Bytes.of(tx)).toArray()));
        return result;
    }

    private static ObjectNode txResult(TxResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", r.code());
        o.put("data", Base64.getEncoder().encodeToString(r.data()));
        o.put("log", r.log());
        o.put("codespace", "");
        return o;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("the writer's own output parses", e);
        }
    }

    private static Optional<String> param(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        String v = values.get(0);
        // URI arguments may be quoted strings (rpc/jsonrpc/server/http_uri_handler.go).
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        return Optional.of(v);
    }

    private static int intParam(Map<String, List<String>> params, String name, int dflt) throws LedgerException {
        Optional<String> v = param(params, name);
        if (v.isEmpty() || v.get().isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new LedgerException(name + ": expected an integer, got '" + v.get() + "'");
        }
    }

    /** Bytes as CometBFT takes them in a URI: {@code 0x}-prefixed hex, or a quoted base64 string. */
    private static byte[] bytesParam(Map<String, List<String>> params, String name) throws LedgerException {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
            throw new LedgerException(name + ": missing");
        }
        String v = values.get(0);
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) {
                return HexFormat.of().parseHex(v.substring(2));
            }
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                return Base64.getDecoder().decode(v.substring(1, v.length() - 1));
            }
            return HexFormat.of().parseHex(v);
        } catch (IllegalArgumentException e) {
            throw new LedgerException(name + ": expected 0x-prefixed hex or a quoted base64 string, got '"
                    + (v.length() > 40 ? v.substring(0, 37) + "..." : v) + "'");
        }
    }
}
