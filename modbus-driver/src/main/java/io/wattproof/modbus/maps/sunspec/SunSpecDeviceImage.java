package io.wattproof.modbus.maps.sunspec;

import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.maps.MeterRegisterImage;
import io.wattproof.modbus.maps.ReadableRange;
import io.wattproof.modbus.maps.RegisterTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The holding registers of a simulated SunSpec device: "SunS" at the base address, the common model
 * with the given identity, the given models (each with L = its map's length), and the end marker
 * (ID 0xFFFF, L 0). Values of the models are set through {@link #image()} by their map names.
 *
 * @param image the registers, served e.g. by a {@code ModbusTcpSlave}
 * @param models the chain as a master will find it
 */
public record SunSpecDeviceImage(MeterRegisterImage image, List<ModelHeader> models) {
    public SunSpecDeviceImage {
        models = List.copyOf(models);
    }

    /**
     * @param base 40000, 0 or 50000 for a device discovery finds
     * @param identity strings of the common model (absent ones stay NUL)
     * @param sunspecMaps built-in or user SunSpec model maps, not located, with distinct value names
     */
    public static SunSpecDeviceImage build(int base, CommonModel identity, List<MeterMap> sunspecMaps) {
        MeterMap commonMap = MeterMaps.sunspecModel(1).orElseThrow();
        List<MeterMap> all = new ArrayList<>(List.of(commonMap));
        all.addAll(sunspecMaps);
        List<MeterMap> located = new ArrayList<>();
        List<ModelHeader> headers = new ArrayList<>();
        int address = base + 2;
        for (MeterMap map : all) {
            int id = map.sunspecModel().orElseThrow(() -> new IllegalArgumentException(map.origin() + " is not a SunSpec map"));
            // The common model is 66 registers long (65 in old devices, without the pad register).
            int length = id == 1 ? 66 : map.sunspecLength();
            headers.add(new ModelHeader(id, address, length));
            located.add(map.located(address, length));
            address += 2 + length;
        }
        int endMarker = address;
        MeterRegisterImage image = new MeterRegisterImage(located, List.of(
                new ReadableRange(RegisterTable.HOLDING, base, base + 1),
                new ReadableRange(RegisterTable.HOLDING, endMarker, endMarker + 1)));
        image.setRegisters(RegisterTable.HOLDING, base, SunSpecDiscovery.MARKER_HIGH, SunSpecDiscovery.MARKER_LOW);
        for (ModelHeader h : headers) {
            image.setRegisters(RegisterTable.HOLDING, h.address(), h.id(), h.length());
        }
        image.setRegisters(RegisterTable.HOLDING, endMarker, ModelChain.END_ID, 0);
        identity.manufacturer().ifPresent(s -> image.setText("Mn", s));
        identity.model().ifPresent(s -> image.setText("Md", s));
        identity.options().ifPresent(s -> image.setText("Opt", s));
        identity.version().ifPresent(s -> image.setText("Vr", s));
        identity.serialNumber().ifPresent(s -> image.setText("SN", s));
        return new SunSpecDeviceImage(image, headers);
    }

    /** One past the end marker: the registers of the whole device are {@code base .. end() - 1}. */
    public int end() {
        ModelHeader last = models.get(models.size() - 1);
        return last.end() + 2;
    }
}
