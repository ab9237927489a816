package io.wattproof.agent.ota;

import io.wattproof.ota.DurableFiles;
import io.wattproof.ota.install.Installer;
import io.wattproof.ota.install.Outcome;
import io.wattproof.ota.install.Running;
import io.wattproof.ota.install.Slot;
import io.wattproof.ota.metadata.ImageEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Remembers the version whose trial failed, for an installer that does not: {@link Running#rejected}
 * is what keeps {@link io.wattproof.ota.client.UpdateClient} from installing that version again
 * from the same (retained) announcement after the rollback's restart. Folder slots know it from
 * the slot marked bad; RAUC's slots do not carry our version numbers, so without this a device
 * whose new version fails its health check would download, install, reboot and roll back again at
 * every start until a newer release is published.
 *
 * <p>The version is written to {@code file} (decimal text, replaced whole and durably) when a
 * rollback of a trial succeeds, reported while the device runs an older version, and removed by the
 * next successful install, which replaces it as the latest attempt. A file that cannot be read as a
 * version counts as none: at worst the rejected version is tried once more.
 */
public final class RejectionRecordingInstaller implements Installer {
    public static final String FILE = "ota-rejected";

    private final Installer installer;
    private final Path file;

    /** @param installer the installer to remember for; @param stateDir where {@value #FILE} lives */
    public RejectionRecordingInstaller(Installer installer, Path stateDir) {
        this.installer = Objects.requireNonNull(installer, "installer");
        this.file = stateDir.resolve(FILE);
    }

    @Override
    public Outcome<Slot> install(Path verifiedImage, ImageEntry entry) throws IOException {
        Outcome<Slot> outcome = installer.install(verifiedImage, entry);
        if (outcome instanceof Outcome.Done<Slot>) {
            Files.deleteIfExists(file);
        }
        return outcome;
    }

    @Override
    public Outcome<Slot> confirm() throws IOException {
        return installer.confirm();
    }

    /** The trial's version is on disk before the restart that leaves it. */
    @Override
    public Outcome<Slot> rollback() throws IOException {
        OptionalLong trial = installer.running() instanceof Outcome.Done<Running> r && r.value().trial()
                ? OptionalLong.of(r.value().version())
                : OptionalLong.empty();
        Outcome<Slot> outcome = installer.rollback();
        if (outcome instanceof Outcome.Done<Slot> && trial.isPresent()) {
            DurableFiles.replace(file, Long.toString(trial.getAsLong()).getBytes(StandardCharsets.US_ASCII));
        }
        return outcome;
    }

    @Override
    public Outcome<Slot> bootSlot() throws IOException {
        return installer.bootSlot();
    }

    /** The installer's answer, with the remembered version as rejected while an older version runs and no trial does. */
    @Override
    public Outcome<Running> running() throws IOException {
        Outcome<Running> outcome = installer.running();
        if (outcome instanceof Outcome.Done<Running> d && !d.value().trial() && d.value().rejected().isEmpty()) {
            OptionalLong rejected = remembered();
            Running r = d.value();
            if (rejected.isPresent() && rejected.getAsLong() > r.version()) {
                return new Outcome.Done<>(new Running(r.slot(), r.version(), false, r.floor(), rejected));
            }
        }
        return outcome;
    }

    private OptionalLong remembered() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (java.nio.charset.CharacterCodingException e) {
            return OptionalLong.empty();
        }
        try {
            long version = Long.parseLong(text);
            return version > 0 ? OptionalLong.of(version) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
