package io.wattproof.agent.uplink;

/**
 * The ledger traffic that shares the uplink's connection (docs/ledger.md, "MQTT topics"): receipts
 * for the device's transactions, and light blocks fetched by MQTT 5 request/response (section
 * 4.10): a request carries a response topic in the device's own subtree and correlation data, and
 * the gateway's answer carries the same correlation data back. Nothing that arrives here is
 * trusted; the light client and the receipt check decide what it is worth.
 */
public interface LedgerChannel {

    /**
     * Sets who hears receipts, bookings and light-block answers. The uplink subscribes (QoS 1) to
     * the device's receipts, bookings and response topics on every connection, before records are
     * sent on it.
     * Callbacks come on the MQTT client's threads: return quickly.
     */
    void ledger(Subscriber subscriber);

    /**
     * Publishes a serialized {@code LightBlockRequest} at QoS 1 to the device's {@code
     * ledger/request} topic, with the response topic {@code ledger/response} and {@code
     * correlationData}. False, without sending, when not connected or the client cannot take it now.
     */
    boolean requestLightBlock(byte[] request, byte[] correlationData);

    interface Subscriber {
        /** Connected (again) and subscribed. */
        void connected();

        /** A message on the device's {@code receipts} topic: a {@code Receipt}, unchecked. */
        void receipt(byte[] payload);

        /**
         * A message on the device's {@code bookings} topic (docs/charging.md, "Topics"): the {@code
         * Receipt} of a booking of one of the device's offers, unchecked.
         */
        void booking(byte[] payload);

        /**
         * A message on the device's {@code ledger/response} topic: a {@code LightBlockResponse},
         * unchecked, with the correlation data it carried (empty when it carried none).
         */
        void lightBlockResponse(byte[] correlationData, byte[] payload);
    }
}
