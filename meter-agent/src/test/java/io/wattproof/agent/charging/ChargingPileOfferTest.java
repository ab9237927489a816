package io.wattproof.agent.charging;

import static io.wattproof.agent.charging.ChargingFixture.CHAIN;
import static io.wattproof.agent.charging.ChargingFixture.RANDOM;
import static io.wattproof.agent.charging.ChargingFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.clock.SettableClock;
import io.wattproof.agent.gpio.LoggingRelay;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.seal.Suite;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.TxResultCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pile that keeps an offer open by itself ({@link ChargingPile#keepOffering}), with a settable clock and a test host. */
class ChargingPileOfferTest {
    private static final OfferPolicy POLICY = new OfferPolicy(250_000, 11_000, 7);

    @TempDir
    Path dataDir;

    private final ChargingFixture f = new ChargingFixture();
    private final RecipientKeyPair pileSeal = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
    private final SettableClock clock = new SettableClock(T0);
    private TestPileHost host;
    private ChargingPile pile;

    @BeforeEach
    void openPile() throws Exception {
        host = new TestPileHost(dataDir, f.pile, CHAIN);
        pile = open();
    }

    @AfterEach
    void closeOutbox() throws Exception {
        pile.close();
        host.outbox.close();
    }

    private ChargingPile open() {
        SessionSealer sealer = new SessionSealer(Suite.X25519_AES_128_GCM, pileSeal,
                RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM).publicKey(),
                RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM).publicKey(), "owner@example.org".getBytes(), new byte[16],
                RANDOM);
        return ChargingPile.open(ChargingPile.Settings.of(CHAIN, dataDir, new byte[32], pileSeal.publicKey().encoded(), "X25519"),
                f.pile, new LoggingRelay(clock), sealer, host, clock);
    }

    private List<PileOffer> submittedOffers() throws Exception {
        List<PileOffer> out = new java.util.ArrayList<>();
        for (byte[] tx : host.submitted) {
            SignedTx s = SignedTx.parseFrom(tx);
            if (s.getBodyType() == BodyType.PILE_OFFER) {
                out.add(PileOffer.parseFrom(s.getBody()));
            }
        }
        return out;
    }

    private void tickAt(Instant at) {
        clock.set(at);
        pile.tick();
    }

    @Test
    void withoutAPolicyThePileNeverOffers() {
        tickAt(T0.plus(Duration.ofDays(3)));
        assertTrue(host.submitted.isEmpty());
    }

    @Test
    void thePileOffersAtStartAndAgainAnHourAfterTheLedgerRefusedIt() throws Exception {
        pile.keepOffering(POLICY);
        List<PileOffer> sent = submittedOffers();
        assertEquals(1, sent.size(), "offered at start");
        PileOffer first = sent.get(0);
        assertEquals(1, first.getNonce());
        assertEquals(250_000, first.getUnitPrice());
        assertEquals(11_000, first.getMaxPowerW());
        assertEquals(T0.getEpochSecond(), first.getWindowStart());
        assertEquals(T0.plus(Duration.ofDays(7)).getEpochSecond(), first.getWindowEnd());
        assertArrayEquals(new byte[32], first.getOwnerPseudonym().toByteArray());
        assertEquals(1, pile.offers().size());

        pile.txDecided(ChargingTransactions.txHash(host.submitted.get(0)), TxResultCode.RESULT_UNKNOWN_DEVICE_VALUE, 4);
        assertTrue(pile.offers().isEmpty(), "a refused offer is dropped");
        tickAt(T0.plus(Duration.ofMinutes(30)));
        tickAt(T0.plus(Duration.ofMinutes(59)));
        assertEquals(1, submittedOffers().size(), "not again within the hour");

        tickAt(T0.plus(Duration.ofHours(1)));
        sent = submittedOffers();
        assertEquals(2, sent.size(), "offered again an hour later");
        assertEquals(1, sent.get(1).getNonce(), "with the refused offer's nonce");
        assertEquals(T0.plus(Duration.ofHours(1)).getEpochSecond(), sent.get(1).getWindowStart());
        assertEquals(T0.plus(Duration.ofHours(1)).plus(Duration.ofDays(7)).getEpochSecond(), sent.get(1).getWindowEnd());
        tickAt(T0.plus(Duration.ofHours(3)));
        assertEquals(2, submittedOffers().size(), "an open offer a week ahead is enough");
    }

    @Test
    void aPileRunningForWeeksAlwaysHasAnOfferADayAhead() throws Exception {
        pile.keepOffering(POLICY);
        for (Instant t = T0; t.isBefore(T0.plus(Duration.ofDays(30))); t = t.plus(Duration.ofHours(1))) {
            tickAt(t);
            long horizon = t.plus(Duration.ofDays(1)).getEpochSecond();
            assertTrue(pile.offers().values().stream().anyMatch(o -> o.getWindowEnd() > horizon), "at " + t + ": " + pile.offers());
        }
        List<PileOffer> sent = submittedOffers();
        assertEquals(5, sent.size(), "one a week less a day: " + sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(i + 1, sent.get(i).getNonce());
        }
        assertTrue(pile.offers().size() <= 2, "ended offers are dropped: " + pile.offers().size());
    }

    @Test
    void aRestartedPileKeepsTheOfferItHolds() throws Exception {
        pile.keepOffering(POLICY);
        pile.close();
        host.reopen();
        clock.set(T0.plus(Duration.ofDays(2)));
        pile = open();
        pile.keepOffering(POLICY);
        // The offer from before the restart still ends five days ahead: no new one. It is only sent
        // again as it was (the agent forgot it), which the ledger answers with the block holding it.
        List<PileOffer> offers = submittedOffers();
        assertEquals(2, offers.size());
        assertEquals(offers.get(0), offers.get(1));
        assertEquals(1, pile.offers().size());
    }

    @Test
    void aPileThatCannotOfferSaysSoAndTriesHourly() throws Exception {
        Files.write(dataDir.resolve(PileStateFile.FILE_NAME), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        host.reopen();
        pile.close();
        pile = open();
        pile.keepOffering(POLICY);
        tickAt(T0.plus(Duration.ofHours(2)));
        assertTrue(host.submitted.isEmpty(), "no offer with an unknown nonce, and the tick goes on");
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, Files.readAllBytes(dataDir.resolve(PileStateFile.FILE_NAME)));
    }
}
