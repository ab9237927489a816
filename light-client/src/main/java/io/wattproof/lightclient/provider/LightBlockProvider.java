package io.wattproof.lightclient.provider;

import io.wattproof.lightclient.types.LightBlock;

/**
 * Where light blocks come from: a full node's JSON-RPC, the ledger gateway over MQTT, or a test
 * chain. A provider is not trusted: everything it returns is verified before it is stored.
 *
 * <p>Blocks are returned with their next validator set attached when the provider can fetch it
 * (the set at height + 1), so that a verified block can serve as the trusted block of a skip.
 */
public interface LightBlockProvider {

    /** A short name for logs and fork evidence, e.g. the node's address. */
    String id();

    /**
     * The light block at {@code height}.
     *
     * @throws ProviderException.NotFound when the provider has no block at that height (yet)
     */
    LightBlock lightBlock(long height) throws ProviderException;

    /** The latest light block the provider has. */
    LightBlock latest() throws ProviderException;
}
