package io.wattproof.lightclient.rpc;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach a node's RPC.
 *
 * @param endpoint the RPC's base address, e.g. {@code http://127.0.0.1:26657}, optionally with a path
 *     prefix ({@code https://host/rpc}); no query, no user info
 * @param chainId the chain the node must serve; answers for another chain are refused
 * @param connectTimeout how long to wait for a TCP (and TLS) connection
 * @param requestTimeout how long one request may take in all, from sending to the last byte of the body
 * @param maxResponseBytes bodies above this are refused (a {@code /commit} of 150 validators is about
 *     60 KB, a full {@code /validators} page about 30 KB)
 * @param validatorsPerPage {@code per_page} of {@code /validators}, 1..100 (CometBFT caps it at 100)
 */
public record RpcProviderConfig(
        URI endpoint, String chainId, Duration connectTimeout, Duration requestTimeout, int maxResponseBytes,
        int validatorsPerPage) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
    /** rpc/core/env.go {@code maxPerPage}. */
    public static final int MAX_PER_PAGE = 100;

    public RpcProviderConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        String scheme = endpoint.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("endpoint must be http:// or https://, got " + endpoint);
        }
        if (endpoint.getHost() == null) {
            throw new IllegalArgumentException("endpoint has no host: " + endpoint);
        }
        if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null || endpoint.getRawUserInfo() != null) {
            throw new IllegalArgumentException("endpoint must have no query, fragment or user info");
        }
        if (chainId.isEmpty()) {
            throw new IllegalArgumentException("chain id must not be empty");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException("max response size must be at least 1024 bytes, got " + maxResponseBytes);
        }
        if (validatorsPerPage < 1 || validatorsPerPage > MAX_PER_PAGE) {
            throw new IllegalArgumentException("validators per page must be 1.." + MAX_PER_PAGE + ", got " + validatorsPerPage);
        }
    }

    public static Builder builder(URI endpoint, String chainId) {
        return new Builder(endpoint, chainId);
    }

    public static final class Builder {
        private final URI endpoint;
        private final String chainId;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private int validatorsPerPage = MAX_PER_PAGE;

        private Builder(URI endpoint, String chainId) {
            this.endpoint = endpoint;
            this.chainId = chainId;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        public Builder maxResponseBytes(int value) {
            this.maxResponseBytes = value;
            return this;
        }

        public Builder validatorsPerPage(int value) {
            this.validatorsPerPage = value;
            return this;
        }

        public RpcProviderConfig build() {
            return new RpcProviderConfig(endpoint, chainId, connectTimeout, requestTimeout, maxResponseBytes, validatorsPerPage);
        }
    }
}
