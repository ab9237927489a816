package io.wattproof.crypto.cert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The field broker, Mosquitto 2.0, with a TLS listener that requires a client certificate from the
 * lab authority: a device key that stays in its store completes the TLS handshake through {@link
 * DeviceKeyManager} and gets MQTT CONNACK 0; a certificate from another authority gets nothing.
 */
class MosquittoTlsIT {
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @TempDir
    static Path dir;
    private static CertificateAuthority ca;
    private static Process broker;
    private static Path log;
    private static int port;

    @BeforeAll
    static void startBroker() throws Exception {
        if (!Files.isExecutable(MOSQUITTO)) {
            fail(MOSQUITTO + " is missing: install it with 'apt-get install mosquitto'");
        }
        ca = CertificateAuthority.create(dir.resolve("ca"), "CN=mosquitto test ca", Validity.days(Instant.now().minusSeconds(3600), 30));
        OpenSsl.ok(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "server-key.pem");
        OpenSsl.ok(dir, "req", "-new", "-key", "server-key.pem", "-subj", "/CN=mosquitto", "-out", "server.csr");
        X509Certificate server = ca.issueServer(CertificationRequests.fromPem(Files.readString(dir.resolve("server.csr"))),
                List.of("127.0.0.1"), Validity.days(Instant.now().minusSeconds(60), 1));
        Files.writeString(dir.resolve("server.pem"), Certificates.toPem(server));

        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // Run as root, Mosquitto would drop to the user "mosquitto", which cannot read this
        // owner-only folder; naming our own user keeps it as it is.
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "user " + System.getProperty("user.name"),
                "persistence false",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                "listener " + port + " 127.0.0.1",
                "cafile " + dir.resolve("ca").resolve(CertificateAuthority.CERTIFICATE_FILE),
                "certfile " + dir.resolve("server.pem"),
                "keyfile " + dir.resolve("server-key.pem"),
                "require_certificate true",
                "allow_anonymous true",
                ""));
        log = dir.resolve("mosquitto.log");
        broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        awaitListening();
    }

    private static void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                fail("mosquitto exited with " + broker.exitValue() + ": " + Files.readString(log));
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        fail("mosquitto did not listen on port " + port + " within 15 s: " + Files.readString(log));
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(10, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    private static DeviceKeyManager keyManager(CertificateAuthority authority, DeviceKey key) throws Exception {
        X509Certificate certificate = authority.issueDevice(CertificationRequests.create(key, CsrSubject.of("Wattproof", "mqtt")),
                Validity.days(Instant.now().minusSeconds(60), 1));
        return DeviceKeyManager.of(key, List.of(certificate));
    }

    @ParameterizedTest
    @CsvSource({"ECDSA_P256_SHA256, TLSv1.3", "ECDSA_P256_SHA256, TLSv1.2", "ED25519, TLSv1.3", "ED25519, TLSv1.2"})
    void aDeviceCertifiedByTheBrokersAuthorityIsAccepted(KeyAlgorithm algorithm, String protocol) throws Exception {
        CountingKey key = new CountingKey(TestKeys.software(dir.resolve(algorithm + "-" + protocol), "device", algorithm));
        DeviceKeyManager keyManager = keyManager(ca, key);
        int before = key.signatures.get();
        byte[] connack = connect(DeviceTls.clientContext(keyManager, List.of(ca.certificate())), protocol, key.deviceId().hex());
        // MQTT 3.1.1 §3.2: CONNACK, remaining length 2, no session present, return code 0 (accepted).
        assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x00}, connack);
        assertTrue(key.signatures.get() - before == 1, "the device key signed the handshake");
    }

    @Test
    void aDeviceCertifiedByAnotherAuthorityIsRefused() throws Exception {
        CertificateAuthority other = CertificateAuthority.create(dir.resolve("other-ca"), "CN=other ca",
                Validity.days(Instant.now().minusSeconds(3600), 30));
        DeviceKey key = TestKeys.software(dir.resolve("stranger"), "device", KeyAlgorithm.ECDSA_P256_SHA256);
        SSLContext context = DeviceTls.clientContext(keyManager(other, key), List.of(ca.certificate()));
        // TLS 1.3: the client finishes its handshake before the broker checks the certificate, so
        // the refusal (an alert, then the closed connection) shows when the CONNACK is read.
        assertThrows(IOException.class, () -> connect(context, "TLSv1.3", key.deviceId().hex()));
        assertThrows(IOException.class, () -> connect(context, "TLSv1.2", key.deviceId().hex()));
        String said = Files.readString(log);
        assertTrue(said.contains("certificate verify failed"), said);
    }

    /** Opens TLS to the broker, sends MQTT 3.1.1 CONNECT, and returns the 4 bytes of its answer. */
    private static byte[] connect(SSLContext context, String protocol, String clientId) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(new String[] {protocol});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            socket.getOutputStream().write(connectPacket(clientId));
            socket.getOutputStream().flush();
            byte[] answer = new byte[4];
            new DataInputStream(socket.getInputStream()).readFully(answer);
            return answer;
        }
    }

    /**
     * MQTT 3.1.1 §3.1: fixed header 0x10 and remaining length (one byte, below 128); variable
     * header protocol name "MQTT", level 4, flags 0x02 (clean session), keep alive 60 s; payload
     * the client id as a length-prefixed UTF-8 string.
     */
    static byte[] connectPacket(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        variable.writeBytes(new byte[] {0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C});
        variable.write(id.length >> 8);
        variable.write(id.length & 0xFF);
        variable.writeBytes(id);
        if (variable.size() >= 128) {
            throw new IllegalArgumentException("client id: expected at most 115 bytes, got " + id.length);
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(variable.size());
        packet.writeBytes(variable.toByteArray());
        return packet.toByteArray();
    }
}
