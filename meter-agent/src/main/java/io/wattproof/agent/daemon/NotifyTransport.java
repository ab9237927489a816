package io.wattproof.agent.daemon;

import java.io.IOException;

/** Delivers one notify-protocol message (sd_notify(3): newline-separated VARIABLE=value lines). */
public interface NotifyTransport {
    void send(String message) throws IOException;

    /** What carries the messages, for the log. */
    String describe();
}
