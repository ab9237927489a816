package io.wattproof.agent.uplink;

/**
 * The path from the agent to the ledger's front door (an MQTT broker). Sends one record at a time
 * and reports what became of it. Callbacks arrive on the uplink's own threads; the agent hands them
 * to its worker.
 */
public interface Uplink extends AutoCloseable {

    /** Starts connecting (and reconnecting after every loss) in the background. */
    void start(Listener listener);

    /**
     * Sends a record. Returns false without sending when not connected; the caller keeps the record
     * and offers it again after {@link Listener#connected}.
     */
    boolean send(long sequence, byte[] payload);

    /**
     * Sends a transaction that is no record (a {@code PileOffer}, a {@code SessionStart};
     * docs/charging.md) to the same {@code tx} topic at QoS 1, beside the records: its
     * acknowledgement is not reported and takes nothing from the record window. Returns false
     * without sending when not connected or the client cannot take it now (the broker's Receive
     * Maximum is used up); the caller offers it again later. An uplink that carries only records
     * returns false.
     */
    default boolean sendTransaction(byte[] signedTx) {
        return false;
    }

    @Override
    void close();

    interface Listener {
        /** Connected (again); records may be sent. */
        void connected(int window);

        /**
         * Connection lost, or an attempt to connect failed (refused TLS handshake, CONNACK with a
         * failure reason code, broker unreachable); the reason says which. Records sent but not
         * acknowledged will not be acknowledged. The uplink tries again after a back-off.
         */
        void disconnected(String reason);

        /** The broker accepted the record (QoS 1 PUBACK with a success reason code). */
        void acknowledged(long sequence);

        /** The broker refused the record (PUBACK reason code ≥ 0x80, e.g. 0x87 not authorized). */
        void refused(long sequence, int reasonCode);
    }
}
