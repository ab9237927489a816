package io.wattproof.simulator.ledger.gateway;

import java.util.List;
import java.util.Optional;

/**
 * The gateway's topics (docs/ledger.md, "MQTT topics"), as pure functions of the topic prefix
 * ({@code wattproof/v1} by default): which topic a message came on, where its answer goes, and
 * whether a response topic a device asked for lies in its own subtree.
 */
public final class Topics {
    public static final String DEFAULT_PREFIX = "wattproof/v1";

    private Topics() {}

    /**
     * Who a submitter is: a device, an operator or a car owner (docs/charging.md, "Topics"; its id is
     * its key's id), each with its own subtree.
     */
    public enum Role {
        DEVICES("devices"),
        OPERATORS("operators"),
        DRIVERS("drivers");

        private final String level;

        Role(String level) {
            this.level = level;
        }

        public String level() {
            return level;
        }
    }

    /** What a message on a subscribed topic is. */
    public enum Kind {
        TX,
        LEDGER_REQUEST
    }

    /** Where a message came from: {@code <prefix>/<role>/<id>/<tx | ledger/request>}. */
    public record Source(Role role, String id, Kind kind) {}

    /**
     * The MQTT 5 shared-subscription filters ({@code $share/<group>/<filter>}, MQTT 5 section 4.8.2)
     * a gateway subscribes with: every device's transactions and light-block requests, every
     * operator's transactions, every car owner's transactions and light-block requests.
     */
    public static List<String> sharedFilters(String prefix, String group) {
        String share = "$share/" + group + "/";
        return List.of(
                share + prefix + "/devices/+/tx",
                share + prefix + "/devices/+/ledger/request",
                share + prefix + "/operators/+/tx",
                share + prefix + "/drivers/+/tx",
                share + prefix + "/drivers/+/ledger/request");
    }

    /** The retained topic of the latest committed light block. */
    public static String latest(String prefix) {
        return prefix + "/ledger/latest";
    }

    /**
     * Where the receipts of bookings of pile {@code pileId}'s offers go (docs/charging.md, "How the
     * pile learns of a booking"): inside the pile's own subtree, so its broker ACL covers it.
     */
    public static String bookings(String prefix, String pileId) {
        return prefix + "/devices/" + pileId + "/bookings";
    }

    /** The receipts topic of the subtree a transaction came from. */
    public static String receipts(String prefix, Source source) {
        return prefix + "/" + source.role().level() + "/" + source.id() + "/receipts";
    }

    /**
     * Which of the subscribed topics {@code topic} is; empty for any other topic (the broker only
     * delivers what matches the filters, so empty means an empty id level or a foreign prefix).
     */
    public static Optional<Source> parse(String prefix, String topic) {
        if (topic == null || !topic.startsWith(prefix + "/")) {
            return Optional.empty();
        }
        String[] levels = topic.substring(prefix.length() + 1).split("/", -1);
        if (levels.length < 3 || levels[1].isEmpty()) {
            return Optional.empty();
        }
        Role role = switch (levels[0]) {
            case "devices" -> Role.DEVICES;
            case "operators" -> Role.OPERATORS;
            case "drivers" -> Role.DRIVERS;
            default -> null;
        };
        if (role == null) {
            return Optional.empty();
        }
        if (levels.length == 3 && levels[2].equals("tx")) {
            return Optional.of(new Source(role, levels[1], Kind.TX));
        }
        if (role != Role.OPERATORS && levels.length == 4 && levels[2].equals("ledger") && levels[3].equals("request")) {
            return Optional.of(new Source(role, levels[1], Kind.LEDGER_REQUEST));
        }
        return Optional.empty();
    }

    /**
     * Why the gateway must not publish an answer for requester {@code id} of {@code role} to {@code
     * responseTopic}; empty when it may. The topic must lie strictly inside {@code
     * <prefix>/<role>/<id>/}, so a device or a car owner cannot make the gateway write into another's
     * subtree (a car owner least of all into a pile's {@code bookings}) or a shared topic, and it
     * must be a valid topic name: no wildcards (MQTT 5 section 3.3.2.1: a PUBLISH topic name contains
     * none) and no U+0000 (section 1.5.4).
     */
    public static Optional<String> responseTopicProblem(String prefix, Role role, String id, String responseTopic) {
        String subtree = prefix + "/" + role.level() + "/" + id + "/";
        if (responseTopic == null || responseTopic.isEmpty()) {
            return Optional.of("response topic: expected one under " + subtree + ", got none");
        }
        if (!responseTopic.startsWith(subtree) || responseTopic.length() == subtree.length()) {
            return Optional.of("response topic: expected one under " + subtree + ", got " + responseTopic);
        }
        if (responseTopic.indexOf('+') >= 0 || responseTopic.indexOf('#') >= 0 || responseTopic.indexOf('\u0000') >= 0) {
            return Optional.of("response topic: expected a topic name without wildcards or U+0000, got " + responseTopic);
        }
        return Optional.empty();
    }
}
