package io.wattproof.simulator.ledger.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.json.CometJson;
import io.wattproof.lightclient.json.TxJson;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.rpc.RpcProvider;
import io.wattproof.lightclient.rpc.RpcProviderConfig;
import io.wattproof.lightclient.encoding.Protobuf;
import io.wattproof.lightclient.tx.IndexedTx;
import io.wattproof.lightclient.tx.ResultProof;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.protocol.v1.TxResultCode;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.LedgerException;
import io.wattproof.simulator.ledger.LedgerNode;
import io.wattproof.simulator.ledger.TxResult;
import io.wattproof.simulator.ledger.chain.BlockHashes;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A CometBFT node reached over its RPC (CometBFT rpc/core, v0.37 and v0.38): the gateway's
 * {@link LedgerNode} when the energy application runs behind a real CometBFT network instead of the
 * reference ledger. Calls used: {@code /status}, {@code /broadcast_tx_sync}, {@code /commit} and
 * {@code /validators} (through the light client's {@link RpcProvider}), {@code /tx?prove=true},
 * {@code /block}, {@code /block_results} (for the results proofs, {@link #resultProofs}), and the WebSocket subscription to {@code tm.event='NewBlock'}
 * ({@link BlockFollower}).
 *
 * <p>Nothing the node answers is trusted further than the gateway passes it on: devices verify
 * every header and proof themselves. Answers are still checked for shape, and a proof that does
 * not lead from its transaction to its own root is refused here already, so an honest gateway does
 * not forward a broken node's garbage.
 */
public final class CometRpcNode implements LedgerNode {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final URI endpoint;
    private final String chainId;
    private final JsonRpcClient rpc;
    private final RpcProvider blocks;
    private final Duration pollInterval;
    private volatile BlockResults lastResults;

    private CometRpcNode(URI endpoint, String chainId, JsonRpcClient rpc, RpcProvider blocks, Duration pollInterval) {
        this.endpoint = endpoint;
        this.chainId = chainId;
        this.rpc = rpc;
        this.blocks = blocks;
        this.pollInterval = pollInterval;
    }

    /**
     * Connects to the node at {@code endpoint} (e.g. {@code http://127.0.0.1:26657}) and checks that
     * it serves {@code chainId}.
     *
     * @param pollInterval how often the block follower asks {@code /status} when no event arrives
     *     (the WebSocket may be down or events lost); about the chain's block time
     */
    public static CometRpcNode connect(URI endpoint, String chainId, Duration timeout, Duration pollInterval) throws LedgerException {
        JsonRpcClient rpc = new JsonRpcClient(endpoint, timeout);
        try {
            JsonNode status = rpc.call("/status");
            String network = status.path("node_info").path("network").asText("");
            if (!network.equals(chainId)) {
                throw new LedgerException("/status: node_info.network: expected chain " + chainId + ", got '" + network + "'");
            }
            RpcProvider provider = new RpcProvider(RpcProviderConfig.builder(endpoint, chainId).requestTimeout(timeout).build());
            return new CometRpcNode(endpoint, chainId, rpc, provider, pollInterval);
        } catch (LedgerException | RuntimeException e) {
            rpc.close();
            throw e;
        }
    }

    @Override
    public String chainId() {
        return chainId;
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * {@code broadcast_tx_sync}: the CheckTx result. A node refuses a transaction its mempool cache
     * has seen with the error "tx already exists in cache" (mempool/errors.go
     * {@code ErrTxInCache}); that is answered here as RESULT_ALREADY_INCLUDED when the transaction
     * is in a block, else as accepted (it waits in the mempool).
     */
    @Override
    public TxResult submit(byte[] tx) throws LedgerException {
        String request = "/broadcast_tx_sync?tx=0x" + HEX.formatHex(tx);
        JsonNode result;
        try {
            result = rpc.call(request);
        } catch (JsonRpcClient.RpcError e) {
            if (e.data.toLowerCase(Locale.ROOT).contains("already exists in cache")) {
                Optional<IncludedTx> included = findTx(TxInclusion.txHash(Bytes.of(tx)).toArray());
                return included.isPresent()
                        ? TxResult.refused(TxResultCode.RESULT_ALREADY_INCLUDED_VALUE, "already in block "
                                + included.get().height() + " at index " + included.get().index())
                        : TxResult.ok();
            }
            throw e;
        }
        return txResult(result, "/broadcast_tx_sync");
    }

    @Override
    public long latestHeight() throws LedgerException {
        JsonNode status = rpc.call("/status");
        try {
            return CometJson.int64(status.path("sync_info").get("latest_block_height"), "/status: sync_info.latest_block_height");
        } catch (MalformedInputException e) {
            throw new LedgerException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<LightBlock> lightBlock(long height) throws LedgerException {
        if (height < 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(blocks.lightBlock(height));
        } catch (ProviderException.NotFound e) {
            return Optional.empty();
        } catch (ProviderException e) {
            throw new LedgerException(e.getMessage(), e);
        }
    }

    /** {@code /tx?hash=0x..&prove=true}; a node that has not indexed the hash answers "tx (HASH) not found". */
    @Override
    public Optional<IncludedTx> findTx(byte[] txHash) throws LedgerException {
        String request = "/tx?hash=0x" + HEX.formatHex(txHash) + "&prove=true";
        JsonNode result;
        try {
            result = rpc.call(request);
        } catch (JsonRpcClient.RpcError e) {
            if (e.data.toLowerCase(Locale.ROOT).contains("not found")) {
                return Optional.empty();
            }
            throw e;
        }
        IndexedTx indexed;
        try {
            indexed = TxJson.indexedTx(result, request);
        } catch (MalformedInputException e) {
            throw new LedgerException(e.getMessage(), e);
        }
        if (!indexed.hash().equals(Bytes.of(txHash))) {
            throw new LedgerException(request + ": hash: expected " + HEX.formatHex(txHash) + ", got " + indexed.hash().hex());
        }
        var verdict = TxInclusion.verify(indexed);
        if (!verdict.isVerified()) {
            throw new LedgerException(request + ": the node's proof does not verify: " + verdict);
        }
        TxResult txResult = txResult(result.path("tx_result"), request + ": tx_result");
        List<ResultProof> results = resultProofs(indexed.height());
        if (indexed.index() < 0 || indexed.index() >= results.size()) {
            throw new LedgerException(request + ": index: expected below the " + results.size() + " results of block "
                    + indexed.height() + " (/block_results), got " + indexed.index());
        }
        ResultProof resultProof = results.get(Math.toIntExact(indexed.index()));
        long provenCode;
        try {
            provenCode = Protobuf.execTxResult(resultProof.result().toArray()).code();
        } catch (MalformedInputException e) {
            throw new IllegalStateException("results encoded here decode", e);
        }
        if (provenCode != Integer.toUnsignedLong(txResult.code())) {
            throw new LedgerException(request + ": tx_result.code: expected " + provenCode + " (/block_results?height="
                    + indexed.height() + ", txs_results[" + indexed.index() + "]), got " + Integer.toUnsignedString(txResult.code()));
        }
        return Optional.of(new IncludedTx(indexed.height(), Math.toIntExact(indexed.index()), indexed.tx().toArray(), txHash,
                txResult, indexed.proof().orElseThrow(), resultProof));
    }

    /**
     * The proof of every result of block {@code height} against the next header's
     * {@code last_results_hash}. A node serves no such proof, so it is built here from all of the
     * block's results ({@code /block_results?height=H}, {@code txs_results}: code, data, gas_wanted,
     * gas_used are the deterministic fields, types/results.go); the device checks it against a
     * header it verified itself, so building it here needs no trust in the node. Blocks never change
     * once committed, so the last block's answer is kept for its other transactions.
     */
    List<ResultProof> resultProofs(long height) throws LedgerException {
        BlockResults cached = lastResults;
        if (cached != null && cached.height() == height) {
            return cached.proofs();
        }
        String request = "/block_results?height=" + height;
        JsonNode list = rpc.call(request).path("txs_results");
        List<byte[]> leaves = new ArrayList<>();
        // A block without transactions has "txs_results": null (a Go nil slice).
        if (list.isArray()) {
            for (int i = 0; i < list.size(); i++) {
                leaves.add(deterministicResult(list.get(i), request + ": txs_results[" + i + "]"));
            }
        } else if (!list.isMissingNode() && !list.isNull()) {
            throw new LedgerException(request + ": txs_results: expected an array or null, got " + list.getNodeType());
        }
        List<ResultProof> proofs = BlockHashes.resultProofsOf(leaves);
        lastResults = new BlockResults(height, proofs);
        return proofs;
    }

    private record BlockResults(long height, List<ResultProof> proofs) {}

    /** One {@code ExecTxResult} of {@code /block_results} as the results tree holds it: code (uint32), data, gas_wanted, gas_used (int64, JSON strings). */
    private static byte[] deterministicResult(JsonNode r, String path) throws LedgerException {
        if (!r.isObject()) {
            throw new LedgerException(path + ": expected an object with code, data, gas_wanted and gas_used, got " + r.getNodeType());
        }
        long code = integer(r.path("code"), path + ".code");
        if (code < 0 || code > 0xFFFF_FFFFL) {
            throw new LedgerException(path + ".code: expected a uint32, got " + code);
        }
        byte[] data;
        try {
            String d = r.path("data").isNull() ? "" : r.path("data").asText("");
            data = d.isEmpty() ? new byte[0] : Base64.getDecoder().decode(d);
        } catch (IllegalArgumentException e) {
            throw new LedgerException(path + ".data: expected base64, got '" + r.path("data").asText() + "'");
        }
        return BlockHashes.deterministicResult(code, data, integer(r.path("gas_wanted"), path + ".gas_wanted"),
                integer(r.path("gas_used"), path + ".gas_used"));
    }

    /** An integer field: a JSON number, or a decimal string as CometBFT writes int64; absent or null is 0 (proto3 default). */
    private static long integer(JsonNode n, String path) throws LedgerException {
        if (n.isMissingNode() || n.isNull()) {
            return 0;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.asText());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new LedgerException(path + ": expected an integer, got " + n);
    }

    /** {@code /block?height=H}: the block's time and its transactions, in order. */
    BlockContent block(long height) throws LedgerException {
        String request = "/block?height=" + height;
        JsonNode block = rpc.call(request).path("block");
        try {
            Instant time = CometJson.time(block.path("header").get("time"), request + ": block.header.time");
            List<byte[]> txs = new ArrayList<>();
            JsonNode list = block.path("data").path("txs");
            if (list.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    txs.add(CometJson.base64(list.get(i), request + ": block.data.txs[" + i + "]").toArray());
                }
            }
            return new BlockContent(height, time, txs);
        } catch (MalformedInputException e) {
            throw new LedgerException(e.getMessage(), e);
        }
    }

    record BlockContent(long height, Instant time, List<byte[]> txs) {}

    /**
     * The committed block at {@code height} as the gateway needs it: each transaction with its
     * result and proof. The indexer runs after the block's event (CometBFT state/txindex), so a
     * transaction may not be found at once; it is asked again for up to {@code indexWait}.
     */
    CommittedBlock committed(long height, Duration indexWait) throws LedgerException {
        BlockContent content = block(height);
        List<IncludedTx> txs = new ArrayList<>(content.txs().size());
        for (byte[] tx : content.txs()) {
            byte[] hash = TxInclusion.txHash(Bytes.of(tx)).toArray();
            long deadline = System.nanoTime() + indexWait.toNanos();
            Optional<IncludedTx> found = findTx(hash);
            while (found.isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LedgerException("interrupted while waiting for the node to index block " + height, e);
                }
                found = findTx(hash);
            }
            if (found.isEmpty()) {
                throw new LedgerException("/tx: transaction " + HEX.formatHex(hash) + " of block " + height
                        + " is not indexed after " + indexWait.toMillis() + " ms (is the node's tx_index on?)");
            }
            txs.add(found.get());
        }
        return new CommittedBlock(height, content.time(), txs);
    }

    @Override
    public AutoCloseable onCommit(Consumer<CommittedBlock> listener) throws LedgerException {
        BlockFollower follower = new BlockFollower(this, listener, latestHeight(), pollInterval);
        follower.start();
        return follower;
    }

    /** The node's WebSocket address: the RPC address with {@code ws}/{@code wss} and path {@code /websocket}. */
    URI websocketUri() {
        String base = rpc.base();
        String ws = base.startsWith("https://") ? "wss://" + base.substring(8) : "ws://" + base.substring(base.indexOf("://") + 3);
        return URI.create(ws + "/websocket");
    }

    /** {@code ResponseCheckTx} / {@code ExecTxResult} in JSON: {@code code}, {@code log}, {@code data} (base64). */
    private static TxResult txResult(JsonNode node, String path) throws LedgerException {
        if (!node.isObject()) {
            throw new LedgerException(path + ": expected an object with code, log and data, got " + node.getNodeType());
        }
        int code = node.path("code").asInt(0);
        String log = node.path("log").asText("");
        byte[] data;
        try {
            String d = node.path("data").asText("");
            data = d.isEmpty() ? new byte[0] : Base64.getDecoder().decode(d);
        } catch (IllegalArgumentException e) {
            throw new LedgerException(path + ": data: expected base64, got '" + node.path("data").asText() + "'");
        }
        return new TxResult(code, log, data);
    }

    @Override
    public void close() {
        blocks.close();
        rpc.close();
    }

    @Override
    public String toString() {
        return "CometRpcNode[" + endpoint + ", chain " + chainId + "]";
    }
}
