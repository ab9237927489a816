package io.wattproof.ota.install;

import io.wattproof.crypto.MonotonicCounter;
import io.wattproof.ota.DurableFiles;
import io.wattproof.ota.metadata.ImageEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;

/**
 * Hands a full-system bundle (root file system, kernel, agent) to RAUC (https://rauc.readthedocs.io)
 * instead of writing slot folders. RAUC owns the slots and the boot loader's boot attempts (e.g.
 * U-Boot's BOOT_ORDER and BOOT_x_LEFT): {@code rauc install BUNDLE} writes the inactive slot and
 * makes it the one to boot next; after the health check on the new slot {@code rauc status
 * mark-good booted} ends its trial, and {@code rauc status mark-bad booted} makes the boot
 * loader fall back to the other slot. The booted slot is read from {@code rauc status
 * --output-format=shell} ({@code RAUC_SYSTEM_BOOTED_BOOTNAME}, the slot's bootname, here A or B).
 *
 * <p>What RAUC does not keep is our version floor, so this class keeps it in
 * {@code <stateDir>/ota-rauc.bin} with the version and slot of the install under trial: magic
 * "WPRA", format 1 (u16), floor (u64), pending version (u64, 0: none), pending slot (u8), CRC-32.
 * The bundle's own signature is RAUC's to check; the caller verifies it against our targets
 * metadata first ({@link io.wattproof.ota.metadata.ImageCheck}).
 *
 * <p>Given a {@link MonotonicCounter}, the floor is kept there too, as {@link SlotInstaller} does:
 * admitted only above both, raised after the floor file's write, caught up at {@link #bootSlot}.
 */
public final class RaucInstaller implements Installer {
    private static final byte[] MAGIC = {'W', 'P', 'R', 'A'};
    private static final int LENGTH = 4 + 2 + 8 + 8 + 1 + 4;
    private static final int MAX_OUTPUT = 64 * 1024;

    private record State(VersionFloor floor, long pendingVersion, Slot pendingSlot) {}

    private final Path rauc;
    private final Path stateFile;
    private final Optional<CounterFloor> counter;

    /** @param rauc the rauc executable; @param stateDir where the floor file lives (created if missing) */
    public RaucInstaller(Path rauc, Path stateDir, long provisionedVersion) throws IOException {
        this(rauc, stateDir, provisionedVersion, Optional.empty());
    }

    /** As {@link #RaucInstaller(Path, Path, long)}, keeping the floor in {@code counter} as well. */
    public RaucInstaller(Path rauc, Path stateDir, long provisionedVersion, MonotonicCounter counter) throws IOException {
        this(rauc, stateDir, provisionedVersion, Optional.of(new CounterFloor(counter)));
    }

    private RaucInstaller(Path rauc, Path stateDir, long provisionedVersion, Optional<CounterFloor> counter) throws IOException {
        this.counter = counter;
        this.rauc = rauc;
        this.stateFile = stateDir.resolve("ota-rauc.bin");
        Files.createDirectories(stateDir);
        if (!Files.exists(stateFile)) {
            write(new State(new VersionFloor(provisionedVersion), 0, Slot.A));
        }
    }

    private record Run(int exit, String stdout, String stderr) {}

    private Run run(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(rauc.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        String out = drain(p.getInputStream());
        try {
            return new Run(p.waitFor(), out, err.join());
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command, e);
        }
    }

