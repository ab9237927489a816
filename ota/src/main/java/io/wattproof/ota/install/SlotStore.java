package io.wattproof.ota.install;

import io.wattproof.ota.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The slots and their state on disk:
 *
 * <pre>
 * &lt;root&gt;/slots/a/           the application image of slot A (files)
 * &lt;root&gt;/slots/b/           the same for slot B
 * &lt;root&gt;/slots/x/.committed the version this slot held when it was committed (decimal text)
 * &lt;root&gt;/ota-state.bin      the {@link SlotState} ({@link StateCodec})
 * &lt;root&gt;/ota-state.bin.copy a second copy of it
 * </pre>
 *
 * Every save writes the new state, with a generation one higher, first to the copy and then to
 * the main file, each whole and durably. A power cut leaves each file old or new, never mixed;
 * {@link #load} takes the valid file with the higher generation, so a state once written to
 * either file holds, and one damaged file (flash decay) loses nothing. Only when both are damaged
 * is the state {@link Loaded.Corrupt}; then the rule is the {@code .committed} markers: boot the
 * slot whose marker holds the highest version (the last version that passed its health check; the
 * marker is written just before the commit's state, and a slot being cleared loses its marker
 * before any of its files).
 */
public final class SlotStore {

    public sealed interface Loaded {
        record Found(SlotState state) implements Loaded {}

        record Missing() implements Loaded {}

        record Corrupt(String why) implements Loaded {}
    }

    static final String MARKER = ".committed";

    private final Path root;
    private final Steps steps;
    private long generation = -1;
    private VersionFloor floor = new VersionFloor(0);

    public SlotStore(Path root, Steps steps) {
        this.root = root;
        this.steps = steps;
    }

    public Path slotDir(Slot slot) {
        return root.resolve("slots").resolve(slot.name().toLowerCase(java.util.Locale.ROOT));
    }

    Path stateFile() {
        return root.resolve("ota-state.bin");
    }

    Path copyFile() {
        return root.resolve("ota-state.bin.copy");
    }

    Steps steps() {
        return steps;
    }

    public Loaded load() throws IOException {
        StateCodec.Decoded main = read(stateFile());
        StateCodec.Decoded copy = read(copyFile());
        if (main == null && copy == null) {
            return new Loaded.Missing();
        }
        StateCodec.Decoded.Ok best = newer(main, copy);
        if (best == null) {
            return new Loaded.Corrupt(why(stateFile(), main) + "; " + why(copyFile(), copy));
        }
        generation = Math.max(generation, best.generation());
        floor = new VersionFloor(Math.max(floor.value(), best.state().floor().value()));
        return new Loaded.Found(best.state());
    }

    private static String why(Path file, StateCodec.Decoded d) {
        return file.getFileName() + ": " + (d == null ? "missing" : d instanceof StateCodec.Decoded.Damaged dm ? dm.why() : "ok");
    }

    private static StateCodec.Decoded.Ok newer(StateCodec.Decoded x, StateCodec.Decoded y) {
        StateCodec.Decoded.Ok a = x instanceof StateCodec.Decoded.Ok ok ? ok : null;
        StateCodec.Decoded.Ok b = y instanceof StateCodec.Decoded.Ok ok ? ok : null;
        if (a == null) {
            return b;
        }
        return b == null || a.generation() >= b.generation() ? a : b;
    }

    private static StateCodec.Decoded read(Path file) throws IOException {
        try {
            if (Files.size(file) > StateCodec.LENGTH * 4L) {
                return new StateCodec.Decoded.Damaged("length: expected " + StateCodec.LENGTH + ", got " + Files.size(file));
            }
            return StateCodec.decode(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Persists {@code next}; refused, and nothing written, if its floor is below the floor this
     * store has read or written (the floor never goes down, whoever asks).
     */
    public Outcome<SlotState> save(SlotState next) throws IOException {
        if (generation < 0) {
            load();
        }
        if (next.floor().value() < floor.value()) {
            return Outcome.refused(InstallRefusal.Reason.ROLLBACK, "floor", "≥ " + floor.value(), next.floor().value());
        }
        byte[] bytes = StateCodec.encode(generation + 1, next);
        DurableFiles.replace(copyFile(), bytes, steps::reached);
        steps.reached("state copy written");
        DurableFiles.replace(stateFile(), bytes, steps::reached);
        steps.reached("state written");
        generation++;
        floor = next.floor();
        return new Outcome.Done<>(next);
    }

    /** Writes the state of a device as provisioned, with {@code version} already in slot A, unless a state exists. */
    public Outcome<SlotState> provision(long version) throws IOException {
        if (load() instanceof Loaded.Found found) {
            return new Outcome.Done<>(found.state());
        }
        Files.createDirectories(slotDir(Slot.A));
        Files.createDirectories(slotDir(Slot.B));
        Outcome<SlotState> saved = save(SlotState.provisioned(version));
        markCommitted(Slot.A, version);
        return saved;
    }

    void markCommitted(Slot slot, long version) throws IOException {
        DurableFiles.replace(slotDir(slot).resolve(MARKER), Long.toString(version).getBytes(StandardCharsets.US_ASCII), steps::reached);
        steps.reached("marker " + slot + " written");
    }

    /** The version in a slot's commit marker, if it has a readable one. */
    public OptionalLong committedMarker(Slot slot) throws IOException {
        Path marker = slotDir(slot).resolve(MARKER);
        try {
            if (Files.size(marker) > 20) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseUnsignedLong(Files.readString(marker, StandardCharsets.US_ASCII).strip()));
        } catch (NoSuchFileException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The rule for a state that cannot be read: the slot with the highest commit marker becomes the
     * good slot, the other one is treated as empty, the floor is that version. Empty if no slot has
     * a marker.
     */
    public Optional<SlotState> recoverFromMarkers() throws IOException {
        OptionalLong a = committedMarker(Slot.A);
        OptionalLong b = committedMarker(Slot.B);
        if (a.isEmpty() && b.isEmpty()) {
            return Optional.empty();
        }
        Slot good = b.isEmpty() || (a.isPresent() && a.getAsLong() >= b.getAsLong()) ? Slot.A : Slot.B;
        long version = good == Slot.A ? a.getAsLong() : b.getAsLong();
        SlotState.Content content = new SlotState.Content(SlotState.Condition.GOOD, version);
        SlotState state = good == Slot.A
                ? new SlotState(Slot.A, content, SlotState.Content.EMPTY, Optional.empty(), new VersionFloor(version))
                : new SlotState(Slot.B, SlotState.Content.EMPTY, content, Optional.empty(), new VersionFloor(version));
        return Optional.of(state);
    }

    /** Empties a slot's folder, marker first, so a half-cleared slot is never taken for committed. */
    void clear(Slot slot) throws IOException {
        Path dir = slotDir(slot);
        Files.deleteIfExists(dir.resolve(MARKER));
        DurableFiles.syncFolder(dir);
        steps.reached("marker " + slot + " removed");
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dir)) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(dir);
        DurableFiles.syncFolder(dir);
        steps.reached("slot " + slot + " cleared");
    }
}
