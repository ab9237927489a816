package io.wattproof.lightclient.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.json.CometJson;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One light-client test case in the single-step format of tendermint-rs
 * ({@code light-client/tests/support/model_based/single_step}): a trusted initial state and a list of
 * blocks, each with the time to verify it at and the verdict expected.
 */
public record SingleStepCase(String description, LightBlock initial, Duration trustingPeriod, List<Step> steps) {
    private static final Set<String> VERDICTS = Set.of("SUCCESS", "NOT_ENOUGH_TRUST", "INVALID");

    public record Step(LightBlock block, Instant now, String expectedVerdict) {}

    public SingleStepCase {
        steps = List.copyOf(steps);
    }

    public static SingleStepCase fromJson(JsonNode root) throws MalformedInputException {
        if (!root.isObject()) {
            throw new MalformedInputException("(document)", "expected an object with initial and input");
        }
        JsonNode initial = field(root, "", "initial");
        SignedHeader sh = CometJson.signedHeader(field(initial, "initial", "signed_header"), "initial.signed_header");
        // The reference harness trusts the initial next validator set as both sets of the trusted block.
        ValidatorSet next = CometJson.validatorSet(field(initial, "initial", "next_validator_set"), "initial.next_validator_set");
        long periodNanos = CometJson.int64(field(initial, "initial", "trusting_period"), "initial.trusting_period");
        if (periodNanos <= 0) {
            throw new MalformedInputException("initial.trusting_period", "must be positive nanoseconds, got " + periodNanos);
        }
        JsonNode input = field(root, "", "input");
        if (!input.isArray()) {
            throw new MalformedInputException("input", "expected an array of steps");
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            String path = "input[" + i + "]";
            JsonNode step = input.get(i);
            if (!step.isObject()) {
                throw new MalformedInputException(path, "expected an object");
            }
            LightBlock block = CometJson.lightBlock(field(step, path, "block"), path + ".block");
            Instant now = CometJson.time(field(step, path, "now"), path + ".now");
            String verdict = field(step, path, "verdict").asText();
            if (!VERDICTS.contains(verdict)) {
                throw new MalformedInputException(path + ".verdict",
                        "expected SUCCESS, NOT_ENOUGH_TRUST or INVALID, got \"" + verdict + "\"");
            }
            steps.add(new Step(block, now, verdict));
        }
        String description = root.path("description").asText("");
        return new SingleStepCase(description, new LightBlock(sh, next, Optional.of(next)),
                Duration.ofNanos(periodNanos), steps);
    }

    private static JsonNode field(JsonNode node, String path, String name) throws MalformedInputException {
        JsonNode child = node.get(name);
        if (child == null || child.isNull()) {
            throw new MalformedInputException(path.isEmpty() ? name : path + "." + name, "missing");
        }
        return child;
    }
}
