package io.wattproof.simulator.ledger.app;

import io.wattproof.protocol.v1.TariffContract;
import java.util.Objects;

/**
 * A tariff contract as the application holds it once its fields were checked ({@link
 * #check(TariffContract)}): prices in micro-units of the ledger's currency per kWh, energy in Wh,
 * times in UTC epoch seconds.
 *
 * @param validUntil 0 = open-ended; intervals starting in [validFrom, validUntil) are settled under it
 * @param maxP2pWhPerInterval 0 = no cap
 */
public record Tariff(String contractId, long validFrom, long validUntil, long p2pPrice, long gridImportPrice,
                     long gridExportPrice, long maxP2pWhPerInterval, long settlementDelaySeconds) {
    /** 10^9 micro-units = 1000 currency units per kWh: far above any price, and products stay in range. */
    public static final long MAX_PRICE = 1_000_000_000L;
    /** A week: settlement waits for late readings, not for ever. */
    public static final long MAX_SETTLEMENT_DELAY_SECONDS = 7 * 86_400L;
    public static final int MAX_ID_LENGTH = 64;

    public Tariff {
        Objects.requireNonNull(contractId, "contract id");
    }

    /** Whether an interval starting at {@code intervalStart} is settled under this contract. */
    public boolean covers(long intervalStart) {
        return intervalStart >= validFrom && (validUntil == 0 || intervalStart < validUntil);
    }

    /** The contract's fields, checked; the nonce is not part of the tariff. */
    static Tariff of(TariffContract c) {
        return new Tariff(c.getContractId(), c.getValidFrom(), c.getValidUntil(), c.getP2PPrice(), c.getGridImportPrice(),
                c.getGridExportPrice(), c.getMaxP2PWhPerInterval(), Integer.toUnsignedLong(c.getSettlementDelaySeconds()));
    }

    /** What is wrong with the contract's fields (lowercase, field, expected vs actual), or null. */
    static String check(TariffContract c) {
        String id = c.getContractId();
        String idProblem = Text.checkPrintable("contract_id", id, 1, MAX_ID_LENGTH);
        if (idProblem != null) {
            return idProblem;
        }
        if (c.getValidFrom() < 0) {
            return "valid_from: expected at least 0, got " + c.getValidFrom();
        }
        if (c.getValidUntil() != 0 && c.getValidUntil() <= c.getValidFrom()) {
            return "valid_until: expected 0 (open-ended) or after valid_from " + c.getValidFrom() + ", got " + c.getValidUntil();
        }
        String p = checkPrice("p2p_price", c.getP2PPrice());
        if (p == null) {
            p = checkPrice("grid_import_price", c.getGridImportPrice());
        }
        if (p == null) {
            p = checkPrice("grid_export_price", c.getGridExportPrice());
        }
        if (p != null) {
            return p;
        }
        if (Long.compareUnsigned(c.getMaxP2PWhPerInterval(), Readings.MAX_DELTA_WH) > 0) {
            return "max_p2p_wh_per_interval: expected 0.." + Readings.MAX_DELTA_WH + ", got "
                    + Long.toUnsignedString(c.getMaxP2PWhPerInterval());
        }
        long delay = Integer.toUnsignedLong(c.getSettlementDelaySeconds());
        if (delay > MAX_SETTLEMENT_DELAY_SECONDS) {
            return "settlement_delay_seconds: expected 0.." + MAX_SETTLEMENT_DELAY_SECONDS + ", got " + delay;
        }
        return null;
    }

    private static String checkPrice(String field, long price) {
        return Long.compareUnsigned(price, MAX_PRICE) > 0
                ? field + ": expected 0.." + MAX_PRICE + " micro-units per kwh, got " + Long.toUnsignedString(price)
                : null;
    }
}
