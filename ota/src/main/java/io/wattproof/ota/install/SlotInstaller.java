package io.wattproof.ota.install;

import io.wattproof.crypto.MonotonicCounter;
import io.wattproof.ota.DurableFiles;
import io.wattproof.ota.metadata.ImageEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Installs the application into the A/B folders of a {@link SlotStore}. The image is one file,
 * copied to {@code slots/<x>/image}. Each step is persisted before the next begins: the slot is
 * marked WRITING before its folder is touched, STAGED only after the copy is synced and its
 * SHA-256 and length are checked again (a copy can fail where the download did not), and the
 * switch is a state write. So the state names, at every moment, a good slot that nothing is
 * writing to.
 *
 * <p>Given a {@link MonotonicCounter} (the secure element's), the floor is kept there too: an
 * install is admitted only above both floors; the counter is raised to a committed version only
 * after the commit's state write is durable, so it never passes the good slot; and each start
 * brings a counter that a power cut left behind the file up to it. A state file older than the
 * counter (put back, or rebuilt from the commit markers) still boots, but admits nothing at or
 * below the counter.
 */
public final class SlotInstaller implements Installer {
    public static final String IMAGE_FILE = "image";
    private static final int CHUNK = 64 * 1024;

    private final SlotStore store;
    private final int attempts;
    private final Optional<CounterFloor> counter;
    private Slot booted;

    /** @param attempts boots a new slot gets before the fall-back (1: one try) */
    public SlotInstaller(SlotStore store, int attempts) {
        this(store, attempts, Optional.empty());
    }

    /** As {@link #SlotInstaller(SlotStore, int)}, keeping the floor in {@code counter} as well. */
    public SlotInstaller(SlotStore store, int attempts, MonotonicCounter counter) {
        this(store, attempts, Optional.of(new CounterFloor(counter)));
    }

    private SlotInstaller(SlotStore store, int attempts, Optional<CounterFloor> counter) {
        if (attempts < 1 || attempts > SlotState.MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempts " + attempts + " not in 1.." + SlotState.MAX_ATTEMPTS);
        }
        this.store = store;
        this.attempts = attempts;
        this.counter = counter;
    }

    private Outcome<SlotState> current() throws IOException {
        return switch (store.load()) {
            case SlotStore.Loaded.Found f -> new Outcome.Done<>(f.state());
            case SlotStore.Loaded.Missing m -> Outcome.refused(InstallRefusal.Reason.STATE_UNKNOWN, "ota-state.bin", "a provisioned state", "missing");
            case SlotStore.Loaded.Corrupt c -> Outcome.refused(InstallRefusal.Reason.STATE_UNKNOWN, "ota-state.bin", "a readable state", c.why());
        };
    }

    @Override
    public Outcome<Slot> install(Path verifiedImage, ImageEntry entry) throws IOException {
        if (!(current() instanceof Outcome.Done<SlotState> cur)) {
            return refusedAs(current());
        }
        if (counter.isPresent()) {
            Outcome<VersionFloor> admitted = counter.get().admit(entry.version(), cur.value().floor());
            if (admitted instanceof Outcome.Refused<VersionFloor>) {
                return refusedAs(admitted);
            }
        }
        Outcome<SlotState> writing = cur.value().beginStaging(entry.version());
        if (!(writing instanceof Outcome.Done<SlotState> w)) {
            return refusedAs(writing);
        }
        Outcome<SlotState> saved = store.save(w.value());
        if (!(saved instanceof Outcome.Done<SlotState>)) {
            return refusedAs(saved);
        }
        Slot target = w.value().inactive();
        store.clear(target);
        Path copy = store.slotDir(target).resolve(IMAGE_FILE);
        copyDurably(verifiedImage, copy);
        Outcome<Slot> checked = check(copy, entry);
        if (checked instanceof Outcome.Refused<Slot>) {
            // The slot stays WRITING: never booted, overwritten by the next install.
            return checked;
        }
        store.steps().reached("copy verified");
        Outcome<SlotState> staged = w.value().staged(target, entry.version());
        if (!(staged instanceof Outcome.Done<SlotState> st)) {
            return refusedAs(staged);
        }
        Outcome<SlotState> stagedSaved = store.save(st.value());
        if (!(stagedSaved instanceof Outcome.Done<SlotState>)) {
            return refusedAs(stagedSaved);
        }
        Outcome<SlotState> trial = st.value().switchTo(target, attempts);
        if (!(trial instanceof Outcome.Done<SlotState> tr)) {
            return refusedAs(trial);
        }
        Outcome<SlotState> switched = store.save(tr.value());
        return switched instanceof Outcome.Done<SlotState> ? new Outcome.Done<>(target) : refusedAs(switched);
    }

    private void copyDurably(Path from, Path to) throws IOException {
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(from);
                FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.readNBytes(buffer, 0, CHUNK)) > 0) {
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                store.steps().reached("chunk copied");
            }
            out.force(true);
        }
        DurableFiles.syncFolder(to.getParent());
        store.steps().reached("copy synced");
    }

    private static Outcome<Slot> check(Path copy, ImageEntry entry) throws IOException {
        long length = Files.size(copy);
        if (length != entry.length()) {
            return Outcome.refused(InstallRefusal.Reason.LENGTH, "image.length", entry.length(), length);
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(copy)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        }
        byte[] actual = sha.digest();
        if (!MessageDigest.isEqual(actual, entry.sha256())) {
            return Outcome.refused(InstallRefusal.Reason.HASH, "image.sha256", HexFormat.of().formatHex(entry.sha256()), HexFormat.of().formatHex(actual));
        }
        return new Outcome.Done<>(null);
    }

    @Override
    public Outcome<Slot> bootSlot() throws IOException {
        SlotState state;
        switch (store.load()) {
            case SlotStore.Loaded.Found f -> state = f.state();
            case SlotStore.Loaded.Missing m -> {
                return Outcome.refused(InstallRefusal.Reason.STATE_UNKNOWN, "ota-state.bin", "a provisioned state", "missing");
            }
            case SlotStore.Loaded.Corrupt c -> {
                var recovered = store.recoverFromMarkers();
                if (recovered.isEmpty()) {
                    return Outcome.refused(InstallRefusal.Reason.STATE_UNKNOWN, "slots/*/" + SlotStore.MARKER, "a committed slot", "none; " + c.why());
                }
                state = recovered.get();
            }
        }
        SlotState.Boot boot = state.onBoot();
        Outcome<SlotState> saved = store.save(boot.next());
        if (!(saved instanceof Outcome.Done<SlotState>)) {
            return refusedAs(saved);
        }
        booted = boot.slot();
        if (counter.isPresent()) {
            // A power cut between a commit's state write and the raise left the counter behind the
            // file: catch it up. A counter that fails here does not stop the start (the device
            // boots whatever the counter says); installs stay refused until it answers.
            counter.get().catchUp(boot.next().floor());
            store.steps().reached("counter caught up");
        }
        return new Outcome.Done<>(booted);
    }

    @Override
    public Outcome<Slot> confirm() throws IOException {
        if (booted == null) {
            return notBooted();
        }
        if (!(current() instanceof Outcome.Done<SlotState> cur)) {
            return refusedAs(current());
        }
        Outcome<SlotState> committed = cur.value().commit(booted);
        if (!(committed instanceof Outcome.Done<SlotState> c)) {
            return refusedAs(committed);
        }
        // The marker first: it says only that this version passed its health check, which is true
        // from now on, so a cut before the state write can never leave the marker behind the state.
        store.markCommitted(c.value().good(), c.value().content(c.value().good()).version());
        Outcome<SlotState> saved = store.save(c.value());
        if (!(saved instanceof Outcome.Done<SlotState>)) {
            return refusedAs(saved);
        }
        if (counter.isPresent()) {
            // Only now that the state naming this slot good is durable: a counter raised first
            // could, after a power cut, stand above every slot the device can boot. A raise that
            // fails is made up by the next start's catch-up; the commit itself stands.
            counter.get().raiseTo(c.value().floor().value());
            store.steps().reached("counter raised");
        }
        return new Outcome.Done<>(c.value().good());
    }

    @Override
    public Outcome<Slot> rollback() throws IOException {
        if (booted == null) {
            return notBooted();
        }
        if (!(current() instanceof Outcome.Done<SlotState> cur)) {
            return refusedAs(current());
        }
        Outcome<SlotState> failed = cur.value().healthFailed(booted);
        if (!(failed instanceof Outcome.Done<SlotState> f)) {
            return refusedAs(failed);
        }
        Outcome<SlotState> saved = store.save(f.value());
        return saved instanceof Outcome.Done<SlotState> ? new Outcome.Done<>(f.value().good()) : refusedAs(saved);
    }

    @Override
    public Outcome<Running> running() throws IOException {
        if (booted == null) {
            return Outcome.refused(InstallRefusal.Reason.NO_TRIAL, "booted", "bootSlot() called at this start", "not called");
        }
        if (!(current() instanceof Outcome.Done<SlotState> cur)) {
            return new Outcome.Refused<>(((Outcome.Refused<SlotState>) current()).refusal());
        }
        SlotState s = cur.value();
        boolean trial = s.trial().filter(t -> t.slot() == booted && t.booted()).isPresent();
        SlotState.Content other = s.content(booted.other());
        OptionalLong rejected = other.condition() == SlotState.Condition.BAD ? OptionalLong.of(other.version()) : OptionalLong.empty();
        return new Outcome.Done<>(new Running(booted, s.content(booted).version(), trial, effectiveFloor(s.floor()), rejected));
    }

    /** The higher of the file's floor and the counter's, for the update shell's choice; the file's when the counter does not answer (installs are then refused anyway). */
    private long effectiveFloor(VersionFloor file) {
        if (counter.isPresent() && counter.get().read() instanceof Outcome.Done<VersionFloor> c) {
            return Math.max(file.value(), c.value().value());
        }
        return file.value();
    }

    private static Outcome<Slot> notBooted() {
        return Outcome.refused(InstallRefusal.Reason.NO_TRIAL, "booted", "bootSlot() called at this start", "not called");
    }

    private static <T> Outcome<Slot> refusedAs(Outcome<T> o) {
        return switch (o) {
            case Outcome.Refused<T> r -> new Outcome.Refused<>(r.refusal());
            case Outcome.Done<T> d -> throw new IllegalStateException("not a refusal: " + d);
        };
    }
}
