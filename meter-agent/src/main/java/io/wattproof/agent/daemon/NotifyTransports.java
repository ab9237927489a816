package io.wattproof.agent.daemon;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Picks how notify messages reach {@code $NOTIFY_SOCKET}, an AF_UNIX datagram socket
 * (sd_notify(3)). Java 21 has Unix-domain sockets only as streams (JEP 380), so:
 *
 * <ul>
 *   <li>on Java 22 and later, {@code ForeignNotifySocket} (src/main/java22) calls libc's
 *       {@code socket(2)}/{@code sendto(2)} through the Foreign Function API: the message comes
 *       from the agent's own process, which {@code NotifyAccess=main} requires;
 *   <li>on Java 21, the {@code systemd-notify} command sends it. The sender is then a child
 *       process, so the unit needs {@code NotifyAccess=all}, and systemd before 254 may drop a
 *       message whose sender has already exited (systemd-notify(1), "--pid"); the packaged unit
 *       sets {@code NotifyAccess=all} so either transport works (docs/daemon.md).
 * </ul>
 */
public final class NotifyTransports {
    static final String FOREIGN_CLASS = "io.wattproof.agent.daemon.ForeignNotifySocket";

    private NotifyTransports() {}

    public static NotifyTransport forSocket(String socket) {
        if (Runtime.version().feature() >= 22) {
            try {
                return (NotifyTransport) Class.forName(FOREIGN_CLASS).getConstructor(String.class).newInstance(socket);
            } catch (InvocationTargetException e) {
                // The socket address is unusable (vsock, too long): the command will say why too.
                return new CommandTransport(socket);
            } catch (ReflectiveOperationException | LinkageError e) {
                return new CommandTransport(socket);
            }
        }
        return new CommandTransport(socket);
    }

    /** {@code systemd-notify}, given the socket through its environment. */
    static final class CommandTransport implements NotifyTransport {
        private static final long TIMEOUT_SECONDS = 10;
        private final String socket;

        CommandTransport(String socket) {
            this.socket = socket;
        }

        @Override
        public void send(String message) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("systemd-notify");
            pb.command().addAll(message.lines().toList());
            pb.environment().put("NOTIFY_SOCKET", socket);
            pb.redirectErrorStream(true);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IOException("systemd-notify: cannot run it (" + e.getMessage() + "); on Java 21 it is how the agent "
                        + "reaches systemd: install systemd or run on Java 22+", e);
            }
            try {
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("systemd-notify: no exit within " + TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("systemd-notify: interrupted", e);
            }
            if (p.exitValue() != 0) {
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                throw new IOException("systemd-notify exited with " + p.exitValue() + (output.isEmpty() ? "" : ": " + output));
            }
        }

        @Override
        public String describe() {
            return "systemd-notify to " + socket;
        }
    }
}
