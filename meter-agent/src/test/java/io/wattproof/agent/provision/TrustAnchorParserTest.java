package io.wattproof.agent.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrustAnchorParserTest {
    private static final Instant TIME = Instant.parse("2026-11-20T10:00:00.123456789Z");

    private static TrustAnchorResult.Invalid invalid(ObjectNode anchor) {
        return assertInstanceOf(TrustAnchorResult.Invalid.class, TrustAnchorParser.parse("anchor.json", TestAnchors.text(anchor)));
    }

    @Test
    void aSignedBlockReadsWithItsPeriodAndExpiry() {
        TrustAnchor a = assertInstanceOf(TrustAnchorResult.Read.class,
                TrustAnchorParser.parse("anchor.json", TestAnchors.text(TestAnchors.anchor("wattproof-test", TIME, "336h")))).anchor();
        assertEquals("wattproof-test", a.chainId());
        assertEquals(1234, a.height());
        assertEquals(Duration.ofHours(336), a.trustingPeriod());
        assertEquals(TIME.plus(Duration.ofDays(14)), a.expiresAt());
        assertEquals(Duration.ofDays(7), a.remaining(TIME.plus(Duration.ofDays(7))));
    }

    @Test
    void aPeriodInSecondsIsRead() {
        ObjectNode anchor = TestAnchors.anchor("wattproof-test", TIME, "1h");
        anchor.put("trusting_period", 1_209_600);
        TrustAnchor a = assertInstanceOf(TrustAnchorResult.Read.class, TrustAnchorParser.parse("a", TestAnchors.text(anchor))).anchor();
        assertEquals(Duration.ofDays(14), a.trustingPeriod());
    }

    @Test
    void usableOnlyWithinItsPeriodForItsChainAndNotFromTheFuture() {
        TrustAnchor a = ((TrustAnchorResult.Read) TrustAnchorParser.parse("a", TestAnchors.text(
                TestAnchors.anchor("wattproof-test", TIME, "336h")))).anchor();
        assertTrue(TrustAnchorParser.checkUsable(a, "wattproof-test", TIME.plus(Duration.ofDays(13))).isEmpty());
        assertTrue(TrustAnchorParser.checkUsable(a, "wattproof-test", TIME.plus(Duration.ofDays(14))).orElseThrow().message()
                .contains("expired"));
        assertTrue(TrustAnchorParser.checkUsable(a, "other-chain", TIME).orElseThrow().message()
                .contains("chain_id: expected 'other-chain' (the device's ledger.chain_id), actual 'wattproof-test'"));
        assertTrue(TrustAnchorParser.checkUsable(a, "wattproof-test", TIME.minus(Duration.ofMinutes(1))).orElseThrow().message()
                .contains("light_block.signed_header.header.time"));
    }

    @Test
    void aDamagedSignatureIsRefused() {
        ObjectNode anchor = TestAnchors.anchor("wattproof-test", TIME, "336h");
        ObjectNode sig = (ObjectNode) anchor.at("/light_block/signed_header/commit/signatures/1");
        char[] s = sig.get("signature").asText().toCharArray();
        s[5] = s[5] == 'A' ? 'B' : 'A';
        sig.put("signature", new String(s));
        TrustAnchorResult.Invalid i = invalid(anchor);
        assertEquals("light_block", i.problem().field());
        assertTrue(i.problem().actual().contains("signature"), i.message());
    }

    @Test
    void aBlockSignedByTwoThirdsOrLessIsRefused() {
        AtomicInteger n = new AtomicInteger();
        // 2 of 4 equal validators: exactly 1/2, not more than 2/3.
        TrustAnchorResult.Invalid i = invalid(TestAnchors.anchor("wattproof-test", TIME, "336h", v -> n.getAndIncrement() < 2));
        assertTrue(i.problem().actual().contains("20") && i.problem().actual().contains("40"), i.message());
    }

    @Test
    void aHeaderWhoseHashIsNotTheCommittedBlockIsRefused() {
        ObjectNode anchor = TestAnchors.anchor("wattproof-test", TIME, "336h");
        ((ObjectNode) anchor.at("/light_block/signed_header/header")).put("app_hash",
                "00000000000000000000000000000000000000000000000000000000000000AA");
        TrustAnchorResult.Invalid i = invalid(anchor);
        assertEquals("light_block", i.problem().field());
        assertTrue(i.problem().actual().contains("hash"), i.message());
    }

    @Test
    void validatorSetsMustBeTheOnesTheHeaderNames() {
        ObjectNode anchor = TestAnchors.anchor("wattproof-test", TIME, "336h");
        ((ObjectNode) anchor.at("/light_block/next_validator_set/validators/0")).put("voting_power", "11");
        assertTrue(invalid(anchor).problem().actual().contains("next"), invalid(anchor).message());
        ObjectNode noNext = TestAnchors.anchor("wattproof-test", TIME, "336h");
        ((ObjectNode) noNext.get("light_block")).remove("next_validator_set");
        assertEquals("light_block.next_validator_set", invalid(noNext).problem().field());
    }

    @Test
    void fieldsOfTheFileAreCheckedByName() {
        ObjectNode schema = TestAnchors.anchor("wattproof-test", TIME, "336h").put("schema", "wattproof-trust-anchor/2");
        assertEquals("schema", invalid(schema).problem().field());
        ObjectNode chain = TestAnchors.anchor("wattproof-test", TIME, "336h").put("chain_id", "another-chain");
        assertEquals("light_block.signed_header.header.chain_id", invalid(chain).problem().field());
        assertEquals("trusting_period", invalid(TestAnchors.anchor("wattproof-test", TIME, "forever")).problem().field());
        assertEquals("trusting_period", invalid(TestAnchors.anchor("wattproof-test", TIME, "400d")).problem().field());
        ObjectNode extra = TestAnchors.anchor("wattproof-test", TIME, "336h").put("trust_level", "1/3");
        assertEquals("trust_level", invalid(extra).problem().field());
        ObjectNode missingCommit = TestAnchors.anchor("wattproof-test", TIME, "336h");
        ((ObjectNode) missingCommit.at("/light_block/signed_header")).remove("commit");
        assertTrue(invalid(missingCommit).problem().field().startsWith("light_block.signed_header"), invalid(missingCommit).message());
    }

    @Test
    void anythingThatIsNotAnAnchorIsAnInvalidValueNotAnException() {
        for (String text : new String[] {"", "[]", "{", "null", "{\"schema\": 1}", "\"x\"", "{\"light_block\": {}}",
                "x".repeat(TrustAnchorParser.MAX_FILE_CHARS + 1), "[".repeat(5000)}) {
            assertInstanceOf(TrustAnchorResult.Invalid.class, TrustAnchorParser.parse("a", text), text.length() > 40 ? "long" : text);
        }
    }
}