    /** Reads a stream to its end, keeping at most the first 64 KiB (a tool's message, not data). */
    private static String drain(InputStream in) {
        try (in) {
            byte[] all = in.readAllBytes();
            return new String(all, 0, Math.min(all.length, MAX_OUTPUT), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static <T> Outcome<T> failed(Run r, String command) {
        return Outcome.refused(InstallRefusal.Reason.TOOL_FAILED, "rauc " + command, "exit 0", "exit " + r.exit() + ": " + r.stderr());
    }

    private Outcome<State> state() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.size(stateFile) > LENGTH ? new byte[0] : Files.readAllBytes(stateFile);
        } catch (NoSuchFileException e) {
            return Outcome.refused(InstallRefusal.Reason.STATE_UNKNOWN, stateFile.getFileName().toString(), "a floor file", "missing");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        CRC32 crc = new CRC32();
        if (bytes.length == LENGTH) {
            crc.update(bytes, 0, LENGTH - 4);
        }
        if (bytes.length != LENGTH || b.getInt(LENGTH - 4) != (int) crc.getValue()
                || !java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, 4), MAGIC) || b.getShort(4) != 1) {
            return Outcome.refused(InstallRefusal.Reason.STATE_UNKNOWN, stateFile.getFileName().toString(),
                    LENGTH + " bytes, magic WPRA, format 1, CRC-32 correct", bytes.length + " bytes that are not");
        }
        long floor = b.getLong(6);
        long pending = b.getLong(14);
        int slot = Byte.toUnsignedInt(b.get(22));
        if (floor < 0 || pending < 0 || slot > 1) {
            return Outcome.refused(InstallRefusal.Reason.STATE_UNKNOWN, stateFile.getFileName().toString(), "floor, pending ≥ 0, slot 0..1",
                    floor + ", " + pending + ", " + slot);
        }
        return new Outcome.Done<>(new State(new VersionFloor(floor), pending, Slot.values()[slot]));
    }

