package io.wattproof.lightclient.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.ConsensusVersion;
import io.wattproof.lightclient.types.GenesisDoc;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.lightclient.types.PublicKey;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads CometBFT's JSON (Amino-style JSON of the RPC: int64 as strings, hashes and addresses as hex,
 * keys and signatures as base64, times as RFC 3339 with up to nine fractional digits) into the
 * records of {@code types}. Both shapes of a block id are read: the RPC's {@code parts} and the
 * protobuf-JSON {@code part_set_header}. A {@code null} or {@code ""} hash reads as empty bytes and
 * a {@code null} block id as the empty block id, which then encode exactly as CometBFT encodes an
 * absent field. Any other deviation is refused with the path of the field.
 */
public final class CometJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CometJson() {}

    /** Parses JSON text; the error names the line and column. */
    public static JsonNode parse(String json, String what) throws MalformedInputException {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new MalformedInputException(what, "no JSON value");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new MalformedInputException(what, "not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    /**
     * A header from any of the documents that carry one: a bare header, a signed header, an object
     * with {@code signed_header}, a {@code /commit} or {@code /block} RPC response (with or without the
     * JSON-RPC envelope).
     */
    public static Header anyHeader(JsonNode root) throws MalformedInputException {
        At result = At.result(root);
        JsonNode node = result.node();
        String path = result.path();
        if (node.has("block") && node.get("block").has("header")) {
            node = node.get("block");
            path = join(path, "block");
        } else if (node.has("signed_header")) {
            node = node.get("signed_header");
            path = join(path, "signed_header");
        }
        if (node.has("header")) {
            return header(node.get("header"), join(path, "header"));
        }
        if (node.has("chain_id") && node.has("height")) {
            return header(node, path);
        }
        throw new MalformedInputException(path.isEmpty() ? "(document)" : path,
                "no header found: expected a header, a signed_header or a /commit or /block response");
    }

    /** A signed header, bare or inside {@code signed_header} or a {@code /commit} response. */
    public static SignedHeader anySignedHeader(JsonNode root) throws MalformedInputException {
        At at = At.result(root).into("signed_header");
        return signedHeader(at.node(), at.path());
    }

    /** A validator set, bare ({@code validators} + optional {@code proposer}) or a {@code /validators} response. */
    public static ValidatorSet anyValidatorSet(JsonNode root) throws MalformedInputException {
        At at = At.result(root);
        return validatorSet(at.node(), at.path());
    }

    /**
     * A genesis document, bare or as the {@code /genesis} answer ({@code result.genesis}). Its validators
     * carry {@code power} (not {@code voting_power}) and may leave out {@code address}, which is then
     * derived from the key as types/genesis.go {@code ValidateAndComplete} does.
     */
    public static GenesisDoc genesis(JsonNode root) throws MalformedInputException {
        At at = At.result(root).into("genesis");
        JsonNode node = at.node();
        String path = at.path();
        object(node, path);
        String chainId = string(required(node, path, "chain_id"), join(path, "chain_id"));
        JsonNode ih = node.get("initial_height");
        long initialHeight = ih == null || ih.isNull() ? 1 : int64(ih, join(path, "initial_height"));
        JsonNode vals = required(node, path, "validators");
        String vp = join(path, "validators");
        if (!vals.isArray()) {
            throw new MalformedInputException(vp, "expected an array, got " + kind(vals));
        }
        List<Validator> list = new ArrayList<>();
        for (int i = 0; i < vals.size(); i++) {
            JsonNode v = vals.get(i);
            String p = vp + "[" + i + "]";
            object(v, p);
            PublicKey key = publicKey(required(v, p, "pub_key"), join(p, "pub_key"));
            Bytes address = hex(v.get("address"), join(p, "address"));
            list.add(new Validator(address.isEmpty() ? key.address() : address, key,
                    int64(required(v, p, "power"), join(p, "power")), 0));
        }
        return new GenesisDoc(chainId, initialHeight, new ValidatorSet(list));
    }

    /**
     * The genesis document's {@code genesis_time}: the time of the block at the initial height
     * (state/validation.go {@code validateBlock}: "block time is not equal to genesis time").
     */
    public static Instant genesisTime(JsonNode root) throws MalformedInputException {
        At at = At.result(root).into("genesis");
        object(at.node(), at.path());
        return time(required(at.node(), at.path(), "genesis_time"), join(at.path(), "genesis_time"));
    }

    /** The genesis document's {@code consensus_params}, all sections required except 0.38's {@code abci}. */
    public static ConsensusParams consensusParams(JsonNode node, String path) throws MalformedInputException {
        object(node, path);
        JsonNode block = section(node, path, "block");
        JsonNode evidence = section(node, path, "evidence");
        JsonNode validator = section(node, path, "validator");
        JsonNode version = section(node, path, "version");
        String bp = join(path, "block");
        String ep = join(path, "evidence");
        String vp = join(join(path, "validator"), "pub_key_types");
        JsonNode types = required(validator, join(path, "validator"), "pub_key_types");
        if (!types.isArray()) {
            throw new MalformedInputException(vp, "expected an array, got " + kind(types));
        }
        List<String> keyTypes = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            keyTypes.add(string(types.get(i), vp + "[" + i + "]"));
        }
        long ageNanos = int64(required(evidence, ep, "max_age_duration"), join(ep, "max_age_duration"));
        JsonNode abci = node.get("abci");
        OptionalLong voteExtensions = OptionalLong.empty();
        if (abci != null && !abci.isNull()) {
            object(abci, join(path, "abci"));
            voteExtensions = OptionalLong.of(int64(abci.get("vote_extensions_enable_height"),
                    join(join(path, "abci"), "vote_extensions_enable_height")));
        }
        return new ConsensusParams(
                int64(required(block, bp, "max_bytes"), join(bp, "max_bytes")),
                int64(required(block, bp, "max_gas"), join(bp, "max_gas")),
                int64(required(evidence, ep, "max_age_num_blocks"), join(ep, "max_age_num_blocks")),
                Duration.ofNanos(ageNanos),
                int64(required(evidence, ep, "max_bytes"), join(ep, "max_bytes")),
                keyTypes,
                uint64(version.get("app"), join(join(path, "version"), "app")),
                voteExtensions);
    }

    private static JsonNode section(JsonNode node, String path, String name) throws MalformedInputException {
        JsonNode s = required(node, path, name);
        object(s, join(path, name));
        return s;
    }

    /**
     * One page of a {@code /validators} answer: {@code block_height}, {@code count} (validators on
     * this page), {@code total} (in the whole set) and the page's validators.
     */
    public record ValidatorsPage(long blockHeight, long count, long total, ValidatorSet validators) {}

    /** A {@code /validators} answer, with or without the JSON-RPC envelope; all three numbers are required. */
    public static ValidatorsPage validatorsPage(JsonNode root) throws MalformedInputException {
        At at = At.result(root);
        JsonNode node = at.node();
        String path = at.path();
        object(node, path);
        return new ValidatorsPage(
                int64(required(node, path, "block_height"), join(path, "block_height")),
                int64(required(node, path, "count"), join(path, "count")),
                int64(required(node, path, "total"), join(path, "total")),
                validatorSet(node, path));
    }

    /** A JSON-RPC error answer ({@code {"error": {"code", "message", "data"}}}) carries no block. */
    static void refuseRpcError(JsonNode root) throws MalformedInputException {
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            String message = error.path("message").asText("") + " " + error.path("data").asText("");
            throw new MalformedInputException("error", "the node answered with an error: " + abbreviate(message.strip()));
        }
    }

    public static SignedHeader signedHeader(JsonNode node, String path) throws MalformedInputException {
        object(node, path);
        return new SignedHeader(header(required(node, path, "header"), join(path, "header")),
                commit(required(node, path, "commit"), join(path, "commit")));
    }

    /**
     * A light block in the shape of tendermint-rs and its test data: {@code signed_header},
     * {@code validator_set} and, optionally, {@code next_validator_set}.
     */
    public static LightBlock lightBlock(JsonNode node, String path) throws MalformedInputException {
        object(node, path);
        SignedHeader sh = signedHeader(required(node, path, "signed_header"), join(path, "signed_header"));
        ValidatorSet vals = validatorSet(required(node, path, "validator_set"), join(path, "validator_set"));
        JsonNode next = node.get("next_validator_set");
        Optional<ValidatorSet> nextVals = next == null || next.isNull()
                ? Optional.empty()
                : Optional.of(validatorSet(next, join(path, "next_validator_set")));
        return new LightBlock(sh, vals, nextVals);
    }

    public static Header header(JsonNode node, String path) throws MalformedInputException {
        object(node, path);
        JsonNode version = required(node, path, "version");
        String vp = join(path, "version");
        object(version, vp);
        return new Header(
                new ConsensusVersion(uint64(version.get("block"), join(vp, "block")),
                        uint64(version.get("app"), join(vp, "app"))),
                string(node.get("chain_id"), join(path, "chain_id")),
                int64(required(node, path, "height"), join(path, "height")),
                time(required(node, path, "time"), join(path, "time")),
                blockId(node.get("last_block_id"), join(path, "last_block_id")),
                hex(node.get("last_commit_hash"), join(path, "last_commit_hash")),
                hex(node.get("data_hash"), join(path, "data_hash")),
                hex(node.get("validators_hash"), join(path, "validators_hash")),
                hex(node.get("next_validators_hash"), join(path, "next_validators_hash")),
                hex(node.get("consensus_hash"), join(path, "consensus_hash")),
                hex(node.get("app_hash"), join(path, "app_hash")),
                hex(node.get("last_results_hash"), join(path, "last_results_hash")),
                hex(node.get("evidence_hash"), join(path, "evidence_hash")),
                hex(node.get("proposer_address"), join(path, "proposer_address")));
    }

    public static Commit commit(JsonNode node, String path) throws MalformedInputException {
        object(node, path);
        long round = int64(node.get("round"), join(path, "round"));
        if (round != (int) round) {
            throw new MalformedInputException(join(path, "round"), "expected an int32, got " + round);
        }
        JsonNode sigs = node.get("signatures");
        String sp = join(path, "signatures");
        List<CommitSig> list = new ArrayList<>();
        if (sigs != null && !sigs.isNull()) {
            if (!sigs.isArray()) {
                throw new MalformedInputException(sp, "expected an array, got " + kind(sigs));
            }
            for (int i = 0; i < sigs.size(); i++) {
                list.add(commitSig(sigs.get(i), sp + "[" + i + "]"));
            }
        }
        return new Commit(int64(required(node, path, "height"), join(path, "height")), (int) round,
                blockId(node.get("block_id"), join(path, "block_id")), list);
    }

    static CommitSig commitSig(JsonNode node, String path) throws MalformedInputException {
        object(node, path);
        String fp = join(path, "block_id_flag");
        JsonNode flagNode = required(node, path, "block_id_flag");
        BlockIdFlag flag;
        if (flagNode.isTextual() && flagNode.asText().startsWith("BLOCK_ID_FLAG_")) {
            String name = flagNode.asText().substring("BLOCK_ID_FLAG_".length());
            try {
                flag = BlockIdFlag.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new MalformedInputException(fp, "expected BLOCK_ID_FLAG_ABSENT, _COMMIT or _NIL, got " + flagNode);
            }
        } else {
            long code = int64(flagNode, fp);
            flag = BlockIdFlag.fromCode(code).orElseThrow(() ->
                    new MalformedInputException(fp, "expected 1 (absent), 2 (commit) or 3 (nil), got " + code));
        }
        JsonNode ts = node.get("timestamp");
        Instant time = ts == null || ts.isNull() ? CommitSig.GO_ZERO_TIME : time(ts, join(path, "timestamp"));
        return new CommitSig(flag, hex(node.get("validator_address"), join(path, "validator_address")), time,
                base64(node.get("signature"), join(path, "signature")));
    }

    /** A block id; {@code null} or missing is the empty block id (height 1 has no last block). */
    public static BlockId blockId(JsonNode node, String path) throws MalformedInputException {
        if (node == null || node.isNull()) {
            return BlockId.EMPTY;
        }
        object(node, path);
        JsonNode parts = node.get("part_set_header");
        String pp = join(path, "part_set_header");
        if (parts == null || parts.isNull()) {
            parts = node.get("parts");
            pp = join(path, "parts");
        }
        PartSetHeader psh = PartSetHeader.EMPTY;
        if (parts != null && !parts.isNull()) {
            object(parts, pp);
            long total = int64(parts.get("total"), join(pp, "total"));
            if (total < 0 || total > 0xFFFF_FFFFL) {
                throw new MalformedInputException(join(pp, "total"), "expected a uint32, got " + total);
            }
            psh = new PartSetHeader(total, hex(parts.get("hash"), join(pp, "hash")));
        }
        return new BlockId(hex(node.get("hash"), join(path, "hash")), psh);
    }

    public static ValidatorSet validatorSet(JsonNode node, String path) throws MalformedInputException {
        object(node, path);
        JsonNode vals = required(node, path, "validators");
        String vp = join(path, "validators");
        if (!vals.isArray()) {
            throw new MalformedInputException(vp, "expected an array, got " + kind(vals));
        }
        List<Validator> list = new ArrayList<>();
        for (int i = 0; i < vals.size(); i++) {
            list.add(validator(vals.get(i), vp + "[" + i + "]"));
        }
        JsonNode proposer = node.get("proposer");
        Optional<Validator> p = proposer == null || proposer.isNull()
                ? Optional.empty()
                : Optional.of(validator(proposer, join(path, "proposer")));
        return new ValidatorSet(list, p);
    }

    public static Validator validator(JsonNode node, String path) throws MalformedInputException {
        object(node, path);
        return new Validator(
                hex(node.get("address"), join(path, "address")),
                publicKey(required(node, path, "pub_key"), join(path, "pub_key")),
                int64(required(node, path, "voting_power"), join(path, "voting_power")),
                int64(node.get("proposer_priority"), join(path, "proposer_priority")));
    }

    /**
     * A key as the RPC prints it ({@code {"type": "tendermint/PubKeyEd25519", "value": base64}}) or
     * as protobuf JSON ({@code {"ed25519": base64}}).
     */
    public static PublicKey publicKey(JsonNode node, String path) throws MalformedInputException {
        object(node, path);
        PublicKey.Type type;
        Bytes key;
        if (node.has("type")) {
            String t = string(node.get("type"), join(path, "type"));
            type = null;
            for (PublicKey.Type candidate : PublicKey.Type.values()) {
                if (candidate.jsonType().equals(t)) {
                    type = candidate;
                }
            }
            if (type == null) {
                throw new MalformedInputException(join(path, "type"),
                        "expected tendermint/PubKeyEd25519 or tendermint/PubKeySecp256k1, got \"" + t + "\"");
            }
            key = base64(required(node, path, "value"), join(path, "value"));
        } else if (node.has("ed25519")) {
            type = PublicKey.Type.ED25519;
            key = base64(node.get("ed25519"), join(path, "ed25519"));
        } else if (node.has("secp256k1")) {
            type = PublicKey.Type.SECP256K1;
            key = base64(node.get("secp256k1"), join(path, "secp256k1"));
        } else {
            throw new MalformedInputException(path, "expected {\"type\", \"value\"} or {\"ed25519\"} or {\"secp256k1\"}");
        }
        if (key.length() != type.keyLength()) {
            throw new MalformedInputException(path, "a " + type.jsonType() + " key is " + type.keyLength()
                    + " bytes, got " + key.length() + ": " + key.hex());
        }
        return new PublicKey(type, key);
    }

    // --- scalar fields ---

    /** An RFC 3339 time with up to nine fractional digits and an offset, years 0001 to 9999. */
    public static Instant time(JsonNode node, String path) throws MalformedInputException {
        if (node == null || !node.isTextual()) {
            throw new MalformedInputException(path, "expected an RFC 3339 time string, got " + kind(node));
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(node.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (t.getYear() < 1 || t.getYear() > 9999) {
                throw new MalformedInputException(path, "year outside 0001..9999: " + node.asText());
            }
            return t.toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedInputException(path, "expected an RFC 3339 time, got \"" + node.asText() + "\"");
        }
    }

    /** An int64 given as a JSON string (CometBFT's way) or an integral JSON number. */
    public static long int64(JsonNode node, String path) throws MalformedInputException {
        BigInteger v = integer(node, path);
        if (v.bitLength() > 63) {
            throw new MalformedInputException(path, "expected an int64, got " + v);
        }
        return v.longValue();
    }

    /** A uint64 (string or number); values above 2^63-1 keep their 64 bits in the long. */
    static long uint64(JsonNode node, String path) throws MalformedInputException {
        BigInteger v = integer(node, path);
        if (v.signum() < 0 || v.bitLength() > 64) {
            throw new MalformedInputException(path, "expected a uint64, got " + v);
        }
        return v.longValue();
    }

    private static BigInteger integer(JsonNode node, String path) throws MalformedInputException {
        if (node == null || node.isNull()) {
            return BigInteger.ZERO;
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (node.isTextual()) {
            String s = node.asText();
            if (s.matches("-?[0-9]{1,25}")) {
                return new BigInteger(s);
            }
            throw new MalformedInputException(path, "expected a decimal integer, got \"" + s + "\"");
        }
        throw new MalformedInputException(path, "expected an integer, got " + kind(node));
    }

    static String string(JsonNode node, String path) throws MalformedInputException {
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new MalformedInputException(path, "expected a string, got " + kind(node));
        }
        return node.asText();
    }

    /** Hex bytes in either case; {@code null}, missing or "" is empty. */
    public static Bytes hex(JsonNode node, String path) throws MalformedInputException {
        String s = string(node, path);
        try {
            return Bytes.fromHex(s);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(path, "expected hex, got \"" + abbreviate(s) + "\"");
        }
    }

    /** Standard base64 (with padding, as Go's encoding/json writes []byte); {@code null}, missing or "" is empty. */
    public static Bytes base64(JsonNode node, String path) throws MalformedInputException {
        String s = string(node, path);
        try {
            return Bytes.of(Base64.getDecoder().decode(s));
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(path, "expected base64, got \"" + abbreviate(s) + "\"");
        }
    }

    static JsonNode required(JsonNode node, String path, String name) throws MalformedInputException {
        JsonNode child = node.get(name);
        if (child == null || child.isNull()) {
            throw new MalformedInputException(join(path, name), "missing");
        }
        return child;
    }

    static void object(JsonNode node, String path) throws MalformedInputException {
        if (node == null || !node.isObject()) {
            throw new MalformedInputException(path.isEmpty() ? "(document)" : path, "expected an object, got " + kind(node));
        }
    }

    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
        return node.isContainerNode() ? type : type + " " + abbreviate(node.toString());
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A node of a document and its path there, for error messages that name the field. */
    record At(JsonNode node, String path) {
        /**
         * The answer inside a JSON-RPC envelope ({@code result}), or the document itself when it has
         * none; an envelope carrying {@code error} is refused with the node's own message.
         */
        static At result(JsonNode root) throws MalformedInputException {
            refuseRpcError(root);
            return new At(root, "").into("result");
        }

        /** The child {@code name} when there is one, else this node (documents come with and without wrappers). */
        At into(String name) {
            return node.has(name) ? new At(node.get(name), join(path, name)) : this;
        }
    }
}
