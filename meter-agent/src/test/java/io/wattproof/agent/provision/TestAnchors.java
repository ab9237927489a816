package io.wattproof.agent.provision;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattproof.lightclient.ChainGenerator;
import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.RpcJsonWriter;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Trust anchor files made from light blocks the light client's {@link ChainGenerator} signs with
 * real Ed25519 keys, in the JSON shape of the RPC ({@link RpcJsonWriter}).
 */
public final class TestAnchors {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private TestAnchors() {}

    /** An anchor for {@code chainId} at {@code time}, signed by every one of 4 validators. */
    public static ObjectNode anchor(String chainId, Instant time, String trustingPeriod) {
        return anchor(chainId, time, trustingPeriod, v -> true);
    }

    public static ObjectNode anchor(String chainId, Instant time, String trustingPeriod, Predicate<TestValidator> signs) {
        ChainGenerator gen = new ChainGenerator(42);
        List<TestValidator> vals = List.of(gen.ed25519Validator(10), gen.ed25519Validator(10), gen.ed25519Validator(10),
                gen.ed25519Validator(10));
        LightBlock block = gen.block(chainId, 1234, time, vals, vals, signs);
        ObjectNode root = F.objectNode();
        root.put("schema", TrustAnchor.SCHEMA);
        root.put("chain_id", chainId);
        root.put("trusting_period", trustingPeriod);
        ObjectNode lb = root.putObject("light_block");
        ObjectNode sh = lb.putObject("signed_header");
        sh.set("header", RpcJsonWriter.header(block.header()));
        sh.set("commit", RpcJsonWriter.commit(block.commit()));
        lb.set("validator_set", set(block.validators()));
        lb.set("next_validator_set", set(block.nextValidators().orElseThrow()));
        return root;
    }

    static ObjectNode set(ValidatorSet set) {
        ObjectNode o = F.objectNode();
        ArrayNode list = o.putArray("validators");
        for (Validator v : set.validators()) {
            list.add(RpcJsonWriter.validator(v));
        }
        return o;
    }

    public static String text(ObjectNode anchor) {
        return anchor.toPrettyString();
    }
}
