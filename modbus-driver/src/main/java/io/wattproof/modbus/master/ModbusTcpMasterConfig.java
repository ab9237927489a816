package io.wattproof.modbus.master;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how patiently a {@link ModbusTcpMaster} talks.
 *
 * @param host name or address of the Modbus TCP server or gateway
 * @param port 1..65535; 502 is the registered Modbus port (Implementation Guide V1.0b section 4.1.3)
 * @param connectTimeout upper bound for establishing the TCP connection
 * @param responseTimeout upper bound from sending a request to receiving the whole response
 */
public record ModbusTcpMasterConfig(String host, int port, Duration connectTimeout, Duration responseTimeout) {
    public static final int DEFAULT_PORT = 502;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Meters answer within ~100 ms; gateways to RS485 buses add a few serial frame times. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(1);

    public ModbusTcpMasterConfig {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: expected a host name or address, actual blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: expected 1..65535, actual " + port);
        }
        requirePositive("connect timeout", connectTimeout);
        requirePositive("response timeout", responseTimeout);
    }

    public static Builder builder(String host) {
        return new Builder(host);
    }

    /** {@code host:port}, as used in messages. */
    public String endpoint() {
        return host + ":" + port;
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": expected 1 ms..2^31-1 ms, actual " + d);
        }
    }

    public static final class Builder {
        private final String host;
        private int port = DEFAULT_PORT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;

        private Builder(String host) {
            this.host = host;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder responseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
            return this;
        }

        public ModbusTcpMasterConfig build() {
            return new ModbusTcpMasterConfig(host, port, connectTimeout, responseTimeout);
        }
    }
}
