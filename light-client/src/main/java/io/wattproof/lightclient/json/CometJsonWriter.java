package io.wattproof.lightclient.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.GenesisDoc;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.PublicKey;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes the JSON-RPC answers of a CometBFT 0.37/0.38 node: {@code /genesis}, {@code /commit} and
 * {@code /validators}, in the shape {@link CometJson} reads. The encoding is CometBFT's libs/json
 * (Amino-style JSON): int64 and uint64 as decimal strings, int32 and uint32 (a commit's
 * {@code round}, {@code block_id_flag}, a part set's {@code total}) as numbers, hashes and addresses
 * as upper-case hex ({@code HexBytes}), keys and signatures as standard base64 with padding, keys as
 * {@code {"type", "value"}}, times as RFC 3339 in UTC with the fraction's trailing zeros dropped (Go's
 * {@code RFC3339Nano}), a block id's part set header as {@code parts}. An absent commit slot has an
 * empty address, Go's zero time and a {@code null} signature, as a node prints it. Fields come in the
 * order of the Go structs; the document is indented by two spaces as the node's
 * {@code json.MarshalIndent} does. URI requests are answered with {@code "id": -1}.
 */
public final class CometJsonWriter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER;

    static {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators)
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        WRITER = new ObjectMapper().writer(printer);
    }

    private CometJsonWriter() {}

    /**
     * The {@code /genesis} answer ({@code coretypes.ResultGenesis}, types/genesis.go {@code GenesisDoc}):
     * {@code genesis_time}, {@code chain_id}, {@code initial_height}, {@code consensus_params},
     * {@code validators} (each {@code address}, {@code pub_key}, {@code power}, an empty
     * {@code name}), {@code app_hash}; no {@code app_state}.
     */
    public static String genesis(GenesisDoc doc, Instant genesisTime, Bytes appHash, ConsensusParams params) {
        return text(envelope(genesisResult(doc, genesisTime, appHash, params, Optional.empty())));
    }

    /** The same with the application's genesis state as {@code app_state} (any JSON value). */
    public static String genesis(GenesisDoc doc, Instant genesisTime, Bytes appHash, ConsensusParams params,
            JsonNode appState) {
        return text(envelope(genesisResult(doc, genesisTime, appHash, params, Optional.of(appState))));
    }

    /**
     * The {@code /commit} answer ({@code coretypes.ResultCommit}): {@code signed_header} and
     * {@code canonical}, which a node sets when the commit is the one included in the next block
     * (false for the latest height, whose commit is the node's own "seen" commit).
     */
    public static String commit(SignedHeader signedHeader, boolean canonical) {
        ObjectNode result = F.objectNode();
        ObjectNode sh = result.putObject("signed_header");
        sh.set("header", header(signedHeader.header()));
        sh.set("commit", commit(signedHeader.commit()));
        result.put("canonical", canonical);
        return text(envelope(result));
    }

    /**
     * The {@code /validators} answer ({@code coretypes.ResultValidators}) with the whole set on one
     * page: {@code block_height}, {@code validators} in the set's (CometBFT) order, {@code count} and
     * {@code total} both the set's size. A node pages at most 100 validators
     * (rpc/core/env.go {@code maxPerPage}); a dump is not paged.
     */
    public static String validators(long height, ValidatorSet set) {
        ObjectNode result = F.objectNode();
        result.put("block_height", Long.toString(height));
        ArrayNode vals = result.putArray("validators");
        for (Validator v : set.validators()) {
            vals.add(validator(v));
        }
        result.put("count", Integer.toString(set.size()));
        result.put("total", Integer.toString(set.size()));
        return text(envelope(result));
    }

    /** rpc/jsonrpc/types {@code RPCResponse}: {@code jsonrpc}, {@code id} (-1 for URI requests), {@code result}. */
    public static ObjectNode envelope(JsonNode result) {
        ObjectNode root = F.objectNode();
        root.put("jsonrpc", "2.0");
        root.put("id", -1);
        root.set("result", result);
        return root;
    }

    /** A JSON document as the node prints it. */
    public static String text(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serialises", e);
        }
    }

    static ObjectNode genesisResult(GenesisDoc doc, Instant genesisTime, Bytes appHash, ConsensusParams params,
            Optional<JsonNode> appState) {
        Objects.requireNonNull(genesisTime, "genesisTime");
        Objects.requireNonNull(appHash, "appHash");
        ObjectNode result = F.objectNode();
        ObjectNode g = result.putObject("genesis");
        g.put("genesis_time", time(genesisTime));
        g.put("chain_id", doc.chainId());
        g.put("initial_height", Long.toString(doc.initialHeight()));
        g.set("consensus_params", consensusParams(params));
        ArrayNode vals = g.putArray("validators");
        for (Validator v : doc.validators().validators()) {
            ObjectNode o = vals.addObject();
            o.put("address", v.address().hex());
            o.set("pub_key", publicKey(v.publicKey()));
            o.put("power", Long.toString(v.votingPower()));
            o.put("name", "");
        }
        g.put("app_hash", appHash.hex());
        appState.ifPresent(s -> g.set("app_state", s));
        return result;
    }

    /** types/params.go {@code ConsensusParams} as JSON: durations in nanoseconds, as strings. */
    public static ObjectNode consensusParams(ConsensusParams p) {
        ObjectNode o = F.objectNode();
        ObjectNode block = o.putObject("block");
        block.put("max_bytes", Long.toString(p.blockMaxBytes()));
        block.put("max_gas", Long.toString(p.blockMaxGas()));
        ObjectNode evidence = o.putObject("evidence");
        evidence.put("max_age_num_blocks", Long.toString(p.evidenceMaxAgeNumBlocks()));
        evidence.put("max_age_duration", Long.toString(p.evidenceMaxAgeDuration().toNanos()));
        evidence.put("max_bytes", Long.toString(p.evidenceMaxBytes()));
        ArrayNode types = o.putObject("validator").putArray("pub_key_types");
        p.pubKeyTypes().forEach(types::add);
        o.putObject("version").put("app", Long.toUnsignedString(p.appVersion()));
        p.voteExtensionsEnableHeight().ifPresent(h ->
                o.putObject("abci").put("vote_extensions_enable_height", Long.toString(h)));
        return o;
    }

    public static ObjectNode header(Header h) {
        ObjectNode o = F.objectNode();
        ObjectNode v = o.putObject("version");
        v.put("block", Long.toUnsignedString(h.version().block()));
        v.put("app", Long.toUnsignedString(h.version().app()));
        o.put("chain_id", h.chainId());
        o.put("height", Long.toString(h.height()));
        o.put("time", time(h.time()));
        o.set("last_block_id", blockId(h.lastBlockId()));
        o.put("last_commit_hash", h.lastCommitHash().hex());
        o.put("data_hash", h.dataHash().hex());
        o.put("validators_hash", h.validatorsHash().hex());
        o.put("next_validators_hash", h.nextValidatorsHash().hex());
        o.put("consensus_hash", h.consensusHash().hex());
        o.put("app_hash", h.appHash().hex());
        o.put("last_results_hash", h.lastResultsHash().hex());
        o.put("evidence_hash", h.evidenceHash().hex());
        o.put("proposer_address", h.proposerAddress().hex());
        return o;
    }

    public static ObjectNode commit(Commit c) {
        ObjectNode o = F.objectNode();
        o.put("height", Long.toString(c.height()));
        o.put("round", c.round());
        o.set("block_id", blockId(c.blockId()));
        ArrayNode sigs = o.putArray("signatures");
        for (CommitSig s : c.signatures()) {
            ObjectNode so = sigs.addObject();
            so.put("block_id_flag", s.blockIdFlag().code());
            so.put("validator_address", s.validatorAddress().hex());
            so.put("timestamp", time(s.timestamp()));
            // Go's encoding/json writes a nil []byte as null; an absent slot's signature is nil.
            if (s.signature().isEmpty()) {
                so.putNull("signature");
            } else {
                so.put("signature", base64(s.signature()));
            }
        }
        return o;
    }

    public static ObjectNode blockId(BlockId id) {
        ObjectNode o = F.objectNode();
        o.put("hash", id.hash().hex());
        ObjectNode parts = o.putObject("parts");
        parts.put("total", id.partSetHeader().total());
        parts.put("hash", id.partSetHeader().hash().hex());
        return o;
    }

    public static ObjectNode validator(Validator v) {
        ObjectNode o = F.objectNode();
        o.put("address", v.address().hex());
        o.set("pub_key", publicKey(v.publicKey()));
        o.put("voting_power", Long.toString(v.votingPower()));
        o.put("proposer_priority", Long.toString(v.proposerPriority()));
        return o;
    }

    public static ObjectNode publicKey(PublicKey k) {
        ObjectNode o = F.objectNode();
        o.put("type", k.type().jsonType());
        o.put("value", base64(k.bytes()));
        return o;
    }

    /**
     * Go's {@code time.RFC3339Nano} of the time in UTC: seconds always, a fraction only when not zero
     * and without trailing zeros, {@code Z}. Go refuses to print years outside 0000..9999, and so does
     * this ({@link IllegalArgumentException}); CometBFT times lie between Go's zero time (year 1) and
     * then.
     */
    public static String time(Instant t) {
        LocalDateTime d = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        if (d.getYear() < 0 || d.getYear() > 9999) {
            throw new IllegalArgumentException("time outside years 0000..9999: " + t);
        }
        StringBuilder s = new StringBuilder(30);
        pad(s, d.getYear(), 4).append('-');
        pad(s, d.getMonthValue(), 2).append('-');
        pad(s, d.getDayOfMonth(), 2).append('T');
        pad(s, d.getHour(), 2).append(':');
        pad(s, d.getMinute(), 2).append(':');
        pad(s, d.getSecond(), 2);
        int nanos = d.getNano();
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            pad(s.append('.'), nanos, digits);
        }
        return s.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder s, int value, int width) {
        String v = Integer.toString(value);
        for (int i = v.length(); i < width; i++) {
            s.append('0');
        }
        return s.append(v);
    }

    private static String base64(Bytes b) {
        return Base64.getEncoder().encodeToString(b.toArray());
    }
}
