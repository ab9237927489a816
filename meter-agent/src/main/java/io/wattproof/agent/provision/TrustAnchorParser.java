package io.wattproof.agent.provision;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattproof.agent.board.BoardProfileParser;
import io.wattproof.agent.provision.TrustAnchorResult.Invalid;
import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.json.CometJson;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.ValidatorSet;
import io.wattproof.lightclient.verifier.ConsensusSignatures;
import io.wattproof.lightclient.verifier.Failure;
import io.wattproof.lightclient.verifier.Predicates;
import io.wattproof.lightclient.verifier.TrustThreshold;
import io.wattproof.protocol.SignBytes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads a {@code wattproof-trust-anchor/1} file and checks its light block on its own. Pure: text
 * in, a {@link TrustAnchor} or the first problem out; never throws on any input.
 *
 * <p>With no trusted block to verify against, an anchor can only be checked for consistency; its
 * authority comes from the operator who handed it out (CometBFT light client, "trust options":
 * the initial header is obtained from a trusted source). What can be checked is checked, in the
 * order of CometBFT types/block.go {@code SignedHeader.ValidateBasic} and light/verifier.go: the
 * header is well formed and its hash is the block id the commit signs; {@code validators_hash} and
 * {@code next_validators_hash} name the given sets; the commit has one slot per validator; and
 * more than 2/3 of the block's own validator power signed it, each signature verified ({@code
 * VerifyCommitLight}). The same light-client predicates verify every later block.
 *
 * <p>The format lives here rather than in the light client because it is the agent's installation
 * file (schema name, trusting period as the agent writes durations); the light block inside it is
 * CometBFT's JSON shape, read by {@link CometJson#lightBlock}.
 */
public final class TrustAnchorParser {
    /** A light block of 150 validators is ~100 kB of JSON. */
    public static final int MAX_FILE_CHARS = 4 * 1024 * 1024;
    /**
     * CometBFT's default unbonding period is 21 days and its light client's trusting period is
     * usually 2/3 of it; a year is far beyond any sane value and refuses typing errors.
     */
    public static final Duration MAX_TRUSTING_PERIOD = Duration.ofDays(365);
    /** CometBFT light client's default {@code MaxClockDrift}. */
    public static final Duration MAX_CLOCK_DRIFT = Duration.ofSeconds(10);

    private static final List<String> KEYS = List.of("schema", "chain_id", "trusting_period", "light_block");

    private TrustAnchorParser() {}

