package io.wattproof.ota.install;

import java.io.IOException;

/**
 * Called after each durable step of an install (a state file written, a chunk of an image copied,
 * a folder cleared), so a test can stop the work there as a power cut would and check what the
 * next start finds. Production code passes {@link #NONE}.
 */
@FunctionalInterface
public interface Steps {
    Steps NONE = step -> {};

    void reached(String step) throws IOException;
}
