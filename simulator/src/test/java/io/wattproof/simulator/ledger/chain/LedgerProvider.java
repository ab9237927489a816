package io.wattproof.simulator.ledger.chain;

import io.wattproof.lightclient.provider.LightBlockProvider;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.types.LightBlock;

/** The reference ledger as the light client's primary. */
final class LedgerProvider implements LightBlockProvider {
    private final ReferenceLedger ledger;

    LedgerProvider(ReferenceLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String id() {
        return "reference-ledger";
    }

    @Override
    public LightBlock lightBlock(long height) throws ProviderException {
        return ledger.lightBlock(height).orElseThrow(() -> new ProviderException.NotFound(id(), height, "not produced yet"));
    }

    @Override
    public LightBlock latest() throws ProviderException {
        return lightBlock(ledger.latestHeight());
    }
}
