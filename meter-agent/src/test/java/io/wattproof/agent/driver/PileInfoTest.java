package io.wattproof.agent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.seal.Suite;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PileInfoTest {
    static final DeviceId PILE = DeviceId.fromHex("00112233445566778899aabbccddeeff00112233");
    static final String OFFER = "ab".repeat(32);
    private final RecipientKeyPair key = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, new SecureRandom());
    private final String keyHex = HexFormat.of().formatHex(key.publicKey().encoded());

    private String json(String pile, String sealKey, String suite, String offers) {
        return "{\"pile\":\"" + pile + "\",\"seal_key\":\"" + sealKey + "\",\"suite\":\"" + suite + "\",\"offers\":" + offers
                + ",\"state\":\"idle\"}";
    }

    private String offer(String hash, String start, String end) {
        return "{\"tx_hash\":\"" + hash + "\",\"unit_price\":300000,\"window_start\":" + start + ",\"window_end\":" + end
                + ",\"max_power_w\":11000}";
    }

    private PileInfo.Parsed parse(String s) {
        return PileInfo.parse(s.getBytes(StandardCharsets.UTF_8), PILE);
    }

    private String reason(String s) {
        return assertInstanceOf(PileInfo.Parsed.Malformed.class, parse(s)).reason();
    }

    @Test
    void aPilesInfoIsRead() {
        PileInfo info = assertInstanceOf(PileInfo.Parsed.Ok.class,
                parse(json(PILE.hex(), keyHex, "X25519_AES_128_GCM", "[" + offer(OFFER, "1000", "2000") + "]"))).info();
        assertEquals(key.publicKey(), info.sealKey());
        assertEquals(Suite.X25519_AES_128_GCM, info.suite());
        assertEquals("idle", info.state());
        assertEquals(1, info.offers().size());
        PileInfo.Offer o = info.offers().get(0);
        assertEquals(OFFER, o.txHashHex());
        assertEquals(300_000, o.unitPrice());
        assertEquals(1000, o.windowStart());
        assertEquals(2000, o.windowEnd());
        assertEquals(11_000, o.maxPowerW());
        assertEquals(o.txHashHex(), info.firstCurrentOffer(1500).orElseThrow().txHashHex());
        assertTrue(info.firstCurrentOffer(2000).isEmpty(), "an offer whose window has ended is not current");
    }

    @Test
    void isoInstantsAndUnknownFieldsAreAccepted() {
        String s = json(PILE.hex(), keyHex, "X25519_AES_128_GCM",
                "[" + offer(OFFER, "\"1970-01-01T00:16:40Z\"", "\"1970-01-01T00:33:20Z\"").replace("{", "{\"extra\":1,") + "]");
        PileInfo.Offer o = assertInstanceOf(PileInfo.Parsed.Ok.class, parse(s)).info().offers().get(0);
        assertEquals(1000, o.windowStart());
        assertEquals(2000, o.windowEnd());
    }

    @ParameterizedTest
    @CsvSource({
            "X25519_AES_128_GCM, X25519_AES_128_GCM",
            "x25519_chacha20_poly1305, X25519_CHACHA20_POLY1305",
            "'DHKEM(X25519, HKDF-SHA256)/HKDF-SHA256/AES-128-GCM', X25519_AES_128_GCM",
            "X25519, X25519_AES_128_GCM",
            "CHACHA20_POLY1305, X25519_CHACHA20_POLY1305",
    })
    void suitesAreReadByName(String name, String constant) throws Exception {
        Suite expected = (Suite) Suite.class.getField(constant).get(null);
        assertEquals(expected, PileInfo.suite(name, 32));
    }

    @Test
    void theSuitesToStringIsReadBack() throws Exception {
        for (Suite s : new Suite[] {Suite.X25519_AES_128_GCM, Suite.X25519_CHACHA20_POLY1305, Suite.P256_AES_128_GCM,
                Suite.P256_CHACHA20_POLY1305}) {
            assertEquals(s, PileInfo.suite(s.toString(), s.kem().publicKeyLength()));
        }
    }

    @Test
    void badInputNamesTheFieldExpectedAndActual() {
        assertTrue(reason("not json").startsWith("charge/info: expected a JSON object, got 8 bytes that do not parse"));
        assertEquals("charge/info: expected a JSON object, got array [1]", reason("[1]"));
        assertEquals("charge/info pile: expected " + PILE.hex() + ", got 'ffff'",
                reason(json("ffff", keyHex, "X25519_AES_128_GCM", "[]")));
        assertTrue(reason(json(PILE.hex(), "abcd", "X25519_AES_128_GCM", "[]"))
                .startsWith("charge/info seal_key: X25519_HKDF_SHA256 public key: expected 32 bytes, got 2"));
        assertEquals("charge/info.seal_key: expected hex, got 'xyz'", reason(json(PILE.hex(), "xyz", "X25519_AES_128_GCM", "[]")));
        assertTrue(reason(json(PILE.hex(), keyHex, "RSA", "[]")).startsWith("charge/info suite: expected an HPKE suite such as X25519_AES_128_GCM"));
        assertEquals("charge/info offers: expected an array, got object {}", reason(json(PILE.hex(), keyHex, "X25519_AES_128_GCM", "{}")));
        assertEquals("charge/info offers[0].tx_hash: expected 32 bytes (64 hex characters), got 2",
                reason(json(PILE.hex(), keyHex, "X25519_AES_128_GCM", "[" + offer("abcd", "1", "2") + "]")));
        assertEquals("charge/info offers[0] window: expected window_start < window_end, got 2 and 2",
                reason(json(PILE.hex(), keyHex, "X25519_AES_128_GCM", "[" + offer(OFFER, "2", "2") + "]")));
        assertEquals("charge/info offers[0].window_start: expected UTC epoch seconds or an ISO-8601 instant, got string \"soon\"",
                reason(json(PILE.hex(), keyHex, "X25519_AES_128_GCM", "[" + offer(OFFER, "\"soon\"", "2") + "]")));
        assertEquals("charge/info offers[0].unit_price: expected a positive integer, got string \"1\"",
                reason(json(PILE.hex(), keyHex, "X25519_AES_128_GCM", "[" + offer(OFFER, "1", "2").replace("300000", "\"1\"") + "]")));
        assertTrue(reason("{\"pile\":7}").startsWith("charge/info.pile: expected a string, got number 7"));
        assertTrue(reason("").startsWith("charge/info: expected a JSON object, got nothing"), reason(""));
    }

    @Test
    void noTruncationThrows() {
        byte[] full = json(PILE.hex(), keyHex, "X25519_AES_128_GCM", "[" + offer(OFFER, "1000", "2000") + "]")
                .getBytes(StandardCharsets.UTF_8);
        for (int n = 0; n < full.length; n++) {
            assertInstanceOf(PileInfo.Parsed.Malformed.class, PileInfo.parse(java.util.Arrays.copyOf(full, n), PILE), "cut to " + n);
        }
    }
}
