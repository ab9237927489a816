package io.wattproof.agent.driver;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Debian's Mosquitto 2.0 (MQTT 5) on a free loopback port, anonymous, no persistence: a real broker for the car owner's ITs. */
public final class TestMosquitto implements AutoCloseable {
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    private final Process process;
    private final int port;

    private TestMosquitto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static TestMosquitto start(Path dir) throws Exception {
        if (!Files.isExecutable(MOSQUITTO)) {
            fail(MOSQUITTO + " is missing: install it with 'apt-get install mosquitto'");
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "user " + System.getProperty("user.name"), "persistence false", "log_dest stderr",
                "listener " + port + " 127.0.0.1", "allow_anonymous true", ""));
        Path log = dir.resolve("mosquitto.log");
        Process p = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return new TestMosquitto(p, port);
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    p.destroyForcibly();
                    fail("mosquitto did not listen on " + port + ": " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
