package io.wattproof.simulator.ledger.app;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.protocol.v1.TariffContract;
import io.wattproof.simulator.ledger.BlockResult;
import io.wattproof.simulator.ledger.TxResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An application with one P-256 genesis operator, blocks on demand and an operator nonce kept here. */
final class AppFixture {
    static final String CHAIN_ID = "wattproof-test";
    /** 0.30 per kWh P2P, 0.40 import, 0.10 export; settled 60 s after the interval ends. */
    static final TariffContract CONTRACT = TariffContract.newBuilder()
            .setContractId("tariff-2026")
            .setValidFrom(0)
            .setP2PPrice(300_000)
            .setGridImportPrice(400_000)
            .setGridExportPrice(100_000)
            .setSettlementDelaySeconds(60)
            .build();

    final DeviceKey operator = TestKeys.get(KeyAlgorithm.ECDSA_P256_SHA256, 0);
    final EnergyApplication app;
    long nonce;
    long height;
    /** Time of the next block; starts before the first interval ends. */
    long nextTime = TestMeter.T0;

    AppFixture() {
        this(Optional.of(CONTRACT));
    }

    private final Optional<TariffContract> contract;

    AppFixture(Optional<TariffContract> contract) {
        this.contract = contract;
        app = new EnergyApplication(genesis(contract));
    }

    Genesis genesis(Optional<TariffContract> contract) {
        return new Genesis(CHAIN_ID, List.of(new Genesis.OperatorKey(operator.algorithm(), operator.publicKeyInfo())), contract);
    }

    BlockResult block(byte[]... txs) {
        return blockAt(nextTime, txs);
    }

    BlockResult blockAt(long epochSecond, byte[]... txs) {
        nextTime = epochSecond + 1;
        history.add(new Block(epochSecond, List.of(txs)));
        return app.finalizeBlock(++height, Instant.ofEpochSecond(epochSecond), List.of(txs));
    }

    record Block(long time, List<byte[]> txs) {}

    /** Every block given to the application so far, to replay into a twin. */
    final List<Block> history = new ArrayList<>();

    /**
     * A fresh application fed the same blocks, with {@code left} taken out of the block that held it
     * (the block stays, with the same height and time): what the state would be had it never come.
     */
    EnergyApplication replayWithout(byte[] left) {
        EnergyApplication twin = new EnergyApplication(genesis(contract));
        long h = 0;
        for (Block b : history) {
            List<byte[]> txs = b.txs().stream().filter(tx -> tx != left).toList();
            twin.finalizeBlock(++h, Instant.ofEpochSecond(b.time()), txs);
        }
        return twin;
    }

    /** The one result of a block holding just {@code tx}. */
    TxResult one(byte[] tx) {
        return block(tx).txResults().get(0);
    }

    byte[] register(TestMeter meter, String account) {
        try {
            return OperatorTransactions.register(CHAIN_ID, operator, ++nonce, meter.key.algorithm(), meter.key.publicKeyInfo(),
                    "raspberry-pi-4", "lab", account);
        } catch (KeyStoreFailure e) {
            throw new IllegalStateException(e);
        }
    }

    TestMeter registered(KeyAlgorithm algorithm, int index, String account) {
        TestMeter meter = new TestMeter(TestKeys.get(algorithm, index));
        TxResult r = one(register(meter, account));
        if (!r.isOk()) {
            throw new AssertionError("register: " + r);
        }
        return meter;
    }
}
