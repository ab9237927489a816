package io.wattproof.modbus.maps.sunspec;

import io.wattproof.modbus.pdu.Hex;
import io.wattproof.modbus.pdu.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a SunSpec model chain one header at a time. Pure and immutable: {@link #feed} takes the ID
 * and L registers read at {@link #nextAddress()} and says whether to read another header, that the
 * chain ended, or why the device's chain cannot be right.
 *
 * <p>Rules (SunSpec Information Model Specification): the common model (ID 1) comes first; each
 * model occupies its ID and L registers plus L more; ID 0xFFFF ends the chain. A chain whose next
 * header would lie beyond register 65535 ends there. Addresses only grow, so the walk cannot loop;
 * {@link #MAX_MODELS} bounds it further.
 */
public final class ModelChain {
    /** More models than any real device has (a meter has two or three, an inverter about a dozen). */
    public static final int MAX_MODELS = 64;
    /** ID register value of the end marker. */
    public static final int END_ID = 0xFFFF;

    private final int nextAddress;
    private final List<ModelHeader> models;

    private ModelChain(int nextAddress, List<ModelHeader> models) {
        this.nextAddress = nextAddress;
        this.models = List.copyOf(models);
    }

    /** The chain after the "SunS" marker at {@code markerAddress}: the first header follows it. */
    public static ModelChain start(int markerAddress) {
        if (markerAddress < 0 || markerAddress + 4 > 0x10000) {
            throw new IllegalArgumentException("marker address: expected 0..65532, actual " + markerAddress);
        }
        return new ModelChain(markerAddress + 2, List.of());
    }

    /** Where the next ID and L registers are. */
    public int nextAddress() {
        return nextAddress;
    }

    public List<ModelHeader> models() {
        return models;
    }

    /** What to do after reading a header. */
    public sealed interface Step {
        /** Read the header at {@code chain.nextAddress()}. */
        record More(ModelChain chain) implements Step {}

        /** The chain ended (end marker, or no room for another header). */
        record End(List<ModelHeader> models) implements Step {
            public End {
                models = List.copyOf(models);
            }
        }

        /** The device's chain breaks a rule. */
        record Invalid(Violation violation) implements Step {}
    }

    /**
     * @param id the ID register read at {@link #nextAddress()}, 0..65535
     * @param length the L register after it, 0..65535
     */
    public Step feed(int id, int length) {
        String field = "SunSpec model header (holding registers " + Hex.wordValue(nextAddress) + ".."
                + Hex.wordValue(nextAddress + 1) + ")";
        String hex = Hex.bytes(new byte[] {(byte) (id >>> 8), (byte) id, (byte) (length >>> 8), (byte) length});
        if (models.isEmpty() && id != 1) {
            return new Step.Invalid(new Violation(field, "the common model (ID 1) first", "ID " + id, hex));
        }
        if (id == END_ID) {
            return new Step.End(models);
        }
        if (id == 0) {
            return new Step.Invalid(new Violation(field, "a model ID 1..65534 or the end marker 0xffff", "ID 0", hex));
        }
        if (models.size() == MAX_MODELS) {
            return new Step.Invalid(new Violation(field, "the end marker after at most " + MAX_MODELS + " models",
                    "model " + (MAX_MODELS + 1) + " (ID " + id + ")", hex));
        }
        long end = nextAddress + 2L + length;
        if (end > 0x10000) {
            return new Step.Invalid(new Violation(field, "a model length ending at or before register 65535 (at most "
                    + (0xFFFF - nextAddress - 1) + ")", "ID " + id + " length " + length, hex));
        }
        List<ModelHeader> next = new ArrayList<>(models);
        next.add(new ModelHeader(id, nextAddress, length));
        if (end + 2 > 0x10000) {
            return new Step.End(next); // no room for another header: nothing more to read
        }
        return new Step.More(new ModelChain((int) end, next));
    }
}
