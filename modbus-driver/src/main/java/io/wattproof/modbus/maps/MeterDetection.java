package io.wattproof.modbus.maps;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.ModbusTimeoutException;
import io.wattproof.modbus.maps.sunspec.SunSpecDevice;
import io.wattproof.modbus.maps.sunspec.SunSpecDiscovery;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.pdu.DeviceIdentification;
import io.wattproof.modbus.pdu.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Works out which map fits the meter at a unit id, for {@code --model auto}: SunSpec discovery
 * first (a SunSpec device states its models exactly), then read device identification (FC 43/14)
 * matched against the {@code identification} of the built-in maps. Many meters support neither
 * (Eastron SDM, ABB B2x, Carlo Gavazzi EM340): then the technician names the model.
 */
public final class MeterDetection {

    /** The outcome: a map, or every attempt and what it found. */
    public sealed interface Outcome {
        /** {@code how} says what identified it, e.g. {@code "SunSpec model 203 at holding register 40069"}. */
        record Identified(MeterMap map, String how) implements Outcome {
            public Identified {
                Objects.requireNonNull(map, "map");
                Objects.requireNonNull(how, "how");
            }
        }

        record NotIdentified(List<String> attempts) implements Outcome {
            public NotIdentified {
                attempts = List.copyOf(attempts);
            }

            public String message() {
                return "could not identify the meter: " + String.join("; ", attempts);
            }
        }
    }

    private MeterDetection() {}

    /**
     * @throws ModbusIoException if the link itself fails; a device that does not answer or answers
     *     with errors is reported in {@link Outcome.NotIdentified}
     */
    public static Outcome detect(ModbusMaster master, int unitId) throws ModbusIoException {
        List<String> attempts = new ArrayList<>();
        try {
            SunSpecDevice device = SunSpecDiscovery.discover(master, unitId);
            if (device.meterMap().isPresent()) {
                MeterMap map = device.meterMap().get();
                return new Outcome.Identified(map, "SunSpec model " + map.sunspecModel().getAsInt()
                        + " at holding register " + map.modelAddress().getAsInt() + " ("
                        + device.common().manufacturer().orElse("?") + " " + device.common().model().orElse("?") + ")");
            }
            attempts.add("SunSpec device at " + device.baseAddress() + " has no meter model (models "
                    + device.models().stream().map(m -> Integer.toString(m.id())).collect(Collectors.joining(", ")) + ")");
        } catch (ModbusIoException e) {
            throw e;
        } catch (ModbusException e) {
            attempts.add("SunSpec: " + describe(e));
        }
        try {
            DeviceIdentification id = master.readDeviceIdentification(unitId);
            for (MeterMap map : MeterMaps.builtIn()) {
                if (map.identification().isPresent()
                        && map.identification().get().matches(id.vendorName(), id.productCode(), id.modelName())) {
                    return new Outcome.Identified(map, "device identification: " + id.vendorName().orElse("?") + " "
                            + id.productCode().orElse(id.modelName().orElse("?")));
                }
            }
            attempts.add("device identification (FC 43/14): " + id.vendorName().orElse("no vendor name") + " "
                    + id.productCode().orElse("no product code") + " matches no built-in map");
        } catch (ModbusIoException e) {
            throw e;
        } catch (ModbusException e) {
            attempts.add("device identification (FC 43/14): " + describe(e));
        }
        return new Outcome.NotIdentified(attempts);
    }

    private static String describe(ModbusException e) {
        return switch (e) {
            case ModbusExceptionResponse r -> "exception " + Hex.byteValue(r.exceptionCode()) + " (" + r.meaning() + ")";
            case ModbusTimeoutException t -> "no answer";
            case ModbusProtocolException p -> p.getMessage();
            case ModbusIoException io -> io.getMessage();
        };
    }
}
