package io.wattproof.modbus.master;

import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.testing.PymodbusServer;
import io.wattproof.modbus.testing.SocatPtyPair;
import io.wattproof.modbus.transport.ByteTransport;
import io.wattproof.modbus.transport.SerialLineConfig;
import io.wattproof.modbus.transport.SerialPortTransport;
import java.util.Deque;

/**
 * {@link ModbusRtuMaster} over {@link SerialPortTransport} against a pymodbus 3.0 RTU server on a
 * serial line: two pseudo-terminals joined by socat, pymodbus (pyserial) on one end, jSerialComm
 * on the other. 8N1, because parity can be set on a pty only once (see {@link SocatPtyPair}). The
 * checks are in {@link PymodbusRtuPeerContract}.
 */
class PymodbusRtuIT extends PymodbusRtuPeerContract {
    private static final int BAUD = 9600;
    private SocatPtyPair pty;

    @Override
    PymodbusServer.Config.Builder link(Deque<AutoCloseable> resources) throws Exception {
        pty = SocatPtyPair.start();
        resources.push(pty);
        return PymodbusServer.Config.serial(pty.a(), BAUD);
    }

    @Override
    ByteTransport openTransport(PymodbusServer server) throws Exception {
        return SerialPortTransport.open(
                SerialLineConfig.builder(pty.b().toString()).lineSettings(BAUD + " 8N1").build());
    }

    @Override
    RtuTiming timing() {
        return RtuTiming.of(BAUD, 10); // 8N1: start, 8 data and stop bit
    }
}
