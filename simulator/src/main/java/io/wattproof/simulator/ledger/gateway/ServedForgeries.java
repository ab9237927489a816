package io.wattproof.simulator.ledger.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * The lies a byzantine gateway told: to which requester (a device id, lowercase hex) and when
 * ({@code System.nanoTime}). The first {@value #KEPT} are kept; a lab that lies for longer than
 * that is not checked lie by lie. Thread-safe.
 */
public final class ServedForgeries {
    static final int KEPT = 100_000;

    /** One forged header or bad receipt, handed to the broker for {@code requester} at {@code atNanos}. */
    public record Served(String requester, long atNanos) {}

    private final List<Served> served = new ArrayList<>();

    synchronized void add(String requester) {
        if (served.size() < KEPT) {
            served.add(new Served(requester, System.nanoTime()));
        }
    }

    public synchronized List<Served> list() {
        return List.copyOf(served);
    }
}
