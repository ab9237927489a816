package io.wattproof.simulator.ledger.app;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Peer-to-peer settlement of one metering interval (docs/ledger.md, "P2P trading"), in integers
 * only, so every validator computes the same amounts:
 *
 * <ol>
 *   <li>Each account's supply (export Wh) and demand (import Wh) is capped at the contract's
 *       {@code max_p2p_wh_per_interval} (0 = no cap); what lies above the cap goes to the grid.
 *   <li>matched = min(capped supply, capped demand). The short side trades all its capped energy.
 *       The long side's accounts get {@code floor(matched * capped / total capped)} Wh each, and the
 *       Wh lost to rounding (fewer than the number of accounts) go one each to the accounts whose
 *       share had a remainder, in ascending account order (Java {@code String} order, i.e. ASCII).
 *       So the Wh sold and bought peer to peer are both exactly matched.
 *   <li>money = floor(matched * p2p_price / 1000) micro-units (prices are per kWh). It is split over
 *       the buyers pro rata to their P2P Wh and, by the same rule, over the sellers: what consumers
 *       pay peer to peer equals what prosumers receive, to the micro-unit.
 *   <li>The rest of each account's energy is settled with the grid, each account on its own:
 *       it pays {@code floor(import Wh * grid_import_price / 1000)} and receives
 *       {@code floor(export Wh * grid_export_price / 1000)} (rounded down, in the account's favour
 *       when paying and the grid's when receiving).
 * </ol>
 *
 * Without a contract covering the interval nothing is traded and nothing paid; the energy is
 * counted as exchanged with the grid at price 0.
 */
public final class Settlement {
    private static final BigInteger THOUSAND = BigInteger.valueOf(1000);

    private Settlement() {}

    /** What one account booked in the interval, Wh. */
    public record Position(long supplyWh, long demandWh) {}

    /**
     * One account's result. Amounts are micro-units, never negative; {@link #balanceChange()} is
     * what its balance moves by.
     */
    public record AccountSettlement(String account, long p2pSoldWh, long p2pBoughtWh, long gridExportWh, long gridImportWh,
                                    long p2pReceived, long p2pPaid, long gridReceived, long gridPaid) {
        public long balanceChange() {
            return saturatedAdd(saturatedAdd(p2pReceived, gridReceived), -saturatedAdd(p2pPaid, gridPaid));
        }
    }

    /**
     * @param matchedWh energy traded peer to peer (sold = bought)
     * @param p2pMoney micro-units paid by consumers to prosumers (paid = received)
     * @param accounts in account order
     */
    public record IntervalSettlement(long supplyWh, long demandWh, long matchedWh, long p2pMoney, List<AccountSettlement> accounts) {
        public IntervalSettlement {
            accounts = List.copyOf(accounts);
        }
    }

    /** @param tariff null when no contract covers the interval */
    public static IntervalSettlement settle(SortedMap<String, Position> positions, Tariff tariff) {
        int n = positions.size();
        String[] names = positions.keySet().toArray(String[]::new);
        long[] supply = new long[n];
        long[] demand = new long[n];
        long[] cappedSupply = new long[n];
        long[] cappedDemand = new long[n];
        long cap = tariff == null ? 0 : tariff.maxP2pWhPerInterval();
        long totalSupply = 0;
        long totalDemand = 0;
        long totalCappedSupply = 0;
        long totalCappedDemand = 0;
        int i = 0;
        for (Map.Entry<String, Position> e : positions.entrySet()) {
            supply[i] = e.getValue().supplyWh();
            demand[i] = e.getValue().demandWh();
            cappedSupply[i] = cap == 0 ? supply[i] : Math.min(supply[i], cap);
            cappedDemand[i] = cap == 0 ? demand[i] : Math.min(demand[i], cap);
            totalSupply += supply[i];
            totalDemand += demand[i];
            totalCappedSupply += cappedSupply[i];
            totalCappedDemand += cappedDemand[i];
            i++;
        }
        long matched = tariff == null ? 0 : Math.min(totalCappedSupply, totalCappedDemand);
        long[] sold = prorate(matched, cappedSupply);
        long[] bought = prorate(matched, cappedDemand);
        long money = tariff == null ? 0 : priced(matched, tariff.p2pPrice());
        long[] received = prorate(money, sold);
        long[] paid = prorate(money, bought);
        List<AccountSettlement> out = new ArrayList<>(n);
        for (i = 0; i < n; i++) {
            long gridExport = supply[i] - sold[i];
            long gridImport = demand[i] - bought[i];
            long gridReceived = tariff == null ? 0 : priced(gridExport, tariff.gridExportPrice());
            long gridPaid = tariff == null ? 0 : priced(gridImport, tariff.gridImportPrice());
            out.add(new AccountSettlement(names[i], sold[i], bought[i], gridExport, gridImport, received[i], paid[i],
                    gridReceived, gridPaid));
        }
        return new IntervalSettlement(totalSupply, totalDemand, matched, money, out);
    }

    /** A reading booked after its interval was settled: all of it with the grid. */
    public static AccountSettlement gridOnly(String account, long supplyWh, long demandWh, Tariff tariff) {
        long received = tariff == null ? 0 : priced(supplyWh, tariff.gridExportPrice());
        long paid = tariff == null ? 0 : priced(demandWh, tariff.gridImportPrice());
        return new AccountSettlement(account, 0, 0, supplyWh, demandWh, 0, 0, received, paid);
    }

    /** floor(wh * pricePerKwh / 1000), saturated at Long.MAX_VALUE (unreachable with the field limits). */
    static long priced(long wh, long pricePerKwh) {
        return clamp(BigInteger.valueOf(wh).multiply(BigInteger.valueOf(pricePerKwh)).divide(THOUSAND));
    }

    /**
     * Splits {@code total} over {@code weights} (total at most their sum): floor shares, then one
     * more to each entry whose share had a remainder, in index order, until the shares add up to
     * {@code total}. The shortfall of the floors is the sum of the fractional parts, which is less
     * than the number of entries with one, so one pass suffices.
     */
    static long[] prorate(long total, long[] weights) {
        long[] shares = new long[weights.length];
        boolean[] hadRemainder = new boolean[weights.length];
        BigInteger sum = BigInteger.ZERO;
        for (long w : weights) {
            sum = sum.add(BigInteger.valueOf(w));
        }
        if (total == 0 || sum.signum() == 0) {
            return shares;
        }
        BigInteger t = BigInteger.valueOf(total);
        long assigned = 0;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] qr = t.multiply(BigInteger.valueOf(weights[i])).divideAndRemainder(sum);
            shares[i] = qr[0].longValueExact();
            hadRemainder[i] = qr[1].signum() != 0;
            assigned += shares[i];
        }
        long left = total - assigned;
        for (int i = 0; i < weights.length && left > 0; i++) {
            if (hadRemainder[i]) {
                shares[i]++;
                left--;
            }
        }
        if (left != 0) {
            throw new IllegalStateException("prorate: expected the remainders to cover the shortfall, " + left + " left");
        }
        return shares;
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        // Overflow iff both operands have the sign opposite to the result (Hacker's Delight §2-13).
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    private static long clamp(BigInteger v) {
        return v.bitLength() < 64 ? v.longValue() : (v.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
    }
}
