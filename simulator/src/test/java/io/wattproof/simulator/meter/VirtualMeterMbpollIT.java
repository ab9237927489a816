package io.wattproof.simulator.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.maps.MeterReader;
import io.wattproof.modbus.maps.MeterReading;
import io.wattproof.modbus.master.ModbusTcpMaster;
import io.wattproof.modbus.master.ModbusTcpMasterConfig;
import io.wattproof.modbus.testing.Mbpoll;
import io.wattproof.modbus.testing.SocatPtyPair;
import io.wattproof.modbus.transport.SerialLineConfig;
import io.wattproof.simulator.load.LoadProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * mbpoll (Debian), an outside master built on libmodbus, reads the simulator's virtual SDM630 over
 * Modbus TCP and over Modbus RTU on a socat pseudo-terminal pair, and must see what our own reader
 * sees: two independent masters agreeing on the registers of one meter. The clock stands still,
 * so the meter's values do not move between the reads.
 */
@Timeout(60)
class VirtualMeterMbpollIT {
    private static final Duration MBPOLL_TIMEOUT = Duration.ofSeconds(20);
    /** PDU addresses of the SDM630 floats compared, and their value names in sdm630.yaml. */
    private static final Map<Integer, String> FLOATS = Map.of(
            0x00, "voltage_l1", 0x02, "voltage_l2", 0x04, "voltage_l3",
            0x06, "current_l1", 0x08, "current_l2", 0x0a, "current_l3",
            0x34, "power_total", 0x48, "import_energy", 0x4a, "export_energy");

    @Test
    void mbpollReadsWhatOurReaderReadsOverTcpAndRtu() throws Exception {
        Clock noon = Clock.fixed(Instant.parse("2026-06-21T11:00:00Z"), ZoneOffset.UTC);
        try (SocatPtyPair pty = SocatPtyPair.start();
                VirtualMeter meter = VirtualMeter.start("SIM000001", LoadProfile.household(1001, true, 5000),
                        ZoneId.of("Europe/Berlin"), 12345.5, noon)) {
            meter.serveSerial(SerialLineConfig.builder(pty.a().toString()).lineSettings("9600 8N1").build());
            MeterReading ours;
            try (ModbusTcpMaster master = new ModbusTcpMaster(ModbusTcpMasterConfig.builder("127.0.0.1").port(meter.port()).build())) {
                ours = new MeterReader(master, VirtualMeter.UNIT_ID, VirtualMeter.MAP).read(List.copyOf(FLOATS.values()));
            }
            assertTrue(ours.value("voltage_l1").getAsDouble() > 200, "a plausible meter: " + ours);

            List<String> tcp = List.of("-m", "tcp", "-p", Integer.toString(meter.port()), "127.0.0.1");
            List<String> rtu = List.of("-m", "rtu", "-b", "9600", "-d", "8", "-s", "1", "-P", "none", pty.b().toString());
            for (List<String> link : List.of(tcp, rtu)) {
                Mbpoll.Result low = mbpoll(link, 0x00, 12);
                Mbpoll.Result power = mbpoll(link, 0x34, 2);
                Mbpoll.Result energy = mbpoll(link, 0x48, 4);
                for (Map.Entry<Integer, String> e : FLOATS.entrySet()) {
                    int address = e.getKey();
                    Mbpoll.Result r = address < 0x34 ? low : address < 0x48 ? power : energy;
                    double theirs = r.float32(address);
                    // In kWh or W as the register holds it; ours converts kWh to Wh.
                    double mine = ours.value(e.getValue()).getAsDouble() / (e.getValue().endsWith("energy") ? 1000.0 : 1.0);
                    // mbpoll prints %g: six significant digits.
                    assertEquals(mine, theirs, Math.abs(mine) * 5e-6 + 1e-9, e.getValue() + " via " + link.get(1));
                }
            }
        }
    }

    private static Mbpoll.Result mbpoll(List<String> link, int address, int registers) throws Exception {
        List<String> args = new ArrayList<>(List.of("-0", "-a", "1", "-o", "1", "-t", "3:float", "-B",
                "-r", Integer.toString(address), "-c", Integer.toString(registers / 2)));
        args.addAll(link);
        return Mbpoll.run(MBPOLL_TIMEOUT, args).requireSuccess();
    }
}
