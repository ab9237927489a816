package io.wattproof.ota.install;

import io.wattproof.ota.metadata.ImageEntry;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The install step of an update, after the image passed {@link io.wattproof.ota.metadata.ImageCheck}.
 * The order of calls over the device's life: {@link #install} (written to the slot not running,
 * switched to for a trial), restart, {@link #bootSlot} at start, the health check (the caller's),
 * then {@link #confirm} if it passed or {@link #rollback} if it did not. A refusal leaves the
 * device as it was; {@link IOException} is a failure of the device's own storage or tools.
 */
public interface Installer {

    /** Installs {@code verifiedImage}, described by {@code entry}, in the slot not running and switches to it for a trial; the trial slot. */
    Outcome<Slot> install(Path verifiedImage, ImageEntry entry) throws IOException;

    /** The health check passed on the trial slot now running: commit it; the committed slot. */
    Outcome<Slot> confirm() throws IOException;

    /** The health check failed: mark the running trial slot bad; the slot the next start boots. */
    Outcome<Slot> rollback() throws IOException;

    /** At start: the slot that boots now (a trial with attempts left, else the good slot). */
    Outcome<Slot> bootSlot() throws IOException;

    /** After {@link #bootSlot} at this start: what runs, for the update shell's choice and status. */
    Outcome<Running> running() throws IOException;
}
