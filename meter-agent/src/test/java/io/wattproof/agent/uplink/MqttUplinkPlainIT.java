package io.wattproof.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uplink over plain TCP (tests, the simulator, a broker on the same board) against Debian's
 * Mosquitto: delivery, and reconnecting by itself after the broker went away and came back.
 */
class MqttUplinkPlainIT {
    @TempDir
    Path dir;

    private Process start(int port) throws Exception {
        if (!Files.isExecutable(WattproofMosquitto.MOSQUITTO)) {
            fail(WattproofMosquitto.MOSQUITTO + " is missing: install it with 'apt-get install mosquitto'");
        }
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "user " + System.getProperty("user.name"),
                "persistence false",
                "log_dest stderr",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                ""));
        Process p = new ProcessBuilder(WattproofMosquitto.MOSQUITTO.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("mosquitto exited with " + p.exitValue() + ": " + Files.readString(dir.resolve("mosquitto.log")));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return p;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        fail("mosquitto did not listen on " + port + ": " + Files.readString(dir.resolve("mosquitto.log")));
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    @Test
    void deliversAndComesBackAfterTheBrokerRestarts() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process broker = start(port);
        MqttUplinkTlsIT.Events events = new MqttUplinkTlsIT.Events();
        MqttUplinkConfig config = MqttUplinkConfig.of("tcp://127.0.0.1:" + port, "00112233445566778899aabbccddeeff00112233")
                .withReconnectDelays(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(60));
        try (MqttUplink uplink = new MqttUplink(config)) {
            uplink.start(events);
            assertEquals("connected 10", events.next());
            assertTrue(uplink.send(1, new byte[] {1}));
            assertEquals("acknowledged 1", events.next());

            stop(broker);
            assertTrue(events.next().startsWith("disconnected"));
            broker = start(port);
            String event;
            do {
                // Attempts while the broker was down are reported as failed connects.
                event = events.next();
                assertTrue(event.startsWith("connected") || event.startsWith("disconnected connect failed"), event);
            } while (!event.startsWith("connected"));
            assertTrue(uplink.send(2, new byte[] {2}));
            assertEquals("acknowledged 2", events.next());
        } finally {
            stop(broker);
        }
    }
}
