package io.wattproof.agent.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The service manager's end of the notify protocol: an AF_UNIX datagram socket, bound by Python
 * (Java cannot bind one), printing each datagram it receives as one line with newlines escaped.
 * Stands in for systemd's notify socket in tests.
 */
final class NotifySocketReceiver implements AutoCloseable {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT = String.join("\n",
            "import socket, sys",
            "name = sys.argv[1]",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
            "s.bind('\\0' + name[1:] if name.startswith('@') else name)",
            "print('BOUND', flush=True)",
            "while True:",
            "    data = s.recv(65536)",
            "    print(data.decode('utf-8').replace('\\\\', '\\\\\\\\').replace('\\n', '\\\\n'), flush=True)");

    private final Process process;
    private final String address;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();

    private NotifySocketReceiver(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    /** @param address a socket path, or {@code @name} for an abstract socket */
    static NotifySocketReceiver bind(String address) throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            throw new IllegalStateException(PYTHON + " not found: install Debian's python3 (apt-get install python3)");
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT, address).redirectErrorStream(true).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = in.readLine();
        if (!"BOUND".equals(first)) {
            p.destroyForcibly();
            throw new IllegalStateException("notify socket receiver did not start: " + first);
        }
        NotifySocketReceiver r = new NotifySocketReceiver(p, address);
        Thread.ofPlatform().daemon().name("notify-receiver").start(() -> {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    r.messages.add(line.replace("\\n", "\n").replace("\\\\", "\\"));
                }
            } catch (IOException e) {
                // The process ended.
            }
        });
        return r;
    }

    String address() {
        return address;
    }

    /** The next message, or null after the timeout. */
    String next(long timeoutMillis) throws InterruptedException {
        String m = messages.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (m != null) {
            synchronized (all) {
                all.add(m);
            }
        }
        return m;
    }

    /** Waits for a message containing {@code line} as one of its lines; the messages passed over are kept. */
    String awaitLine(String line, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            String m = next(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (m != null && m.lines().anyMatch(line::equals)) {
                return m;
            }
        }
        throw new AssertionError("no notify message with line " + line + " within " + timeoutMillis + " ms; seen " + seen());
    }

    List<String> seen() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
