package io.wattproof.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * The simulated ledger of a run.
 *
 * @param validators number of validators (1 .. 150)
 * @param blockInterval time between blocks
 * @param valsetChangeEvery the validator set changes at every multiple of this height; 0 = never
 * @param byzantineGateway the gateway now and then serves a forged header, a bad proof, or
 *     withholds a receipt; the agents must detect every forgery and lose nothing
 * @param receiptTimeout how long an agent waits for a verified receipt before submitting a record again
 * @param rpcPort serve the ledger over CometBFT's RPC on 127.0.0.1 at this port (0: any free port);
 *     -1: not at all
 * @param gatewayViaRpc the gateway reaches the ledger through that RPC, as it would a CometBFT node,
 *     instead of in process (implies an RPC server)
 */
public record LedgerSetup(int validators, Duration blockInterval, long valsetChangeEvery, boolean byzantineGateway,
                          Duration receiptTimeout, int rpcPort, boolean gatewayViaRpc) {
    public static final LedgerSetup DEFAULT = new LedgerSetup(4, Duration.ofSeconds(1), 0, false, Duration.ofSeconds(5), -1, false);

    public LedgerSetup {
        if (validators < 1 || validators > 150) {
            throw new IllegalArgumentException("validators: expected 1..150, got " + validators);
        }
        Objects.requireNonNull(blockInterval, "block interval");
        if (blockInterval.isNegative() || blockInterval.toMillis() < 10) {
            throw new IllegalArgumentException("block interval: expected at least 10ms, got " + blockInterval);
        }
        if (valsetChangeEvery < 0) {
            throw new IllegalArgumentException("valset change every: expected 0 (never) or a height, got " + valsetChangeEvery);
        }
        Objects.requireNonNull(receiptTimeout, "receipt timeout");
        if (receiptTimeout.isNegative() || receiptTimeout.isZero()) {
            throw new IllegalArgumentException("receipt timeout: expected a positive duration, got " + receiptTimeout);
        }
        if (rpcPort < -1 || rpcPort > 65535) {
            throw new IllegalArgumentException("rpc port: expected -1 (none) or 0..65535, got " + rpcPort);
        }
    }

    /** Whether the ledger is served over CometBFT's RPC. */
    public boolean servesRpc() {
        return rpcPort >= 0 || gatewayViaRpc;
    }

    public LedgerSetup withValidators(int n) {
        return new LedgerSetup(n, blockInterval, valsetChangeEvery, byzantineGateway, receiptTimeout, rpcPort, gatewayViaRpc);
    }

    public LedgerSetup withValsetChangeEvery(long h) {
        return new LedgerSetup(validators, blockInterval, h, byzantineGateway, receiptTimeout, rpcPort, gatewayViaRpc);
    }

    public LedgerSetup withByzantineGateway(boolean b) {
        return new LedgerSetup(validators, blockInterval, valsetChangeEvery, b, receiptTimeout, rpcPort, gatewayViaRpc);
    }

    public LedgerSetup withGatewayViaRpc(boolean b) {
        return new LedgerSetup(validators, blockInterval, valsetChangeEvery, byzantineGateway, receiptTimeout, rpcPort, b);
    }
}
