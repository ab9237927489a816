package io.wattproof.simulator.ledger.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.simulator.ledger.TxResult;
import io.wattproof.simulator.ledger.app.EnergyApplication;
import io.wattproof.simulator.ledger.app.Genesis;
import io.wattproof.simulator.ledger.app.OperatorTransactions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mempool while blocks are made: an operator's transactions each take the next nonce after
 * those still waiting, so CheckTx must never see the state between a block's commit (which
 * forgets what the waiting transactions did) and the recheck (which does it again).
 */
class ReferenceLedgerMempoolTest {

    @Test
    void anOperatorsNextNonceIsAcceptedWhileBlocksAreCommitted(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        DeviceKey operator = SoftwareKeyStore.create(dir.resolve("operator"), KeyAlgorithm.ED25519, secret);
        EnergyApplication app = new EnergyApplication(new Genesis("mempool-test",
                List.of(new Genesis.OperatorKey(operator.algorithm(), operator.publicKeyInfo()))));
        ReferenceLedger ledger = new ReferenceLedger(ReferenceLedgerConfig.builder().chainId("mempool-test").validators(1).seed(3)
                .maxTxsPerBlock(3).build(), app);
        AtomicBoolean done = new AtomicBoolean();
        Thread producer = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                ledger.produceBlock();
            }
        });
        List<String> refused = new ArrayList<>();
        try {
            // Every later nonce would be refused after the first refusal: stop there.
            for (long nonce = 1; nonce <= 400 && refused.isEmpty(); nonce++) {
                TxResult r = ledger.submit(OperatorTransactions.accountCredit("mempool-test", operator, nonce, "account-1", 1));
                if (!r.isOk()) {
                    refused.add("nonce " + nonce + ": " + r.log());
                }
            }
        } finally {
            done.set(true);
            producer.join();
        }
        assertEquals(List.of(), refused);
        while (ledger.mempoolSize() > 0) {
            ledger.produceBlock();
        }
        assertTrue(ledger.latestHeight() > 10, "blocks were committed while the transactions arrived");
    }
}
