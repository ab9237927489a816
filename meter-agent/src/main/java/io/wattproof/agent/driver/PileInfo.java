package io.wattproof.agent.driver;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattproof.agent.driver.JsonFields.Bad;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.seal.Aead;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientPublicKey;
import io.wattproof.crypto.seal.Suite;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a pile publishes, retained, on {@code wattproof/v1/devices/<P>/charge/info} (docs/charging.md
 * "Topics"): its current offers and the HPKE key a car owner seals its data to. Nothing in it is
 * trusted: the ledger checks the offer named in a booking, and a wrong seal key only means the pile
 * cannot read the car owner's data.
 *
 * @param offers in the order published
 * @param state the pile's own word for what it is doing ({@code idle}, {@code charging}, …); empty if absent
 */
public record PileInfo(DeviceId pile, RecipientPublicKey sealKey, Suite suite, List<Offer> offers, String state) {
    static final int TX_HASH_LENGTH = 32;

    public PileInfo {
        offers = List.copyOf(offers);
    }

    /**
     * One offer as the pile describes it.
     *
     * @param unitPrice micro-units per kWh
     * @param windowStart UTC epoch seconds, with {@code windowEnd} the offer's window [start, end)
     */
    public record Offer(byte[] txHash, long unitPrice, long windowStart, long windowEnd, int maxPowerW) {
        public Offer {
            txHash = txHash.clone();
        }

        @Override
        public byte[] txHash() {
            return txHash.clone();
        }

        public String txHashHex() {
            return HexFormat.of().formatHex(txHash);
        }

        @Override
        public String toString() {
            return "Offer[" + txHashHex() + ", unit_price=" + unitPrice + ", window=[" + Instant.ofEpochSecond(windowStart) + ", "
                    + Instant.ofEpochSecond(windowEnd) + "), max_power_w=" + maxPowerW + "]";
        }
    }

    /** The outcome of reading a payload. */
    public sealed interface Parsed {
        record Ok(PileInfo info) implements Parsed {}

        /** {@code reason} names the field with expected and actual values. */
        record Malformed(String reason) implements Parsed {}
    }

    /** The first offer whose window has not ended at {@code nowEpochSeconds}: what a booking takes by default. */
    public Optional<Offer> firstCurrentOffer(long nowEpochSeconds) {
        return offers.stream().filter(o -> o.windowEnd() > nowEpochSeconds).findFirst();
    }

    /** The offer with this tx hash, if the pile lists it. */
    public Optional<Offer> offer(byte[] txHash) {
        return offers.stream().filter(o -> java.util.Arrays.equals(o.txHash, txHash)).findFirst();
    }

    /**
     * Reads a {@code charge/info} payload of pile {@code expectedPile}; never throws. Times are UTC
     * epoch seconds, or ISO-8601 instants as strings; {@code suite} names an HPKE suite of
     * docs/sealing.md, e.g. {@code X25519_AES_128_GCM} or {@link Suite#toString()}'s form.
     */
    public static Parsed parse(byte[] payload, DeviceId expectedPile) {
        JsonNode root;
        try {
            root = JsonFields.MAPPER.readTree(payload);
        } catch (IOException e) {
            return bad("charge/info: expected a JSON object, got " + payload.length + " bytes that do not parse ("
                    + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) {
            return bad("charge/info: expected a JSON object, got " + JsonFields.describe(root));
        }
        try {
            String pileHex = JsonFields.text(root, "pile", "charge/info");
            if (!pileHex.equalsIgnoreCase(expectedPile.hex())) {
                return bad("charge/info pile: expected " + expectedPile.hex() + ", got '" + pileHex + "'");
            }
            byte[] keyBytes = JsonFields.hex(root, "seal_key", -1, "charge/info");
            Suite suite = suite(JsonFields.text(root, "suite", "charge/info"), keyBytes.length);
            RecipientPublicKey key;
            try {
                key = RecipientPublicKey.of(suite.kem(), keyBytes);
            } catch (IllegalArgumentException e) {
                throw new Bad("charge/info seal_key: " + e.getMessage());
            }
            JsonNode offersNode = root.get("offers");
            if (offersNode == null || !offersNode.isArray()) {
                throw new Bad("charge/info offers: expected an array, got " + JsonFields.describe(offersNode));
            }
            List<Offer> offers = new ArrayList<>();
            for (int i = 0; i < offersNode.size(); i++) {
                offers.add(offer(offersNode.get(i), "charge/info offers[" + i + "]"));
            }
            JsonNode state = root.get("state");
            return new Parsed.Ok(new PileInfo(expectedPile, key, suite, offers, state != null && state.isTextual() ? state.asText() : ""));
        } catch (Bad e) {
            return bad(e.getMessage());
        }
    }

    private static Offer offer(JsonNode node, String where) throws Bad {
        if (node == null || !node.isObject()) {
            throw new Bad(where + ": expected an object, got " + JsonFields.describe(node));
        }
        byte[] txHash = JsonFields.hex(node, "tx_hash", TX_HASH_LENGTH, where);
        long price = JsonFields.positiveLong(node, "unit_price", where);
        long start = JsonFields.epochSeconds(node, "window_start", where);
        long end = JsonFields.epochSeconds(node, "window_end", where);
        if (start >= end) {
            throw new Bad(where + " window: expected window_start < window_end, got " + start + " and " + end);
        }
        long power = JsonFields.positiveLong(node, "max_power_w", where);
        if (power > Integer.MAX_VALUE) {
            throw new Bad(where + ".max_power_w: expected at most " + Integer.MAX_VALUE + ", got " + power);
        }
        return new Offer(txHash, price, start, end, (int) power);
    }

    /**
     * The suite by name: the constant names of {@link Suite} ({@code X25519_AES_128_GCM}), RFC 9180
     * style ({@code DHKEM(X25519, HKDF-SHA256)/HKDF-SHA256/AES-128-GCM}), or the KEM alone ({@code
     * X25519}, as the pile's shell publishes it). Only HKDF-SHA256 exists here. A name without an
     * AEAD takes AES-128-GCM: the sealer chooses the AEAD, and the pile opens whichever suite the
     * record names (docs/sealing.md); a name without a KEM takes the KEM of the key's length.
     */
    static Suite suite(String name, int keyLength) throws Bad {
        String n = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        Kem kem = n.contains("X25519") ? Kem.X25519_HKDF_SHA256 : n.contains("P256") ? Kem.P256_HKDF_SHA256 : null;
        Aead aead = n.contains("AES128GCM") ? Aead.AES_128_GCM : n.contains("CHACHA20POLY1305") ? Aead.CHACHA20_POLY1305 : null;
        if (kem == null && aead == null) {
            throw new Bad("charge/info suite: expected an HPKE suite such as X25519_AES_128_GCM, X25519_CHACHA20_POLY1305, "
                    + "P256_AES_128_GCM, P256_CHACHA20_POLY1305 or X25519, got '" + name + "'");
        }
        if (kem == null) {
            kem = keyLength == Kem.P256_HKDF_SHA256.publicKeyLength() ? Kem.P256_HKDF_SHA256 : Kem.X25519_HKDF_SHA256;
        }
        return new Suite(kem, aead != null ? aead : Aead.AES_128_GCM);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Parsed bad(String reason) {
        return new Parsed.Malformed(reason);
    }
}
