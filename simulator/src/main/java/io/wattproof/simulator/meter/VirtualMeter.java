package io.wattproof.simulator.meter;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.maps.MeterRegisterImage;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.FunctionCode;
import io.wattproof.modbus.pdu.ModbusRequest;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.ReadHoldingRegistersRequest;
import io.wattproof.modbus.pdu.ReadHoldingRegistersResponse;
import io.wattproof.modbus.pdu.ReadInputRegistersRequest;
import io.wattproof.modbus.pdu.ReadInputRegistersResponse;
import io.wattproof.modbus.slave.ModbusRtuSlave;
import io.wattproof.modbus.slave.ModbusTcpSlave;
import io.wattproof.modbus.slave.ModbusTcpSlaveConfig;
import io.wattproof.modbus.slave.RegisterBank;
import io.wattproof.modbus.transport.SerialLineConfig;
import io.wattproof.modbus.transport.SerialPortTransport;
import io.wattproof.simulator.load.MeterState;
import io.wattproof.simulator.load.PowerCurve;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A virtual Eastron SDM630 on the network: a Modbus TCP slave on loopback whose input registers,
 * laid out by the built-in sdm630.yaml map, follow a load curve (a household, a charging pile). The register image is
 * brought up to date on every request, so an agent reading at a boundary sees the energy up to that
 * instant, as with a real meter. {@link #serveSerial} puts the same meter on a serial line as well
 * (an RS-485 adapter, or one end of a pseudo-terminal pair), answering Modbus RTU.
 */
public final class VirtualMeter implements AutoCloseable {
    public static final int UNIT_ID = 1;
    /** The register map the meter follows, and an agent reading it must use. */
    public static final MeterMap MAP = MeterMaps.find("SDM630").orElseThrow();

    private final String serial;
    private final Clock clock;
    private final MeterRegisterImage image = new MeterRegisterImage(MAP);
    private final ModbusTcpSlave slave;
    private ModbusRtuSlave rtuSlave; // guarded by this
    private MeterState state;
    /** Set by a garbage fault: the meter answers nonsense (docs/faults.md). */
    private volatile boolean garbage;
    private long garbageAnswers; // guarded by this

    private VirtualMeter(String serial, MeterState initial, Clock clock, boolean tcp) throws IOException {
        this.serial = serial;
        this.clock = clock;
        this.state = initial;
        refresh();
        this.slave = tcp ? ModbusTcpSlave.start(ModbusTcpSlaveConfig.builder().loopback(0).unitId(UNIT_ID).build(), new LiveBank()) : null;
    }

    /**
     * Starts a meter on a free loopback port.
     *
     * @param initialImportKwh the import register when the simulation starts (meters are not new)
     */
    public static VirtualMeter start(String serial, PowerCurve profile, ZoneId zone, double initialImportKwh, Clock clock)
            throws IOException {
        return new VirtualMeter(serial, new MeterState(profile, zone, clock.instant(), initialImportKwh, 0), clock, true);
    }

    /**
     * A meter without a Modbus TCP slave, read through {@link #inProcessMaster()} only: for fleets
     * of thousands, where a listening socket and a connection per meter would exhaust the
     * loopback's ephemeral ports and the process's file descriptors. The registers and their
     * encoding are the same; only the TCP framing is skipped (it is exercised by every run without
     * {@code --in-process-meters} and by the Modbus driver's own tests).
     */
    public static VirtualMeter startInProcess(String serial, PowerCurve profile, ZoneId zone, double initialImportKwh, Clock clock)
            throws IOException {
        return new VirtualMeter(serial, new MeterState(profile, zone, clock.instant(), initialImportKwh, 0), clock, false);
    }

    /** Whether the meter answers on a Modbus TCP port ({@link #port()}); false for {@link #startInProcess}. */
    public boolean servesTcp() {
        return slave != null;
    }

    /**
     * A master that reads this meter's registers by a method call, as a Modbus TCP master would
     * over the socket: FC 03 and FC 04 for unit {@link #UNIT_ID}; any other function or unit is
     * refused with exception code 0x01 (illegal function) or 0x0B (gateway target failed to respond).
     */
    public ModbusMaster inProcessMaster() {
        LiveBank bank = new LiveBank();
        return new ModbusMaster() {
            @Override
            public ModbusResponse execute(int unitId, ModbusRequest request) throws ModbusException {
                if (unitId != UNIT_ID) {
                    throw new ModbusExceptionResponse(request.functionCode().code(), ExceptionCode.GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND);
                }
                return switch (request) {
                    case ReadHoldingRegistersRequest r ->
                            new ReadHoldingRegistersResponse(bank.read(FunctionCode.READ_HOLDING_REGISTERS, r.address(), r.quantity()));
                    case ReadInputRegistersRequest r ->
                            new ReadInputRegistersResponse(bank.read(FunctionCode.READ_INPUT_REGISTERS, r.address(), r.quantity()));
                    default -> throw new ModbusExceptionResponse(request.functionCode().code(), ExceptionCode.ILLEGAL_FUNCTION);
                };
            }

            @Override
            public void close() {}
        };
    }

    public String serial() {
        return serial;
    }

    public int port() {
        if (slave == null) {
            throw new IllegalStateException("meter " + serial + " runs in process, without a Modbus TCP port");
        }
        return slave.port();
    }

    /**
     * Also answers as unit {@link #UNIT_ID} on {@code line}, with the same registers, until closed.
     *
     * @throws ModbusIoException if the port cannot be opened (the message names it and why)
     */
    public synchronized void serveSerial(SerialLineConfig line) throws ModbusIoException {
        if (rtuSlave != null) {
            throw new IllegalStateException("meter " + serial + " already serves " + rtuSlave);
        }
        rtuSlave = ModbusRtuSlave.start(SerialPortTransport.open(line), Set.of(UNIT_ID),
                RtuTiming.of(line.baudRate(), line.bitsPerCharacter()), new LiveBank());
    }

    private synchronized void refresh() {
        Instant now = clock.instant();
        Duration step = Duration.between(state.time(), now);
        // A clock that stands still or jumps back leaves the registers where they are: energy
        // registers never run backwards.
        if (step.isPositive()) {
            state = state.advance(step);
        }
        MeterState.Phases v = state.voltages();
        MeterState.Phases a = state.currents();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("voltage_l1", v.l1());
        values.put("voltage_l2", v.l2());
        values.put("voltage_l3", v.l3());
        values.put("current_l1", a.l1());
        values.put("current_l2", a.l2());
        values.put("current_l3", a.l3());
        values.put("power_total", state.netPowerWatts());
        // Readings are in Wh; the SDM630's registers hold kWh, which the image converts back to.
        values.put("import_energy", state.importKwh() * 1000.0);
        values.put("export_energy", state.exportKwh() * 1000.0);
        image.setAll(values);
    }

    /**
     * While on, the meter answers every other request with exception 0x04 (Server Device Failure,
     * Modbus Application Protocol v1.1b3 section 7) and the others with every register word
     * 0x7FC0, so each float32 value reads as NaN: a meter with a failing measuring chip. The energy
     * registers underneath keep counting, so a reading after the fault accounts for every Wh.
     */
    public void answerGarbage(boolean on) {
        garbage = on;
    }

    public boolean answersGarbage() {
        return garbage;
    }

    private synchronized int[] garbageAnswer(FunctionCode function, int quantity) throws ModbusExceptionResponse {
        if (garbageAnswers++ % 2 == 0) {
            throw new ModbusExceptionResponse(function.code(), 0x04);
        }
        int[] words = new int[quantity];
        java.util.Arrays.fill(words, 0x7FC0);
        return words;
    }

    private final class LiveBank implements RegisterBank {
        @Override
        public int[] read(FunctionCode function, int address, int quantity) throws ModbusExceptionResponse {
            refresh();
            if (garbage) {
                return garbageAnswer(function, quantity);
            }
            return image.read(function, address, quantity);
        }
    }

    @Override
    public void close() {
        if (slave != null) {
            slave.close();
        }
        synchronized (this) {
            if (rtuSlave != null) {
                rtuSlave.close();
            }
        }
    }
}
