package io.wattproof.simulator.ledger.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.simulator.ledger.app.Settlement.AccountSettlement;
import io.wattproof.simulator.ledger.app.Settlement.IntervalSettlement;
import io.wattproof.simulator.ledger.app.Settlement.Position;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SettlementTest {
    /** 0.30 P2P, 0.40 import, 0.10 export per kWh, in micro-units. */
    private static final Tariff TARIFF = new Tariff("t", 0, 0, 300_000, 400_000, 100_000, 0, 0);

    private static SortedMap<String, Position> positions(Object... accountSupplyDemand) {
        SortedMap<String, Position> out = new TreeMap<>();
        for (int i = 0; i < accountSupplyDemand.length; i += 3) {
            out.put((String) accountSupplyDemand[i],
                    new Position(((Number) accountSupplyDemand[i + 1]).longValue(), ((Number) accountSupplyDemand[i + 2]).longValue()));
        }
        return out;
    }

    private static AccountSettlement of(IntervalSettlement s, String account) {
        return s.accounts().stream().filter(a -> a.account().equals(account)).findFirst().orElseThrow();
    }

    /** Wh and money conserved: sold = bought = matched, paid = received = p2p money, every Wh accounted for. */
    private static void assertConserved(SortedMap<String, Position> positions, IntervalSettlement s) {
        long sold = 0, bought = 0, received = 0, paid = 0;
        for (AccountSettlement a : s.accounts()) {
            Position p = positions.get(a.account());
            assertEquals(p.supplyWh(), a.p2pSoldWh() + a.gridExportWh(), "supply of " + a.account());
            assertEquals(p.demandWh(), a.p2pBoughtWh() + a.gridImportWh(), "demand of " + a.account());
            assertTrue(a.p2pSoldWh() >= 0 && a.gridExportWh() >= 0 && a.p2pBoughtWh() >= 0 && a.gridImportWh() >= 0);
            sold += a.p2pSoldWh();
            bought += a.p2pBoughtWh();
            received += a.p2pReceived();
            paid += a.p2pPaid();
        }
        assertEquals(s.matchedWh(), sold);
        assertEquals(s.matchedWh(), bought);
        assertEquals(s.p2pMoney(), received);
        assertEquals(s.p2pMoney(), paid);
    }

    @Test
    void balancedSupplyAndDemandTradeEverythingPeerToPeer() {
        var p = positions("alice", 1000, 0, "bob", 0, 1000);
        IntervalSettlement s = Settlement.settle(p, TARIFF);
        assertConserved(p, s);
        assertEquals(1000, s.matchedWh());
        assertEquals(300_000, s.p2pMoney()); // 1 kWh at 0.30
        assertEquals(300_000, of(s, "alice").balanceChange());
        assertEquals(-300_000, of(s, "bob").balanceChange());
        assertEquals(0, of(s, "bob").gridImportWh());
    }

    @Test
    void excessSupplyGoesToTheGridAtTheExportPrice() {
        var p = positions("alice", 1500, 0, "bob", 500, 0, "carol", 0, 1000);
        IntervalSettlement s = Settlement.settle(p, TARIFF);
        assertConserved(p, s);
        assertEquals(1000, s.matchedWh());
        assertEquals(750, of(s, "alice").p2pSoldWh());
        assertEquals(250, of(s, "bob").p2pSoldWh());
        assertEquals(750, of(s, "alice").gridExportWh());
        // 750 Wh P2P at 0.30 = 225000, 750 Wh to the grid at 0.10 = 75000.
        assertEquals(225_000 + 75_000, of(s, "alice").balanceChange());
        assertEquals(-300_000, of(s, "carol").balanceChange());
    }

    @Test
    void excessDemandComesFromTheGridAtTheImportPrice() {
        var p = positions("alice", 600, 0, "bob", 0, 900, "carol", 0, 300);
        IntervalSettlement s = Settlement.settle(p, TARIFF);
        assertConserved(p, s);
        assertEquals(600, s.matchedWh());
        assertEquals(450, of(s, "bob").p2pBoughtWh());
        assertEquals(150, of(s, "carol").p2pBoughtWh());
        // bob: 450 Wh P2P at 0.30 = 135000, 450 Wh grid at 0.40 = 180000.
        assertEquals(-(135_000 + 180_000), of(s, "bob").balanceChange());
        assertEquals(180_000, of(s, "alice").balanceChange());
    }

    @Test
    void theCapLimitsEachAccountsPeerToPeerEnergy() {
        Tariff capped = new Tariff("t", 0, 0, 300_000, 400_000, 100_000, 400, 0);
        var p = positions("alice", 1000, 0, "bob", 0, 300, "carol", 0, 2000);
        IntervalSettlement s = Settlement.settle(p, capped);
        assertConserved(p, s);
        // Capped supply 400, capped demand 300 + 400 = 700: 400 matched.
        assertEquals(400, s.matchedWh());
        assertEquals(400, of(s, "alice").p2pSoldWh());
        assertEquals(600, of(s, "alice").gridExportWh());
        assertTrue(of(s, "carol").p2pBoughtWh() <= 400);
        assertEquals(400, of(s, "bob").p2pBoughtWh() + of(s, "carol").p2pBoughtWh());
    }

    @Test
    void remaindersGoInAccountOrderAndConserveWhAndMoney() {
        // 100 Wh supply over three equal buyers: 33 each, the one left Wh to "a".
        var p = positions("a", 0, 50, "b", 0, 50, "c", 0, 50, "z", 100, 0);
        IntervalSettlement s = Settlement.settle(p, new Tariff("t", 0, 0, 333_333, 0, 0, 0, 0));
        assertConserved(p, s);
        assertEquals(34, of(s, "a").p2pBoughtWh());
        assertEquals(33, of(s, "b").p2pBoughtWh());
        assertEquals(33, of(s, "c").p2pBoughtWh());
        assertEquals(33_333, s.p2pMoney()); // floor(100 * 333333 / 1000)
        assertEquals(33_333, of(s, "z").p2pReceived());
    }

    @Test
    void randomIntervalsConserveWhAndMoney() {
        Random random = new Random(42);
        for (int run = 0; run < 500; run++) {
            SortedMap<String, Position> p = new TreeMap<>();
            int n = 1 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                p.put("acct-" + random.nextInt(1000), new Position(random.nextInt(5) == 0 ? 0 : random.nextInt(5000),
                        random.nextInt(3) == 0 ? 0 : random.nextInt(5000)));
            }
            Tariff t = new Tariff("t", 0, 0, random.nextInt(1_000_000), random.nextInt(1_000_000), random.nextInt(1_000_000),
                    random.nextInt(3) == 0 ? random.nextInt(3000) : 0, 0);
            IntervalSettlement s = Settlement.settle(p, t);
            assertConserved(p, s);
            long cappedSupply = p.values().stream().mapToLong(x -> t.maxP2pWhPerInterval() == 0 ? x.supplyWh()
                    : Math.min(x.supplyWh(), t.maxP2pWhPerInterval())).sum();
            long cappedDemand = p.values().stream().mapToLong(x -> t.maxP2pWhPerInterval() == 0 ? x.demandWh()
                    : Math.min(x.demandWh(), t.maxP2pWhPerInterval())).sum();
            assertEquals(Math.min(cappedSupply, cappedDemand), s.matchedWh());
            assertEquals(s.matchedWh() * t.p2pPrice() / 1000, s.p2pMoney());
        }
    }

    @Test
    void withoutAContractNothingIsTradedOrPaid() {
        var p = positions("alice", 1000, 0, "bob", 0, 1000);
        IntervalSettlement s = Settlement.settle(p, null);
        assertEquals(0, s.matchedWh());
        assertEquals(0, of(s, "alice").balanceChange());
        assertEquals(1000, of(s, "alice").gridExportWh());
    }

    @Test
    void prorateGivesTheShortfallToEntriesWithARemainderInOrder() {
        assertArrayEquals(new long[] {4, 3, 3}, Settlement.prorate(10, new long[] {1, 1, 1}));
        assertArrayEquals(new long[] {0, 0, 0}, Settlement.prorate(0, new long[] {1, 1, 1}));
        assertArrayEquals(new long[] {10, 0}, Settlement.prorate(10, new long[] {5, 0}));
        assertEquals(Long.MAX_VALUE, Settlement.saturatedAdd(Long.MAX_VALUE, 1));
        assertEquals(Long.MIN_VALUE, Settlement.saturatedAdd(Long.MIN_VALUE, -1));
        assertEquals(Map.of(), Map.of());
    }
}