    private void write(State s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(MAGIC).putShort((short) 1).putLong(s.floor().value()).putLong(s.pendingVersion()).put((byte) s.pendingSlot().ordinal());
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, LENGTH - 4);
        b.putInt((int) crc.getValue());
        DurableFiles.replace(stateFile, b.array());
    }

    /**
     * The booted slot; at start, also brings a counter that a power cut left behind the floor file
     * up to it (a counter that fails does not stop the start; installs stay refused until it answers).
     */
    @Override
    public Outcome<Slot> bootSlot() throws IOException {
        Outcome<Slot> slot = booted();
        if (counter.isPresent() && state() instanceof Outcome.Done<State> s) {
            counter.get().catchUp(s.value().floor());
        }
        return slot;
    }

    private Outcome<Slot> booted() throws IOException {
        Run r = run("status", "--output-format=shell");
        if (r.exit() != 0) {
            return failed(r, "status");
        }
        Optional<String> name = r.stdout().lines().filter(l -> l.startsWith("RAUC_SYSTEM_BOOTED_BOOTNAME="))
                .map(l -> l.substring(l.indexOf('=') + 1).replace("'", "").replace("\"", "").strip()).findFirst();
        return switch (name.orElse("")) {
            case "A" -> new Outcome.Done<>(Slot.A);
            case "B" -> new Outcome.Done<>(Slot.B);
            default -> Outcome.refused(InstallRefusal.Reason.WRONG_SLOT, "RAUC_SYSTEM_BOOTED_BOOTNAME", "A or B", name.orElse("absent"));
        };
    }

    /** Runs {@code rauc install bundle}; the floor is checked first, and the install is recorded as pending only after rauc succeeded. */
    @Override
    public Outcome<Slot> install(Path bundle, ImageEntry entry) throws IOException {
        if (!(state() instanceof Outcome.Done<State> s)) {
            return Outcome.refused(InstallRefusal.Reason.STATE_UNKNOWN, stateFile.getFileName().toString(), "a readable floor file", "damaged or missing");
        }
        if (!s.value().floor().admits(entry.version())) {
            return Outcome.refused(InstallRefusal.Reason.ROLLBACK, "version", "> floor " + s.value().floor().value(), entry.version());
        }
        if (counter.isPresent() && counter.get().admit(entry.version(), s.value().floor()) instanceof Outcome.Refused<VersionFloor> r) {
            return new Outcome.Refused<>(r.refusal());
        }
        if (!(booted() instanceof Outcome.Done<Slot> booted)) {
            return booted();
        }
        Run r = run("install", bundle.toAbsolutePath().toString());
        if (r.exit() != 0) {
            return failed(r, "install");
        }
        Slot target = booted.value().other();
        write(new State(s.value().floor(), entry.version(), target));
        return new Outcome.Done<>(target);
    }

    /** The health check passed: {@code rauc status mark-good booted}, then the floor rises to the pending version. */
    @Override
    public Outcome<Slot> confirm() throws IOException {
        if (!(state() instanceof Outcome.Done<State> s) || s.value().pendingVersion() == 0) {
            return Outcome.refused(InstallRefusal.Reason.NO_TRIAL, "pending", "an install under trial", "none");
        }
        if (!(booted() instanceof Outcome.Done<Slot> booted)) {
            return booted();
        }
        if (booted.value() != s.value().pendingSlot()) {
            // The boot loader already fell back: the new slot is not the one running, so nothing to confirm.
            return Outcome.refused(InstallRefusal.Reason.WRONG_SLOT, "booted", s.value().pendingSlot(), booted.value());
        }
        Run r = run("status", "mark-good", "booted");
        if (r.exit() != 0) {
            return failed(r, "status mark-good");
        }
        Outcome<VersionFloor> floor = s.value().floor().moveTo(s.value().pendingVersion());
        if (!(floor instanceof Outcome.Done<VersionFloor> f)) {
            return Outcome.refused(InstallRefusal.Reason.ROLLBACK, "floor", "≥ " + s.value().floor().value(), s.value().pendingVersion());
        }
        write(new State(f.value(), 0, booted.value()));
        // Raised only once the floor file holds the new floor (see SlotInstaller.confirm); a raise
        // that fails is made up at the next start.
        counter.ifPresent(c -> c.raiseTo(f.value().value()));
        return new Outcome.Done<>(booted.value());
    }

    /** The health check failed: {@code rauc status mark-bad booted}; the slot the next start boots. */
    @Override
    public Outcome<Slot> rollback() throws IOException {
        if (!(state() instanceof Outcome.Done<State> s) || s.value().pendingVersion() == 0) {
            return Outcome.refused(InstallRefusal.Reason.NO_TRIAL, "pending", "an install under trial", "none");
        }
        if (!(booted() instanceof Outcome.Done<Slot> booted)) {
            return booted();
        }
        // If the boot loader already fell back, the running slot is the good one: mark the other.
        boolean onTrial = booted.value() == s.value().pendingSlot();
        Run r = run("status", "mark-bad", onTrial ? "booted" : "other");
        if (r.exit() != 0) {
            return failed(r, "status mark-bad");
        }
        write(new State(s.value().floor(), 0, booted.value()));
        return new Outcome.Done<>(onTrial ? booted.value().other() : booted.value());
    }

    /**
     * The booted slot runs the pending version on trial when RAUC booted the slot installed to;
     * otherwise it runs the committed release, whose version is the floor (RAUC keeps no version
     * numbers of ours). A rejected install is not remembered across the rollback's write.
     */
    @Override
    public Outcome<Running> running() throws IOException {
        if (!(state() instanceof Outcome.Done<State> s)) {
            return Outcome.refused(InstallRefusal.Reason.STATE_UNKNOWN, stateFile.getFileName().toString(), "a readable floor file", "damaged or missing");
        }
        if (!(booted() instanceof Outcome.Done<Slot> booted)) {
            return new Outcome.Refused<>(((Outcome.Refused<Slot>) booted()).refusal());
        }
        State st = s.value();
        boolean trial = st.pendingVersion() != 0 && booted.value() == st.pendingSlot();
        long floor = st.floor().value();
        if (counter.isPresent() && counter.get().read() instanceof Outcome.Done<VersionFloor> c) {
            floor = Math.max(floor, c.value().value());
        }
        return new Outcome.Done<>(new Running(booted.value(), trial ? st.pendingVersion() : st.floor().value(), trial, floor,
                OptionalLong.empty()));
    }

    /**
     * The floor as persisted, for the caller's {@link io.wattproof.ota.metadata.ImageChoice}: the
     * file's, or the counter's when that is higher; refused when either cannot be read.
     */
    public Outcome<VersionFloor> floor() throws IOException {
        Outcome<State> st = state();
        if (!(st instanceof Outcome.Done<State> d)) {
            return new Outcome.Refused<>(((Outcome.Refused<State>) st).refusal());
        }
        if (counter.isEmpty()) {
            return new Outcome.Done<>(d.value().floor());
        }
        return switch (counter.get().read()) {
            case Outcome.Done<VersionFloor> c -> new Outcome.Done<>(new VersionFloor(Math.max(d.value().floor().value(), c.value().value())));
            case Outcome.Refused<VersionFloor> r -> r;
        };
    }
}
