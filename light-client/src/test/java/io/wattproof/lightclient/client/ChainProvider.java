package io.wattproof.lightclient.client;

import io.wattproof.lightclient.TestChain;
import io.wattproof.lightclient.provider.LightBlockProvider;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.types.LightBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A provider over a {@link TestChain} that records every height asked for, and can be made to fail
 * ({@link Mode}) or to send other blocks at chosen heights.
 */
final class ChainProvider implements LightBlockProvider {
    enum Mode { SERVE, UNAVAILABLE, GARBAGE }

    private final String id;
    private final TestChain chain;
    private final List<Long> fetched = new ArrayList<>();
    private final Map<Long, UnaryOperator<LightBlock>> tampered = new HashMap<>();
    private long latest;
    private Mode mode = Mode.SERVE;

    ChainProvider(String id, TestChain chain) {
        this.id = id;
        this.chain = chain;
        this.latest = chain.height();
    }

    ChainProvider mode(Mode m) {
        this.mode = m;
        return this;
    }

    ChainProvider latest(long height) {
        this.latest = height;
        return this;
    }

    /** Sends {@code change.apply(block)} instead of the chain's block at {@code height}. */
    ChainProvider tamper(long height, UnaryOperator<LightBlock> change) {
        tampered.put(height, change);
        return this;
    }

    List<Long> fetched() {
        return List.copyOf(fetched);
    }

    void resetCount() {
        fetched.clear();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public LightBlock lightBlock(long height) throws ProviderException {
        fetched.add(height);
        switch (mode) {
            case UNAVAILABLE -> throw new ProviderException.Unavailable(id, "connection refused", null);
            case GARBAGE -> throw new ProviderException.BadResponse(id, "light_block: expected a protobuf message, got 3C68746D6C3E", null);
            case SERVE -> { }
        }
        if (height > latest) {
            throw new ProviderException.NotFound(id, height, "latest is " + latest);
        }
        LightBlock b = chain.block(height);
        UnaryOperator<LightBlock> change = tampered.get(height);
        return change == null ? b : change.apply(b);
    }

    @Override
    public LightBlock latest() throws ProviderException {
        return lightBlock(latest);
    }
}
