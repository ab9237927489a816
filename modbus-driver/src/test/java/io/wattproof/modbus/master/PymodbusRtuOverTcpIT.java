package io.wattproof.modbus.master;

import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.testing.PymodbusServer;
import io.wattproof.modbus.transport.ByteTransport;
import io.wattproof.modbus.transport.TcpByteTransport;
import io.wattproof.modbus.transport.TcpGatewayConfig;
import java.util.Deque;

/**
 * {@link ModbusRtuMaster} over {@link TcpByteTransport} against a pymodbus 3.0 TCP server with its
 * RTU framer: RTU frames, CRC included, carried by TCP as a transparent serial gateway does ("RTU
 * over TCP"). No line timing ({@link RtuTiming#NONE}): TCP keeps frames apart. The checks are in
 * {@link PymodbusRtuPeerContract}.
 */
class PymodbusRtuOverTcpIT extends PymodbusRtuPeerContract {

    @Override
    PymodbusServer.Config.Builder link(Deque<AutoCloseable> resources) {
        return PymodbusServer.Config.rtuOverTcp();
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
