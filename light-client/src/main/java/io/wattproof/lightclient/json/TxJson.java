package io.wattproof.lightclient.json;

import static io.wattproof.lightclient.json.CometJson.base64;
import static io.wattproof.lightclient.json.CometJson.hex;
import static io.wattproof.lightclient.json.CometJson.int64;
import static io.wattproof.lightclient.json.CometJson.join;
import static io.wattproof.lightclient.json.CometJson.kind;
import static io.wattproof.lightclient.json.CometJson.object;
import static io.wattproof.lightclient.json.CometJson.required;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.tx.IndexedTx;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the RPC's transaction answers: {@code /tx} ({@code ResultTx}) and {@code /tx_search}
 * ({@code {"txs": [...], "total_count"}}). In them the hash and {@code root_hash} are hex, the
 * transaction, {@code proof.data}, {@code leaf_hash} and the aunts base64, {@code height},
 * {@code total} and the proof's {@code index} int64 strings, the transaction's {@code index} a JSON
 * number. The proof's fields are also read under the names of the older OpenAPI document
 * ({@code RootHash}, {@code Data}, {@code Proof}).
 */
public final class TxJson {
    private TxJson() {}

    /** The transactions of a {@code /tx} or {@code /tx_search} answer, with or without the JSON-RPC envelope. */
    public static List<IndexedTx> anyTxs(JsonNode root) throws MalformedInputException {
        CometJson.At result = CometJson.At.result(root);
        JsonNode node = result.node();
        String path = result.path();
        object(node, path);
        List<IndexedTx> out = new ArrayList<>();
        if (node.has("txs")) {
            JsonNode txs = node.get("txs");
            String tp = join(path, "txs");
            if (txs.isNull()) {
                return out;
            }
            if (!txs.isArray()) {
                throw new MalformedInputException(tp, "expected an array, got " + kind(txs));
            }
            for (int i = 0; i < txs.size(); i++) {
                out.add(indexedTx(txs.get(i), tp + "[" + i + "]"));
            }
            return out;
        }
        out.add(indexedTx(node, path));
        return out;
    }

    public static IndexedTx indexedTx(JsonNode node, String path) throws MalformedInputException {
        object(node, path);
        long index = int64(node.get("index"), join(path, "index"));
        if (index < 0 || index > 0xFFFF_FFFFL) {
            throw new MalformedInputException(join(path, "index"), "expected a uint32, got " + index);
        }
        Bytes hash = hex(required(node, path, "hash"), join(path, "hash"));
        long height = int64(required(node, path, "height"), join(path, "height"));
        Bytes tx = base64(required(node, path, "tx"), join(path, "tx"));
        JsonNode proof = node.get("proof");
        Optional<TxProof> p = proof == null || proof.isNull()
                ? Optional.empty()
                : Optional.of(txProof(proof, join(path, "proof")));
        return new IndexedTx(hash, height, index, tx, p);
    }

    /** {@code types.TxProof}: {@code root_hash} (hex), {@code data} (base64) and the Merkle {@code proof}. */
    public static TxProof txProof(JsonNode node, String path) throws MalformedInputException {
        object(node, path);
        String rootName = node.has("RootHash") ? "RootHash" : "root_hash";
        String dataName = node.has("Data") ? "Data" : "data";
        String proofName = node.has("Proof") ? "Proof" : "proof";
        Bytes root = hex(required(node, path, rootName), join(path, rootName));
        Bytes data = base64(node.get(dataName), join(path, dataName));
        JsonNode proof = required(node, path, proofName);
        String pp = join(path, proofName);
        object(proof, pp);
        long total = int64(required(proof, pp, "total"), join(pp, "total"));
        long index = int64(proof.get("index"), join(pp, "index"));
        Bytes leaf = base64(required(proof, pp, "leaf_hash"), join(pp, "leaf_hash"));
        List<Bytes> aunts = new ArrayList<>();
        JsonNode a = proof.get("aunts");
        String ap = join(pp, "aunts");
        if (a != null && !a.isNull()) {
            if (!a.isArray()) {
                throw new MalformedInputException(ap, "expected an array, got " + kind(a));
            }
            // crypto/merkle MaxAunts: a tree of 2^100 leaves is beyond any block; more is an attack on memory.
            if (a.size() > 100) {
                throw new MalformedInputException(ap, "at most 100 aunts, got " + a.size());
            }
            for (int i = 0; i < a.size(); i++) {
                aunts.add(base64(a.get(i), ap + "[" + i + "]"));
            }
        }
        return new TxProof(root, data, total, index, leaf, aunts);
    }
}
