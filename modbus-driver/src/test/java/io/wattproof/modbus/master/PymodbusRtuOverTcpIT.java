package io.wattproof.modbus.master;

import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.testing.PymodbusServer;
import io.wattproof.modbus.transport.ByteTransport;
import io.wattproof.modbus.transport.TcpByteTransport;
import io.wattproof.modbus.transport.TcpGatewayConfig;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * {@link ModbusRtuMaster} over {@link TcpByteTransport} against a pymodbus 3.0 TCP server with its
 * RTU framer: RTU frames, CRC included, carried by TCP as a transparent serial gateway does ("RTU
 * over TCP"). No line timing ({@link RtuTiming#NONE}): TCP keeps frames apart. The checks are in
 * {@link PymodbusRtuPeerContract}.
 */
class PymodbusRtuOverTcpIT extends PymodbusRtuPeerContract {

    @Override
    PymodbusServer startServer(Map<String, Object> config, Deque<AutoCloseable> resources) throws Exception {
        config.put("link", "tcp");
        PymodbusServer server = PymodbusServer.start("rtu_server.py", List.of(json(config)));
        resources.push(server);
        return server;
    }

    @Override
    ByteTransport openTransport(PymodbusServer server) {
        return new TcpByteTransport(TcpGatewayConfig.builder("127.0.0.1", server.port()).build());
    }

    @Override
    RtuTiming timing() {
        return RtuTiming.NONE;
    }
}
