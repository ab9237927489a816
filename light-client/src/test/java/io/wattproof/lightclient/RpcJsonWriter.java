package io.wattproof.lightclient;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattproof.lightclient.json.CometJsonWriter;
import io.wattproof.lightclient.tx.IndexedTx;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.PublicKey;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Writes generated blocks as a CometBFT node's RPC answers (URI requests: {@code "id": -1}): headers,
 * commits and validators through the production {@link CometJsonWriter}, plus the answers only tests
 * need (paged {@code /validators}, {@code /status}, {@code /tx}, errors), in the shape of CometBFT's
 * Amino-style JSON: int64 as strings, int32 (round, block_id_flag, part set
 * total, a tx's index) as numbers, hashes and addresses as upper-case hex, keys, signatures and
 * transactions as base64, a block id's part set header as {@code parts}, absent signatures with an
 * empty address, Go's zero time and a {@code null} signature.
 */
public final class RpcJsonWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RpcJsonWriter() {}

    public static String text(ObjectNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode envelope(ObjectNode result) {
        return CometJsonWriter.envelope(result);
    }

    /** An error answer as rpc/jsonrpc/types {@code RPCInternalError} writes it. */
    public static ObjectNode error(String data) {
        ObjectNode root = F.objectNode();
        root.put("jsonrpc", "2.0");
        root.put("id", -1);
        ObjectNode e = root.putObject("error");
        e.put("code", -32603);
        e.put("message", "Internal error");
        e.put("data", data);
        return root;
    }

    public static ObjectNode commitResponse(Header header, Commit commit) {
        ObjectNode result = F.objectNode();
        ObjectNode sh = result.putObject("signed_header");
        sh.set("header", CometJsonWriter.header(header));
        sh.set("commit", CometJsonWriter.commit(commit));
        result.put("canonical", true);
        return envelope(result);
    }

    /** One page of {@code /validators}, CometBFT order, {@code per_page} at a time. */
    public static ObjectNode validatorsResponse(long height, ValidatorSet set, int page, int perPage) {
        ObjectNode result = F.objectNode();
        result.put("block_height", Long.toString(height));
        ArrayNode vals = result.putArray("validators");
        int from = (page - 1) * perPage;
        int to = Math.min(set.size(), from + perPage);
        for (int i = from; i < to; i++) {
            vals.add(validator(set.validators().get(i)));
        }
        result.put("count", Integer.toString(to - from));
        result.put("total", Integer.toString(set.size()));
        return envelope(result);
    }

    public static ObjectNode statusResponse(String chainId, Header latest) {
        ObjectNode result = F.objectNode();
        ObjectNode node = result.putObject("node_info");
        ObjectNode pv = node.putObject("protocol_version");
        pv.put("p2p", "8");
        pv.put("block", "11");
        pv.put("app", "0");
        node.put("id", "b77488f9fa23715979fe03cfc19fd4f3b3750347");
        node.put("listen_addr", "tcp://0.0.0.0:26656");
        node.put("network", chainId);
        node.put("version", "0.38.17");
        node.put("moniker", "generated");
        ObjectNode sync = result.putObject("sync_info");
        sync.put("latest_block_hash", "");
        sync.put("latest_app_hash", latest.appHash().hex());
        sync.put("latest_block_height", Long.toString(latest.height()));
        sync.put("latest_block_time", latest.time().toString());
        sync.put("earliest_block_height", "1");
        sync.put("catching_up", false);
        return envelope(result);
    }

    /** {@code /genesis}: validators with {@code power} as a string and a name, as types.GenesisValidator. */
    public static ObjectNode genesisResponse(String chainId, Instant time, ValidatorSet set) {
        ObjectNode result = F.objectNode();
        ObjectNode g = result.putObject("genesis");
        g.put("genesis_time", time.toString());
        g.put("chain_id", chainId);
        g.put("initial_height", "1");
        ObjectNode params = g.putObject("consensus_params");
        params.putObject("block").put("max_bytes", "22020096").put("max_gas", "-1");
        params.putObject("validator").putArray("pub_key_types").add("ed25519").add("secp256k1");
        ArrayNode vals = g.putArray("validators");
        int i = 0;
        for (Validator v : set.validators()) {
            ObjectNode o = vals.addObject();
            o.put("address", v.address().hex());
            o.set("pub_key", publicKey(v.publicKey()));
            o.put("power", Long.toString(v.votingPower()));
            o.put("name", "validator-" + i++);
        }
        g.put("app_hash", "");
        return envelope(result);
    }

    public static ObjectNode txResponse(IndexedTx tx) {
        return envelope(tx(tx));
    }

    public static ObjectNode txSearchResponse(List<IndexedTx> txs) {
        ObjectNode result = F.objectNode();
        ArrayNode arr = result.putArray("txs");
        for (IndexedTx t : txs) {
            arr.add(tx(t));
        }
        result.put("total_count", Integer.toString(txs.size()));
        return envelope(result);
    }

    public static ObjectNode tx(IndexedTx t) {
        ObjectNode o = F.objectNode();
        o.put("hash", t.hash().hex());
        o.put("height", Long.toString(t.height()));
        o.put("index", t.index());
        ObjectNode r = o.putObject("tx_result");
        r.put("code", 0);
        r.putNull("data");
        r.put("log", "");
        r.put("gas_wanted", "0");
        r.put("gas_used", "0");
        r.putArray("events");
        o.put("tx", base64(t.tx()));
        if (t.proof().isPresent()) {
            TxProof p = t.proof().get();
            ObjectNode po = o.putObject("proof");
            po.put("root_hash", p.rootHash().hex());
            po.put("data", base64(p.data()));
            ObjectNode mp = po.putObject("proof");
            mp.put("total", Long.toString(p.total()));
            mp.put("index", Long.toString(p.index()));
            mp.put("leaf_hash", base64(p.leafHash()));
            ArrayNode aunts = mp.putArray("aunts");
            for (Bytes a : p.aunts()) {
                aunts.add(base64(a));
            }
        }
        return o;
    }

    public static ObjectNode header(Header h) {
        return CometJsonWriter.header(h);
    }

    public static ObjectNode commit(Commit c) {
        return CometJsonWriter.commit(c);
    }

    public static ObjectNode blockId(BlockId id) {
        return CometJsonWriter.blockId(id);
    }

    public static ObjectNode validator(Validator v) {
        return CometJsonWriter.validator(v);
    }

    public static ObjectNode publicKey(PublicKey k) {
        return CometJsonWriter.publicKey(k);
    }

    private static String base64(Bytes b) {
        return Base64.getEncoder().encodeToString(b.toArray());
    }
}