    public static TrustAnchorResult parse(String origin, String text) {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_FILE_CHARS) {
            return new Invalid(origin, "(file)", "at most " + MAX_FILE_CHARS + " characters", text.length() + " characters");
        }
        try {
            return read(origin, text);
        } catch (MalformedInputException e) {
            return new Invalid(origin, e.field().isEmpty() ? "(file)" : e.field(), "CometBFT light block JSON", e.getMessage());
        } catch (RuntimeException e) {
            // Hostile JSON (numbers out of range, deep nesting) must not take the caller down.
            return new Invalid(origin, "(file)", "a " + TrustAnchor.SCHEMA + " document", "unreadable: " + e);
        }
    }

    private static TrustAnchorResult read(String origin, String text) throws MalformedInputException {
        JsonNode root = CometJson.parse(text, "(file)");
        if (!root.isObject()) {
            return new Invalid(origin, "(file)", "a JSON object with the keys " + String.join(", ", KEYS), root.getNodeType().name().toLowerCase());
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                return new Invalid(origin, name, "only the keys " + String.join(", ", KEYS), "unknown key '" + name + "'");
            }
        }
        JsonNode schema = root.get("schema");
        if (schema == null || !schema.isTextual() || !schema.asText().equals(TrustAnchor.SCHEMA)) {
            return new Invalid(origin, "schema", "'" + TrustAnchor.SCHEMA + "'", schema == null ? "nothing" : schema.toString());
        }
        JsonNode chain = root.get("chain_id");
        if (chain == null || !chain.isTextual()) {
            return new Invalid(origin, "chain_id", "the ledger's chain id as a string", chain == null ? "nothing" : chain.toString());
        }
        String chainId = chain.asText();
        try {
            SignBytes.checkChainId(chainId);
        } catch (IllegalArgumentException e) {
            return new Invalid(origin, "chain_id", "a chain id: " + e.getMessage(), "'" + chainId + "'");
        }
        Optional<Duration> period = trustingPeriod(root.get("trusting_period"));
        if (period.isEmpty()) {
            JsonNode p = root.get("trusting_period");
            return new Invalid(origin, "trusting_period", "a duration of 1s.." + MAX_TRUSTING_PERIOD.toDays()
                    + "d, e.g. \"336h\", or whole seconds", p == null ? "nothing" : p.toString());
        }
        JsonNode lb = root.get("light_block");
        if (lb == null) {
            return new Invalid(origin, "light_block", "a light block: signed_header, validator_set, next_validator_set", "nothing");
        }
        LightBlock block = CometJson.lightBlock(lb, "light_block");
        if (block.nextValidators().isEmpty()) {
            return new Invalid(origin, "light_block.next_validator_set",
                    "the block's next validator set (the light client verifies the following blocks with it)", "nothing");
        }
        if (!block.header().chainId().equals(chainId)) {
            return new Invalid(origin, "light_block.signed_header.header.chain_id", "'" + chainId + "' (the anchor's chain_id)",
                    "'" + block.header().chainId() + "'");
        }
        Optional<Failure> failure = selfCheck(block);
        if (failure.isPresent()) {
            return new Invalid(origin, "light_block", "a block that checks out on its own", failure.get().describe());
        }
        return new TrustAnchorResult.Read(new TrustAnchor(origin, chainId, period.get(), block));
    }

    private static Optional<Duration> trustingPeriod(JsonNode node) {
        Optional<Duration> d;
        if (node == null) {
            d = Optional.empty();
        } else if (node.isIntegralNumber() && node.canConvertToLong()) {
            d = Optional.of(Duration.ofSeconds(node.asLong()));
        } else if (node.isTextual()) {
            d = BoardProfileParser.parseDuration(node.asText());
        } else {
            d = Optional.empty();
        }
        return d.filter(p -> p.compareTo(Duration.ofSeconds(1)) >= 0 && p.compareTo(MAX_TRUSTING_PERIOD) <= 0);
    }

    private static Optional<Failure> selfCheck(LightBlock block) {
        SignedHeader sh = block.signedHeader();
        ValidatorSet vals = block.validators();
        ValidatorSet next = block.nextValidators().orElseThrow();
        return first(
                () -> Predicates.isWellFormed(sh, sh.header().chainId()),
                () -> Predicates.isWellFormed(vals, "validator_set"),
                () -> Predicates.isWellFormed(next, "next_validator_set"),
                () -> Predicates.hasOneSignaturePerValidator(sh.commit(), vals),
                () -> Predicates.validatorSetMatches(sh.header(), vals),
                () -> Predicates.nextValidatorSetMatches(sh.header(), next),
                () -> Predicates.hasEnoughSignedPower(Failure.SignerSet.OWN_VALIDATORS, sh, vals, TrustThreshold.TWO_THIRDS, true,
                        new ConsensusSignatures(), new HashMap<>()));
    }

    @SafeVarargs
    private static Optional<Failure> first(Supplier<Optional<Failure>>... checks) {
        for (Supplier<Optional<Failure>> check : checks) {
            Optional<Failure> f = check.get();
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }

    /**
     * Whether an anchor may be installed for (or used by) a device of {@code chainId} at {@code
     * now}: same chain, within its trusting period, and not from the future (a header time ahead of
     * the clock means a wrong clock or a forged block; the light client would refuse it too).
     */
    public static Optional<Invalid> checkUsable(TrustAnchor anchor, String chainId, Instant now) {
        if (!anchor.chainId().equals(chainId)) {
            return Optional.of(new Invalid(anchor.origin(), "chain_id", "'" + chainId + "' (the device's ledger.chain_id)",
                    "'" + anchor.chainId() + "'"));
        }
        Optional<Failure> f = Predicates.isWithinTrustingPeriod(anchor.block().header(), anchor.trustingPeriod(), now)
                .or(() -> Predicates.isHeaderFromPast(anchor.block().header(), MAX_CLOCK_DRIFT, now));
        return f.map(failure -> new Invalid(anchor.origin(), "light_block.signed_header.header.time",
                "a header within its trusting period and not ahead of this clock (" + now + ")", failure.describe()));
    }
}
