package io.wattproof.agent.cli;

import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.master.ModbusRtuMaster;
import io.wattproof.modbus.master.ModbusRtuMasterConfig;
import io.wattproof.modbus.master.ModbusTcpMaster;
import io.wattproof.modbus.master.ModbusTcpMasterConfig;
import io.wattproof.modbus.transport.SerialLineConfig;
import io.wattproof.modbus.transport.SerialPortTransport;
import io.wattproof.modbus.transport.TcpByteTransport;
import io.wattproof.modbus.transport.TcpGatewayConfig;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How to reach the meter: a serial port (Modbus RTU), Modbus TCP, or RTU frames through a TCP gateway. */
final class MeterConnectionOptions {
    static final int DEFAULT_TCP_PORT = 502;

    /** Null only where the command allows another source (run --config); {@link #target} then refuses. */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Endpoint endpoint;

    boolean given() {
        return endpoint != null;
    }

    static final class Endpoint {
        @Option(names = "--serial", paramLabel = "PORT", description = "serial port of the RS-485 line, e.g. /dev/ttyUSB0 (Modbus RTU)")
        String serial;

        @Option(names = "--tcp", paramLabel = "HOST[:PORT]", description = "Modbus TCP server or gateway (port 502 if omitted)")
        String tcp;
    }

    @Option(names = "--rtu-over-tcp", description = "the --tcp endpoint is a serial gateway that passes RTU frames through (no MBAP header)")
    boolean rtuOverTcp;

    @Option(names = "--baud", paramLabel = "B", description = "serial baud rate (default: 9600)")
    String baud;

    @Option(names = "--parity", paramLabel = "N|E|O", description = "serial parity (default: E, the Modbus serial line default; "
            + "many meters ship with N)")
    String parity;

    @Option(names = "--stop", paramLabel = "1|2", description = "serial stop bits (default: 1)")
    String stop;

    @Option(names = "--rs485", description = "let the serial driver switch the RS-485 transceiver (the kernel's RS-485 mode, "
            + "RTS as driver enable); adapters that switch by themselves (most USB ones) need nothing")
    boolean rs485;

    @Option(names = "--timeout", paramLabel = "MS", description = "response timeout in milliseconds (default: ${DEFAULT-VALUE})")
    int timeoutMillis = 1000;

    @Option(names = "--retries", paramLabel = "N", description = "retries after a timeout or a line fault, RTU links only "
            + "(default: ${DEFAULT-VALUE})")
    int retries = ModbusRtuMasterConfig.DEFAULT_RETRIES;

    /** A checked, not yet opened connection. */
    record Target(String description, Kind kind, SerialLineConfig serial, String host, int port) {
        enum Kind { SERIAL, TCP, RTU_OVER_TCP }

        boolean isRtu() {
            return kind != Kind.TCP;
        }
    }

    Target target(CommandSpec spec) {
        CommandLine cli = spec.commandLine();
        if (endpoint == null) {
            throw new ParameterException(cli, "Missing required argument: the meter, --serial=PORT or --tcp=HOST[:PORT]");
        }
        if (timeoutMillis < 1 || timeoutMillis > 60_000) {
            throw new ParameterException(cli, "--timeout: expected 1..60000 ms, actual " + timeoutMillis);
        }
        if (retries < 0 || retries > 10) {
            throw new ParameterException(cli, "--retries: expected 0..10, actual " + retries);
        }
        if (endpoint.serial != null) {
            if (rtuOverTcp) {
                throw new ParameterException(cli, "--rtu-over-tcp: applies to --tcp only");
            }
            SerialLineConfig config;
            try {
                config = SerialLineConfig.builder(endpoint.serial)
                        .baudRate(baud == null ? SerialLineConfig.DEFAULT_BAUD_RATE : SerialLineConfig.parseBaudRate(baud))
                        .parity(parity == null ? SerialLineConfig.Parity.EVEN : SerialLineConfig.Parity.parse(parity))
                        .stopBits(stop == null ? 1 : SerialLineConfig.parseStopBits(stop))
                        .direction(rs485 ? new SerialLineConfig.Direction.PortRs485(true, 0, 0)
                                : new SerialLineConfig.Direction.None())
                        .build();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, "serial line: " + e.getMessage());
            }
            return new Target(config.describe(), Target.Kind.SERIAL, config, null, 0);
        }
        for (String[] option : new String[][] {{"--baud", baud}, {"--parity", parity}, {"--stop", stop},
                {"--rs485", rs485 ? "set" : null}}) {
            if (option[1] != null) {
                throw new ParameterException(cli, option[0] + ": applies to --serial only");
            }
        }
        String tcp = endpoint.tcp.strip();
        int colon = tcp.lastIndexOf(':');
        String host = colon < 0 ? tcp : tcp.substring(0, colon);
        int port = DEFAULT_TCP_PORT;
        if (colon >= 0) {
            try {
                port = Integer.parseInt(tcp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ParameterException(cli, "--tcp: expected HOST[:PORT] with a port number, actual '" + tcp + "'");
            }
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new ParameterException(cli, "--tcp: expected HOST[:PORT] with a port 1..65535, actual '" + tcp + "'");
        }
        return rtuOverTcp
                ? new Target(host + ":" + port + " (RTU over TCP)", Target.Kind.RTU_OVER_TCP, null, host, port)
                : new Target(host + ":" + port, Target.Kind.TCP, null, host, port);
    }

    /** Checks {@code unit} for the kind of link: 1..247 on a serial line, 0..255 over Modbus TCP. */
    static void checkUnit(CommandSpec spec, Target target, int unit) {
        if (target.isRtu() ? unit < 1 || unit > 247 : unit < 0 || unit > 255) {
            throw new ParameterException(spec.commandLine(), "--unit: expected " + (target.isRtu() ? "1..247" : "0..255")
                    + " on " + target.description() + ", actual " + unit);
        }
    }

    ModbusMaster open(Target target) throws ModbusIoException {
        Duration timeout = Duration.ofMillis(timeoutMillis);
        return switch (target.kind()) {
            case SERIAL -> new ModbusRtuMaster(SerialPortTransport.open(target.serial()), ModbusRtuMasterConfig.builder()
                    .timing(RtuTiming.of(target.serial().baudRate(), target.serial().bitsPerCharacter()))
                    .responseTimeout(timeout)
                    .retries(retries)
                    .build());
            case RTU_OVER_TCP -> new ModbusRtuMaster(new TcpByteTransport(TcpGatewayConfig.builder(target.host(), target.port()).build()),
                    ModbusRtuMasterConfig.builder().timing(RtuTiming.NONE).responseTimeout(timeout).retries(retries).build());
            case TCP -> new ModbusTcpMaster(ModbusTcpMasterConfig.builder(target.host()).port(target.port())
                    .responseTimeout(timeout).build());
        };
    }
}
