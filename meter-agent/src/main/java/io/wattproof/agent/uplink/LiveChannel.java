package io.wattproof.agent.uplink;

import java.util.List;

/**
 * Traffic for owners that shares the uplink's connection but none of the records' guarantees: live
 * telemetry and Home Assistant discovery (docs/telemetry.md). Everything goes at QoS 0. MQTT 5
 * section 4.9 (flow control) counts only QoS 1 and 2 publications against the broker's Receive
 * Maximum, so nothing sent here takes a place in the window of records awaiting PUBACK, and a
 * publish never waits: when the connection is down or too much is still unsent, it is dropped.
 */
public interface LiveChannel {

    /**
     * Sets who hears about the connection and about messages on its filters. If the uplink is
     * connected already, {@link Subscriber#connected()} follows at once. Callbacks come on the MQTT
     * client's threads: return quickly.
     */
    void live(Subscriber subscriber);

    /** Publishes at QoS 0 without waiting; false when not connected or too much is still unsent. */
    boolean publishLive(String topic, byte[] payload, boolean retained);

    interface Subscriber {
        /** Topic filters to subscribe to (QoS 0) on every connection. */
        List<String> subscriptions();

        /** Connected (again). Subscriptions do not survive a connection: the session starts clean. */
        void connected();

        void disconnected();

        /**
         * A message on one of {@link #subscriptions()}. {@code retained} is true only for a message
         * the broker had stored when the subscription was made (MQTT 5 section 3.3.1.3, with Retain
         * As Published 0).
         */
        void arrived(String topic, byte[] payload, boolean retained);
    }
}
