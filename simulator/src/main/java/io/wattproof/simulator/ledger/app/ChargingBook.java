package io.wattproof.simulator.ledger.app;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.simulator.ledger.app.AppSnapshot.BookingStatus;
import io.wattproof.simulator.ledger.app.AppSnapshot.BookingView;
import io.wattproof.simulator.ledger.app.AppSnapshot.ChargingView;
import io.wattproof.simulator.ledger.app.AppSnapshot.OfferView;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The charging part of the application's state (docs/charging.md, "The state machine on the
 * ledger"): offers, bookings with their sessions and evidence, and the replay counters of piles
 * and car owners. Mutable, touched only by the thread that executes blocks; readers get a
 * {@link ChargingView} made at commit.
 */
final class ChargingBook {
    private static final HexFormat HEX = HexFormat.of();

    /** Offers by the hex of their transaction hash (hex order is byte order). */
    final TreeMap<String, Offer> offers = new TreeMap<>();
    /** Bookings by the hex of their transaction hash. */
    final TreeMap<String, Booking> bookings = new TreeMap<>();
    /**
     * The bookings still waiting for something (booked, active, completed), by hash: an index over
     * {@link #bookings}, not hashed on its own.
     */
    final TreeMap<String, Booking> open = new TreeMap<>();
    /** Last offer nonce per pile, by device id hex. */
    final TreeMap<String, Long> pileNonces = new TreeMap<>();
    /** Last booking nonce per car owner, by key id hex. */
    final TreeMap<String, Long> driverNonces = new TreeMap<>();
    long sessions;
    long settled;
    long disputes;

    static final class Offer {
        final byte[] txHash;
        final DeviceId pile;
        final byte[] ownerPseudonym;
        final long unitPrice;
        final long windowStart;
        final long windowEnd;
        final long maxPowerW;
        final long nonce;
        boolean expired;

        Offer(byte[] txHash, DeviceId pile, byte[] ownerPseudonym, long unitPrice, long windowStart, long windowEnd, long maxPowerW,
              long nonce) {
            this.txHash = txHash;
            this.pile = pile;
            this.ownerPseudonym = ownerPseudonym;
            this.unitPrice = unitPrice;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.maxPowerW = maxPowerW;
            this.nonce = nonce;
        }
    }

    /** One reading of the pile that overlaps a booked window: [start, end) and its import delta (Wh). */
    record Evidence(long start, long end, long importDeltaWh) {}

    static final class Booking {
        final byte[] txHash;
        final Offer offer;
        /** Parsed once; its DER is {@link #driverKeyInfo}. */
        final VerifyingKey driverKey;
        final byte[] driverKeyInfo;
        final String driverAccount;
        final long maxEnergyWh;
        final long maxAmount;
        final long windowStart;
        final long windowEnd;
        final long deposit;
        final long nonce;
        BookingStatus status = BookingStatus.BOOKED;
        long startTime;
        long startImportWh;
        long endTime;
        long endImportWh;
        long energyWh;
        /** What the pile's account was credited at settlement. */
        long amount;
        /** The pile's readings accepted while this booking was open and overlapping its window. */
        final List<Evidence> evidence = new ArrayList<>();

        Booking(byte[] txHash, Offer offer, VerifyingKey driverKey, String driverAccount, long maxEnergyWh, long maxAmount,
                long windowStart, long windowEnd, long deposit, long nonce) {
            this.txHash = txHash;
            this.offer = offer;
            this.driverKey = driverKey;
            this.driverKeyInfo = driverKey.subjectPublicKeyInfo();
            this.driverAccount = driverAccount;
            this.maxEnergyWh = maxEnergyWh;
            this.maxAmount = maxAmount;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.deposit = deposit;
            this.nonce = nonce;
        }

        String hex() {
            return HEX.formatHex(txHash);
        }
    }

    /** The car owner's account: {@code driver:} + the key id in lowercase hex (docs/charging.md). */
    static String driverAccount(DeviceId driver) {
        return "driver:" + driver.hex();
    }

    /**
     * Appends the charging state to the app-hash encoding (docs/ledger.md, "App hash", version
     * {@value EnergyApplication#STATE_ENCODING}): pile nonces and driver nonces (count, then id 20
     * bytes and nonce per entry in id order); offers (count, then per offer in tx-hash order: hash
     * 32, pile id 20, owner pseudonym, unit price, window start, window end, max power, nonce,
     * expired); bookings (count, then per booking in tx-hash order: hash 32, offer hash 32, driver
     * key DER, account, max energy, max amount, window start, window end, deposit, nonce, status
     * (u8, {@link BookingStatus} ordinal), start time, start import, end time, end import, energy,
     * amount, evidence count (u32) and per evidence start, end, import delta); then the session,
     * settled and dispute counts.
     */
    void hashInto(HashWriter w) {
        nonces(w, pileNonces);
        nonces(w, driverNonces);
        w.u32(offers.size());
        for (Offer o : offers.values()) {
            w.raw(o.txHash).raw(o.pile.bytes()).bytes(o.ownerPseudonym).i64(o.unitPrice).i64(o.windowStart).i64(o.windowEnd)
                    .i64(o.maxPowerW).i64(o.nonce).bool(o.expired);
        }
        w.u32(bookings.size());
        for (Booking b : bookings.values()) {
            w.raw(b.txHash).raw(b.offer.txHash).bytes(b.driverKeyInfo).text(b.driverAccount).i64(b.maxEnergyWh).i64(b.maxAmount)
                    .i64(b.windowStart).i64(b.windowEnd).i64(b.deposit).i64(b.nonce).u8(b.status.ordinal()).i64(b.startTime)
                    .i64(b.startImportWh).i64(b.endTime).i64(b.endImportWh).i64(b.energyWh).i64(b.amount).u32(b.evidence.size());
            for (Evidence e : b.evidence) {
                w.i64(e.start()).i64(e.end()).i64(e.importDeltaWh());
            }
        }
        w.i64(sessions).i64(settled).i64(disputes);
    }

    private static void nonces(HashWriter w, TreeMap<String, Long> nonces) {
        w.u32(nonces.size());
        nonces.forEach((idHex, n) -> w.raw(HEX.parseHex(idHex)).i64(n));
    }

    ChargingView view() {
        Map<String, OfferView> offerViews = new LinkedHashMap<>();
        for (Map.Entry<String, Offer> e : offers.entrySet()) {
            Offer o = e.getValue();
            offerViews.put(e.getKey(), new OfferView(e.getKey(), o.pile, o.unitPrice, o.windowStart, o.windowEnd, o.maxPowerW,
                    o.expired));
        }
        Map<String, BookingView> bookingViews = new LinkedHashMap<>();
        for (Map.Entry<String, Booking> e : bookings.entrySet()) {
            Booking b = e.getValue();
            bookingViews.put(e.getKey(), new BookingView(e.getKey(), HEX.formatHex(b.offer.txHash), b.offer.pile, b.driverAccount,
                    b.status, b.windowStart, b.windowEnd, b.maxEnergyWh, b.maxAmount, b.deposit, b.startTime, b.endTime, b.energyWh,
                    b.amount));
        }
        return new ChargingView(offerViews, bookingViews, sessions, settled, disputes);
    }
}
