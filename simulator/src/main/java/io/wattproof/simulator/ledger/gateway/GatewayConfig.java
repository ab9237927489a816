package io.wattproof.simulator.ledger.gateway;

import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A gateway's settings.
 *
 * @param serverUri the broker, {@code tcp://host:port} (the simulator's embedded broker)
 * @param clientId this gateway's MQTT client id; distinct for every gateway of a group
 * @param topicPrefix the topic tree, {@code wattproof/v1}
 * @param shareGroup the MQTT 5 shared-subscription group (the ShareName of section 4.8.2): gateways
 *     in one group split the fleet's messages between them
 * @param pendingLimit how many tx hashes waiting for their block are remembered at most
 * @param byzantine whether and how the gateway lies; {@link ByzantinePolicy#honest()} normally
 */
public record GatewayConfig(String serverUri, String clientId, String topicPrefix, String shareGroup, int pendingLimit,
        ByzantinePolicy byzantine) {
    public static final String DEFAULT_SHARE_GROUP = "wattproof-gateways";
    public static final int DEFAULT_PENDING_LIMIT = 100_000;

    public GatewayConfig {
        Objects.requireNonNull(serverUri, "serverUri");
        Objects.requireNonNull(byzantine, "byzantine");
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("client id: expected a non-empty string, got " + (clientId == null ? "none" : "\"\""));
        }
        // MQTT 5 section 4.8.2: a ShareName is at least one character and contains no "/", "+" or "#".
        if (shareGroup == null || shareGroup.isEmpty() || shareGroup.matches(".*[/+#].*")) {
            throw new IllegalArgumentException("share group: expected a non-empty name without '/', '+' or '#', got " + shareGroup);
        }
        if (topicPrefix == null || topicPrefix.isEmpty() || topicPrefix.startsWith("/") || topicPrefix.endsWith("/")
                || topicPrefix.matches(".*[+#\u0000].*") || topicPrefix.startsWith("$")) {
            throw new IllegalArgumentException("topic prefix: expected levels like wattproof/v1 without wildcards, got " + topicPrefix);
        }
        if (pendingLimit < 1) {
            throw new IllegalArgumentException("pending limit: expected >= 1, got " + pendingLimit);
        }
    }

    public static Builder builder(String serverUri) {
        return new Builder(serverUri);
    }

    public static final class Builder {
        private final String serverUri;
        private String clientId = "wattproof-gateway-" + HexFormat.of().formatHex(randomBytes());
        private String topicPrefix = Topics.DEFAULT_PREFIX;
        private String shareGroup = DEFAULT_SHARE_GROUP;
        private int pendingLimit = DEFAULT_PENDING_LIMIT;
        private ByzantinePolicy byzantine = ByzantinePolicy.honest();

        private Builder(String serverUri) {
            this.serverUri = serverUri;
        }

        private static byte[] randomBytes() {
            byte[] b = new byte[4];
            ThreadLocalRandom.current().nextBytes(b);
            return b;
        }

        public Builder clientId(String value) {
            this.clientId = value;
            return this;
        }

        public Builder topicPrefix(String value) {
            this.topicPrefix = value;
            return this;
        }

        public Builder shareGroup(String value) {
            this.shareGroup = value;
            return this;
        }

        public Builder pendingLimit(int value) {
            this.pendingLimit = value;
            return this;
        }

        public Builder byzantine(ByzantinePolicy value) {
            this.byzantine = value;
            return this;
        }

        public GatewayConfig build() {
            return new GatewayConfig(serverUri, clientId, topicPrefix, shareGroup, pendingLimit, byzantine);
        }
    }
}
