package io.wattproof.modbus.slave;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;

/**
 * Where a {@link ModbusTcpSlave} listens and whom it answers.
 *
 * @param bindAddress local address and port; port 0 picks a free ephemeral port
 * @param unitIds the unit ids answered, each 0..255; empty answers every unit id. A request for
 *     another unit gets no answer, as a serial device would not answer a foreign address and as
 *     pymodbus does (the client times out).
 * @param backlog pending-connection queue length for the listening socket
 */
public record ModbusTcpSlaveConfig(InetSocketAddress bindAddress, Set<Integer> unitIds, int backlog) {
    public static final int DEFAULT_PORT = 502;
    public static final int DEFAULT_BACKLOG = 50;

    public ModbusTcpSlaveConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        unitIds = Set.copyOf(unitIds);
        for (int id : unitIds) {
            if (id < 0 || id > 0xFF) {
                throw new IllegalArgumentException("unit id: expected 0..255, actual " + id);
            }
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog: expected >= 1, actual " + backlog);
        }
    }

    public boolean answers(int unitId) {
        return unitIds.isEmpty() || unitIds.contains(unitId);
    }

    /** Defaults: loopback, port 502, every unit id, backlog 50. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private InetSocketAddress bindAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT);
        private Set<Integer> unitIds = Set.of();
        private int backlog = DEFAULT_BACKLOG;

        private Builder() {}

        public Builder bindAddress(InetSocketAddress bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        /** Loopback on {@code port} (0: ephemeral), the usual choice for simulators and tests. */
        public Builder loopback(int port) {
            this.bindAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            return this;
        }

        public Builder unitIds(Set<Integer> unitIds) {
            this.unitIds = unitIds;
            return this;
        }

        public Builder unitId(int unitId) {
            this.unitIds = Set.of(unitId);
            return this;
        }

        public Builder anyUnitId() {
            this.unitIds = Set.of();
            return this;
        }

        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        public ModbusTcpSlaveConfig build() {
            return new ModbusTcpSlaveConfig(bindAddress, unitIds, backlog);
        }
    }
}
