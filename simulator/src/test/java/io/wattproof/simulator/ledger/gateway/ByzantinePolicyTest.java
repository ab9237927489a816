package io.wattproof.simulator.ledger.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.gateway.ByzantinePolicy.Lie;
import io.wattproof.simulator.ledger.gateway.ByzantinePolicy.ReceiptAnswer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ByzantinePolicyTest {
    private static LightBlock block;
    private static List<TxProof> proofs;

    @BeforeAll
    static void chain() throws Exception {
        try (FakeLedgerNode node = new FakeLedgerNode("policy-test", 6)) {
            for (int i = 0; i < 5; i++) {
                node.submit(("tx-" + i).getBytes(StandardCharsets.UTF_8));
            }
            CommittedBlock b = node.commit();
            block = node.lightBlock(1).orElseThrow();
            proofs = b.txs().stream().map(IncludedTx::proof).toList();
        }
    }

    @Test
    void anHonestPolicyNeverLies() {
        ByzantinePolicy p = ByzantinePolicy.honest();
        assertTrue(p.isHonest());
        assertTrue(ByzantinePolicy.lying(1, 0.0).isHonest());
        assertTrue(ByzantinePolicy.lying(1, 1.0, Set.of()).isHonest());
        for (int i = 0; i < 100; i++) {
            assertTrue(p.lightBlockAnswer(block).isEmpty());
            assertInstanceOf(ReceiptAnswer.Honest.class, p.receiptAnswer(proofs.get(i % 5), proofs));
            assertInstanceOf(ReceiptAnswer.Honest.class, ByzantinePolicy.lying(i, 0.0).receiptAnswer(proofs.get(0), proofs));
        }
    }

    @Test
    void atRateOneEveryAnswerLiesAndEveryLieIsDetectable() {
        ByzantinePolicy p = ByzantinePolicy.lying(42, 1.0);
        int withheld = 0;
        int bad = 0;
        int wrong = 0;
        for (int i = 0; i < 200; i++) {
            LightBlock forged = p.lightBlockAnswer(block).orElseThrow();
            assertFalse(forged.commit().blockId().hash().equals(Hashes.header(forged.header())));
            TxProof honest = proofs.get(i % 5);
            int honestCode = i % 2 == 0 ? 0 : 7;
            switch (p.receiptAnswer(honest, proofs, honestCode)) {
                case ReceiptAnswer.Honest h -> throw new AssertionError("rate 1.0 answered honestly");
                case ReceiptAnswer.Withhold w -> withheld++;
                case ReceiptAnswer.BadProof b -> {
                    bad++;
                    boolean verifiesForMine = TxInclusion.verify(b.proof(), block.header()).isVerified()
                            && b.proof().data().equals(honest.data());
                    assertFalse(verifiesForMine, b.lie().toString());
                }
                case ReceiptAnswer.WrongResult w -> {
                    wrong++;
                    // Accepted reported refused, refused reported accepted: never the proven code.
                    assertEquals(honestCode == 0, w.code() != 0, "code " + w.code() + " for proven " + honestCode);
                }
            }
        }
        assertTrue(withheld > 0 && bad > 0 && wrong > 0, "every receipt lie drawn: withheld=" + withheld + " bad=" + bad
                + " wrong=" + wrong);
    }

    @Test
    void onlyTheChosenLiesAreTold() {
        ByzantinePolicy onlyWithhold = ByzantinePolicy.lying(7, 1.0, EnumSet.of(Lie.WITHHELD_RECEIPT));
        assertTrue(onlyWithhold.lightBlockAnswer(block).isEmpty());
        assertInstanceOf(ReceiptAnswer.Withhold.class, onlyWithhold.receiptAnswer(proofs.get(0), proofs));
        ByzantinePolicy onlyHeaders = ByzantinePolicy.lying(7, 1.0, EnumSet.of(Lie.FORGED_HEADER));
        assertInstanceOf(ReceiptAnswer.Honest.class, onlyHeaders.receiptAnswer(proofs.get(0), proofs));
        assertTrue(onlyHeaders.lightBlockAnswer(block).isPresent());
    }

    @Test
    void theSameSeedTellsTheSameLies() {
        assertEquals(decisions(ByzantinePolicy.lying(9, 0.3)), decisions(ByzantinePolicy.lying(9, 0.3)));
    }

    @Test
    void refusesARateOutsideZeroToOne() {
        for (double rate : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByzantinePolicy.lying(1, rate));
            assertTrue(e.getMessage().startsWith("rate: expected 0.0 .. 1.0, got"), e.getMessage());
        }
    }

    private static List<String> decisions(ByzantinePolicy p) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            out.add(p.lightBlockAnswer(block).map(b -> b.header().toString()).orElse("honest"));
            out.add(switch (p.receiptAnswer(proofs.get(i % 5), proofs)) {
                case ReceiptAnswer.Honest h -> "honest";
                case ReceiptAnswer.Withhold w -> "withhold";
                case ReceiptAnswer.BadProof b -> b.lie() + ":" + b.proof();
                case ReceiptAnswer.WrongResult w -> "code " + w.code();
            });
        }
        return out;
    }
}
