package io.wattproof.ota.transport;

import java.util.Optional;

/**
 * The MQTT topics of updates (docs/ota.md, "Topics"), as pure functions of the protocol's topic
 * prefix ({@code wattproof/v1} by default). Everything a device sends or receives about updates
 * lies in its own subtree {@code <prefix>/devices/<id>/ota/}, so the broker ACL that pins a device
 * to its subtree covers it; the one exception is the fleet's announcement, which every device
 * may read and only the operator may write.
 */
public final class OtaTopics {
    /** Largest announcement a device reads (TUF §5.3/§5.4 "up to some W number of bytes"); longer ones are dropped unread. */
    public static final int MAX_ANNOUNCEMENT_BYTES = 64 * 1024;
    /** Largest chunk a device asks for, and a server sends. */
    public static final int MAX_CHUNK_DATA_BYTES = 64 * 1024;
    /** Largest Chunk message: the data and its few fields. */
    public static final int MAX_CHUNK_MESSAGE_BYTES = MAX_CHUNK_DATA_BYTES + 512;

    private OtaTopics() {}

    /** The announcement for the whole fleet, retained. */
    public static String fleetAnnouncement(String prefix) {
        return prefix + "/ota/announce";
    }

    /** The announcement for one device (a subset of the fleet is announced to device by device), retained. */
    public static String announcement(String prefix, String deviceId) {
        return device(prefix, deviceId) + "announce";
    }

    /** Where a device asks for chunks ({@code ChunkRequest}). */
    public static String request(String prefix, String deviceId) {
        return device(prefix, deviceId) + "request";
    }

    /** Where a device receives chunks ({@code Chunk}). */
    public static String chunk(String prefix, String deviceId) {
        return device(prefix, deviceId) + "chunk";
    }

    /** Where a device publishes its {@code UpdateStatus}, retained. */
    public static String status(String prefix, String deviceId) {
        return device(prefix, deviceId) + "status";
    }

    /** Every device's chunk requests, for the server. */
    public static String requestFilter(String prefix) {
        return prefix + "/devices/+/ota/request";
    }

    /** Every device's status, for {@code ota status}. */
    public static String statusFilter(String prefix) {
        return prefix + "/devices/+/ota/status";
    }

    /** The device id of a topic {@code <prefix>/devices/<id>/ota/<leaf>}, if it is one. */
    public static Optional<String> deviceOf(String prefix, String topic, String leaf) {
        String head = prefix + "/devices/";
        String tail = "/ota/" + leaf;
        if (topic == null || !topic.startsWith(head) || !topic.endsWith(tail) || topic.length() <= head.length() + tail.length()) {
            return Optional.empty();
        }
        String id = topic.substring(head.length(), topic.length() - tail.length());
        return id.isEmpty() || id.contains("/") || id.contains("+") || id.contains("#") ? Optional.empty() : Optional.of(id);
    }

    private static String device(String prefix, String deviceId) {
        if (deviceId == null || deviceId.isEmpty() || deviceId.contains("/") || deviceId.contains("+") || deviceId.contains("#")) {
            throw new IllegalArgumentException("device id: expected one topic level without wildcards, got " + deviceId);
        }
        return prefix + "/devices/" + deviceId + "/ota/";
    }
}
