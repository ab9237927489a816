package io.wattproof.simulator.ledger.app;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The energy application's committed state as readers (simulator, dashboard, gateway) see it: an
 * immutable value published at each commit, so it can be read from any thread while the next block
 * executes.
 *
 * @param height of the last committed block (0: genesis)
 * @param time of the last committed block; empty at genesis
 * @param devices every registered device (revoked and rotated ones included), in device id order
 * @param balances micro-units per account, in account order (negative: the account owes)
 * @param contract the tariff covering the last block's time, if any
 * @param operatorNonces the last nonce each genesis operator used (0: none yet), by operator id hex
 * @param charging offers, bookings and their sessions (docs/charging.md)
 */
public record AppSnapshot(long height, Optional<Instant> time, byte[] appHash, Map<DeviceId, DeviceView> devices,
                          Totals totals, Map<String, Long> balances, Grid grid, long settledIntervals, int openIntervals,
                          Optional<Tariff> contract, Map<String, Long> operatorNonces, ChargingView charging) {
    public AppSnapshot {
        Objects.requireNonNull(time, "time");
        appHash = appHash.clone();
        devices = Collections.unmodifiableMap(new LinkedHashMap<>(devices));
        Objects.requireNonNull(totals, "totals");
        balances = Collections.unmodifiableMap(new TreeMap<>(balances));
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(contract, "contract");
        operatorNonces = Collections.unmodifiableMap(new TreeMap<>(operatorNonces));
        Objects.requireNonNull(charging, "charging");
    }

    /** The last nonce {@code operator} used; its next operator transaction carries this + 1. */
    public long operatorNonce(DeviceId operator) {
        return operatorNonces.getOrDefault(operator.hex(), 0L);
    }

    @Override
    public byte[] appHash() {
        return appHash.clone();
    }

    public Optional<DeviceView> device(DeviceId id) {
        return Optional.ofNullable(devices.get(id));
    }

    public boolean isRegistered(DeviceId id) {
        return devices.containsKey(id);
    }

    /** The account's balance; 0 for an account that never settled anything. */
    public long balance(String account) {
        return balances.getOrDefault(account, 0L);
    }

    /**
     * @param readingsAccepted readings accepted in committed blocks
     * @param refusedByCode transactions refused in committed blocks, by TxResultCode number (checkTx
     *     refusals are not counted: they never reached a block)
     * @param openGapSequences missing sequences over all devices' open gaps
     */
    public record Totals(long readingsAccepted, Map<Integer, Long> refusedByCode, long openGapSequences) {
        public Totals {
            refusedByCode = Collections.unmodifiableMap(new TreeMap<>(refusedByCode));
        }

        public long refused(int code) {
            return refusedByCode.getOrDefault(code, 0L);
        }
    }

    /** What went to and came from the grid, over all settled intervals and late readings. */
    public record Grid(long importWh, long exportWh, long paidToGrid, long paidByGrid, long p2pWh, long p2pMoney) {}

    /** An open gap: sequences {@code from..to} are missing. */
    public record GapRange(long from, long to) {
        public long size() {
            return to - from + 1;
        }
    }

    /**
     * @param publicKeyInfo DER SubjectPublicKeyInfo of the device key
     * @param rotatedTo the successor device after a ROTATE
     * @param headSequence highest accepted sequence (0: none)
     * @param gaps open gaps in sequence order
     * @param accepted readings accepted for this device
     */
    public record DeviceView(DeviceId deviceId, KeyAlgorithm algorithm, byte[] publicKeyInfo, String board, String location,
                             String account, boolean revoked, Optional<DeviceId> rotatedTo, long headSequence,
                             List<GapRange> gaps, long accepted) {
        public DeviceView {
            Objects.requireNonNull(deviceId, "device id");
            publicKeyInfo = publicKeyInfo.clone();
            Objects.requireNonNull(rotatedTo, "rotated to");
            gaps = List.copyOf(gaps);
        }

        @Override
        public byte[] publicKeyInfo() {
            return publicKeyInfo.clone();
        }

        public long missing() {
            return gaps.stream().mapToLong(GapRange::size).sum();
        }

        @Override
        public String toString() {
            return "DeviceView[deviceId=" + deviceId + ", algorithm=" + algorithm + ", account=" + account + ", revoked=" + revoked
                    + ", rotatedTo=" + rotatedTo.map(DeviceId::hex).orElse("-") + ", head=" + headSequence + ", gaps=" + gaps
                    + ", accepted=" + accepted + ", key=" + HexFormat.of().formatHex(publicKeyInfo, 0, Math.min(8, publicKeyInfo.length))
                    + "..]";
        }
    }

    /**
     * Where a booking stands (docs/charging.md, "The state machine on the ledger"). The order is
     * part of the app-hash encoding (the ordinal is hashed): new states are added at the end.
     */
    public enum BookingStatus { BOOKED, ACTIVE, COMPLETED, SETTLED, DISPUTED, EXPIRED }

    /**
     * @param txHash hex of the PileOffer transaction's hash, the offer's name on the ledger
     * @param unitPrice micro-units per kWh
     * @param expired the offer's window ended; it takes no more bookings
     */
    public record OfferView(String txHash, DeviceId pile, long unitPrice, long windowStart, long windowEnd, long maxPowerW,
                            boolean expired) {}

    /**
     * @param txHash hex of the Booking transaction's hash
     * @param driverAccount {@code driver:<key id hex>}
     * @param deposit micro-units moved from the car owner's account at booking
     * @param startTime session start (0 before SessionStart); {@code endTime}, {@code energyWh} from the
     *     ChargingSession (0 before)
     * @param amount micro-units paid to the pile's account at settlement (0 unless settled)
     */
    public record BookingView(String txHash, String offerTxHash, DeviceId pile, String driverAccount, BookingStatus status,
                              long windowStart, long windowEnd, long maxEnergyWh, long maxAmount, long deposit, long startTime,
                              long endTime, long energyWh, long amount) {
        /** Micro-units still held by the booking: the deposit until it is refunded or settled; kept while disputed. */
        public long held() {
            return switch (status) {
                case BOOKED, ACTIVE, COMPLETED, DISPUTED -> deposit;
                case SETTLED, EXPIRED -> 0;
            };
        }
    }

    /**
     * @param offers by offer tx hash hex
     * @param bookings by booking tx hash hex
     * @param sessions ChargingSession records accepted
     * @param settled sessions settled
     * @param disputes bookings disputed (session not matching the readings, or not closed in time)
     */
    public record ChargingView(Map<String, OfferView> offers, Map<String, BookingView> bookings, long sessions, long settled,
                               long disputes) {
        public ChargingView {
            offers = Collections.unmodifiableMap(new LinkedHashMap<>(offers));
            bookings = Collections.unmodifiableMap(new LinkedHashMap<>(bookings));
        }

        public Optional<BookingView> booking(String txHashHex) {
            return Optional.ofNullable(bookings.get(txHashHex));
        }

        public long count(BookingStatus status) {
            return bookings.values().stream().filter(b -> b.status() == status).count();
        }
    }
}
