package io.wattproof.simulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run hosts its fleet: which broker, and what each simulated device costs the machine
 * (docs/benchmarks.md, "Simulator: fleet scale").
 *
 * @param externalBroker {@code tcp://HOST:PORT} of a broker to use instead of the embedded one
 *     (Mosquitto, a broker cluster's load balancer); empty: the embedded broker
 * @param linkProxies one relay per device between its agent and the broker, so the device's link
 *     can be cut (fault injection); two more sockets and a loopback connection per device
 * @param inProcessMeters the agents read their meters by method call instead of over one Modbus TCP
 *     connection to one slave per meter (same registers; no listening port per meter)
 * @param virtualThreads the agents' long-lived jobs run on virtual threads
 *     ({@link io.wattproof.agent.AgentThreads}); for the whole process, once set
 * @param lightKeyStores new device key stores are encrypted with the fewest PBKDF2 rounds RFC 8018
 *     recommends ({@link io.wattproof.crypto.soft.SoftwareKeyStore#MIN_PBKDF2_ITERATIONS}) instead of
 *     100,000: their secrets are 256 random bits, and 10,000 devices would otherwise take half an
 *     hour to create and as long again to open
 */
public record FleetHosting(Optional<String> externalBroker, boolean linkProxies, boolean inProcessMeters, boolean virtualThreads,
        boolean lightKeyStores) {
    /** As every run before fleets grew: embedded broker, a link proxy and a Modbus TCP slave per device, platform threads. */
    public static final FleetHosting DEFAULT = new FleetHosting(Optional.empty(), true, false, false, false);

    /** For thousands of devices: no link proxies, in-process meters, virtual threads, light key stores; the embedded broker. */
    public static final FleetHosting LARGE = new FleetHosting(Optional.empty(), false, true, true, true);

    public FleetHosting {
        Objects.requireNonNull(externalBroker, "external broker");
        externalBroker.ifPresent(FleetHosting::checkBrokerUri);
    }

    public FleetHosting withExternalBroker(String uri) {
        return new FleetHosting(Optional.of(uri), linkProxies, inProcessMeters, virtualThreads, lightKeyStores);
    }

    /**
     * Refuses anything but {@code tcp://HOST:PORT} with a host and a port 1..65535 (what Paho and
     * the gateway connect to; TLS brokers are configured on the agents, not here).
     *
     * @throws IllegalArgumentException naming the field, what was expected and what was given
     */
    public static void checkBrokerUri(String value) {
        String expected = "expected tcp://HOST:PORT";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("broker: " + expected + ", got '" + value + "' (" + e.getReason() + ")");
        }
        if (!"tcp".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535
                || !(uri.getPath() == null || uri.getPath().isEmpty()) || uri.getQuery() != null || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("broker: " + expected + " with a port 1..65535, got '" + value + "'");
        }
    }

    /** The host of {@link #externalBroker}. */
    static String host(String uri) {
        return URI.create(uri).getHost();
    }

    /** The port of {@link #externalBroker}. */
    static int port(String uri) {
        return URI.create(uri).getPort();
    }
}
