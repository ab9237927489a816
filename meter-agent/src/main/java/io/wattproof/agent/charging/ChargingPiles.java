package io.wattproof.agent.charging;

import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.gpio.Relay;
import io.wattproof.agent.ledger.LedgerTxListener;
import io.wattproof.agent.meter.MeterSample;
import io.wattproof.agent.record.ChargingSessionFactory;
import io.wattproof.agent.record.SignedRecord;
import io.wattproof.agent.uplink.LiveChannel;
import io.wattproof.crypto.DeviceKey;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ChargingPile} wired into a running {@link MeterAgent}, the one way the daemon and the
 * simulator both run a pile (docs/charging.md, "The pile's shell"): the agent is the pile's host
 * (transactions, the record chain, the meter's samples), {@code live} carries its MQTT topics, and
 * the agent's ledger follower hands it the bookings it verified and the results of its offers and
 * session starts.
 */
public final class ChargingPiles {
    private ChargingPiles() {}

    /**
     * Opens the pile (closing a session a power cut left open), subscribes it on {@code live},
     * connects it to the agent's ledger follower and starts its tick. With an {@code offers}
     * policy the pile keeps an offer open by itself ({@link ChargingPile#keepOffering}); without
     * one, offers are its caller's to publish.
     */
    public static ChargingPile startIn(MeterAgent agent, LiveChannel live, ChargingPile.Settings settings, DeviceKey key, Relay relay,
            SessionSealer sealer, Clock clock, Optional<OfferPolicy> offers) {
        ChargingPile pile = ChargingPile.open(settings, key, relay, sealer, hostOf(agent, live), clock);
        live.live(pile.subscriber());
        agent.ledgerTransactions(new LedgerTxListener() {
            @Override
            public void bookingVerified(byte[] bookingTx, long height) {
                pile.bookingVerified(bookingTx);
            }

            @Override
            public void txDecided(byte[] txHash, int resultCode, long height) {
                pile.txDecided(txHash, resultCode, height);
            }
        });
        // After the ledger listener: the first offer's result must find its way back to the pile.
        offers.ifPresent(pile::keepOffering);
        pile.startTicking();
        return pile;
    }

    /** The agent as a pile's host; none of these calls waits for the pile. */
    static ChargingPile.Host hostOf(MeterAgent agent, LiveChannel live) {
        return new ChargingPile.Host() {
            @Override
            public void submitTransaction(byte[] signedTx) {
                agent.submitTransaction(signedTx);
            }

            @Override
            public CompletableFuture<SignedRecord> appendRecord(ChargingSessionFactory factory) {
                return agent.appendRecord(factory);
            }

            @Override
            public CompletableFuture<Optional<SignedRecord>> findSessionRecord(byte[] bookingTxHash) {
                return agent.findSessionRecord(bookingTxHash);
            }

            @Override
            public Optional<MeterSample> latestSample() {
                return agent.latestSample();
            }

            @Override
            public boolean publish(String topic, byte[] payload, boolean retained) {
                return live.publishLive(topic, payload, retained);
            }
        };
    }
}
