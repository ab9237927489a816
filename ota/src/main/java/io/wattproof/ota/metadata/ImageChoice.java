package io.wattproof.ota.metadata;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which image of verified targets a device installs, given its board, the version it runs and its
 * version floor (the lowest version it may ever run again: DESIGN.md §7, "never roll back to a
 * vulnerable version").
 */
public sealed interface ImageChoice {

    /** Install this image; its length and SHA-256 are what {@link ImageCheck} holds the download to. */
    record Install(ImageEntry image) implements ImageChoice {}

    /** The newest image for this board is the one running: nothing to do. */
    record UpToDate(long runningVersion) implements ImageChoice {}

    record Refused(Refusal refusal) implements ImageChoice {}

    /**
     * The newest image listed for {@code board}. Refused when no image lists the board, when the
     * newest one is below the running version or at or below the floor (a rollback: targets that
     * offer only older images are an attack or a mistake, and either way must not be installed),
     * or when the running version is below the image's {@code min_from_version}.
     */
    static ImageChoice choose(VerifiedTargets targets, String board, long runningVersion, long versionFloor) {
        List<ImageEntry> images = targets.images();
        Optional<ImageEntry> newest = images.stream().filter(i -> i.runsOn(board)).max(Comparator.comparingLong(ImageEntry::version));
        if (newest.isEmpty()) {
            TreeSet<String> boards = new TreeSet<>();
            images.forEach(i -> boards.addAll(i.compatibleBoards()));
            return refused(Refusal.Reason.WRONG_BOARD, "targets.images[].compatible_boards", "an image for board '" + board + "'",
                    boards.isEmpty() ? "no images" : "images for " + boards);
        }
        ImageEntry image = newest.get();
        // The steady state after a successful install: the floor has been raised to the running
        // version and the newest image is that one. Nothing to install, nothing to refuse.
        if (image.version() == runningVersion && runningVersion >= versionFloor) {
            return new UpToDate(runningVersion);
        }
        long lowest = Math.max(runningVersion, versionFloor);
        if (image.version() <= lowest) {
            return refused(Refusal.Reason.ROLLBACK, "image.version", "> " + lowest + " (running version " + runningVersion
                    + ", version floor " + versionFloor + ")", image.version() + " (" + image.name() + ")");
        }
        if (runningVersion < image.minFromVersion()) {
            return refused(Refusal.Reason.MIN_FROM_VERSION, "image.min_from_version", "≤ " + runningVersion + " (the running version)",
                    image.minFromVersion() + " (" + image.name() + ")");
        }
        return new Install(image);
    }

    private static ImageChoice refused(Refusal.Reason reason, String field, String expected, String actual) {
        return new Refused(new Refusal(reason, field, expected, actual));
    }
}
