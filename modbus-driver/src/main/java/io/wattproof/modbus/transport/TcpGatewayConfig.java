package io.wattproof.modbus.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a {@link TcpByteTransport} finds a serial gateway that passes RTU frames unchanged between
 * a TCP connection and its RS-485 port ("RTU over TCP", "transparent" or "raw" mode; not Modbus
 * TCP, whose MBAP framing the gateway would translate).
 *
 * @param host name or address of the gateway
 * @param port 1..65535; there is no registered port for RTU over TCP (gateways use 502, 4196,
 *     8899, 20108, ...), so it is always given
 * @param connectTimeout upper bound for establishing the TCP connection
 */
public record TcpGatewayConfig(String host, int port, Duration connectTimeout) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    public TcpGatewayConfig {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("gateway host: expected a host name or address, actual blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("gateway port: expected 1..65535, actual " + port);
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connect timeout: expected 1 ms..2^31-1 ms, actual " + connectTimeout);
        }
    }

    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /** {@code host:port}, as used in messages. */
    public String endpoint() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    public static final class Builder {
        private final String host;
        private final int port;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

        private Builder(String host, int port) {
            this.host = host;
            this.port = port;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public TcpGatewayConfig build() {
            return new TcpGatewayConfig(host, port, connectTimeout);
        }
    }
}
