package io.wattproof.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.cert.CertificateAuthority;
import io.wattproof.crypto.cert.Certificates;
import io.wattproof.crypto.cert.CertificationRequests;
import io.wattproof.crypto.cert.ClientTls;
import io.wattproof.crypto.cert.CsrSubject;
import io.wattproof.crypto.cert.DeviceKeyManager;
import io.wattproof.crypto.cert.DeviceTls;
import io.wattproof.crypto.cert.Validity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The field broker, Debian's Mosquitto 2.0, run from the example configuration in
 * docs/examples/mosquitto: the same files an operator copies to /etc/mosquitto/wattproof/, with
 * only the folders and the port changed. Certificates come from a lab {@link CertificateAuthority}
 * in the test's folder; the broker's names 127.0.0.1 (the agent checks it).
 */
public final class WattproofMosquitto implements AutoCloseable {
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final Path OPENSSL = Path.of("/usr/bin/openssl");
    /** Failsafe runs in the module's folder; the example lives with the docs. */
    static final Path EXAMPLE = Path.of("..", "docs", "examples", "mosquitto");
    static final String INGEST_USER = "wattproof-ingest";

    final Path dir;
    public final CertificateAuthority ca;
    final int port;
    final Path log;
    private final Process process;

    private WattproofMosquitto(Path dir, CertificateAuthority ca, int port, Path log, Process process) {
        this.dir = dir;
        this.ca = ca;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    public static WattproofMosquitto start(Path dir) throws Exception {
        if (!Files.isExecutable(MOSQUITTO)) {
            fail(MOSQUITTO + " is missing: install it with 'apt-get install mosquitto'");
        }
        if (!Files.isExecutable(OPENSSL)) {
            fail(OPENSSL + " is missing: install it with 'apt-get install openssl'");
        }
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path data = Files.createDirectories(dir.resolve("data"));
        CertificateAuthority ca = CertificateAuthority.create(dir.resolve("ca"), "CN=wattproof test ca",
                Validity.days(Instant.now().minusSeconds(3600), 30));
        Files.copy(dir.resolve("ca").resolve(CertificateAuthority.CERTIFICATE_FILE), etc.resolve("ca-cert.pem"));
        openssl(etc, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "broker-key.pem");
        openssl(etc, "req", "-new", "-key", "broker-key.pem", "-subj", "/CN=broker", "-out", "broker.csr");
        X509Certificate broker = ca.issueServer(CertificationRequests.fromPem(Files.readString(etc.resolve("broker.csr"))),
                List.of("127.0.0.1"), Validity.days(Instant.now().minusSeconds(60), 1));
        Files.writeString(etc.resolve("broker.pem"), Certificates.toPem(broker));
        Files.copy(EXAMPLE.resolve("wattproof.acl"), etc.resolve("wattproof.acl"));

        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String example = Files.readString(EXAMPLE.resolve("wattproof.conf"));
        assertTrue(example.contains("\nlistener 8883\n"), "the example configuration has no line 'listener 8883'");
        String conf = String.join("\n",
                        // As root, Mosquitto would drop to the user "mosquitto", which cannot read
                        // this owner-only folder; naming our own user keeps it as it is.
                        "user " + System.getProperty("user.name"),
                        "log_dest stderr",
                        "log_type all",
                        "")
                + example.replace("/etc/mosquitto/wattproof/", etc + "/")
                        .replace("/var/lib/mosquitto/", data + "/")
                        .replace("\nlistener 8883\n", "\nlistener " + port + " 127.0.0.1\n");
        Path confFile = Files.writeString(dir.resolve("mosquitto.conf"), conf);
        Path log = dir.resolve("mosquitto.log");
        Process process = new ProcessBuilder(MOSQUITTO.toString(), "-c", confFile.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        WattproofMosquitto m = new WattproofMosquitto(dir, ca, port, log, process);
        m.awaitListening();
        return m;
    }

    public String uri() {
        return "ssl://127.0.0.1:" + port;
    }

    public String logText() throws IOException {
        return Files.readString(log);
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("mosquitto exited with " + process.exitValue() + ": " + logText());
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        fail("mosquitto did not listen on port " + port + " within 15 s: " + logText());
    }

    /** A client's certificate and key files, as an operator makes them with OpenSSL (docs/mosquitto.md). */
    public record ClientFiles(Path certificate, Path key) {}

    /**
     * A certificate (CN {@code commonName}, clientAuth) and key for a client the ACL names (the
     * ingest service, Home Assistant, an operator): the key made by OpenSSL, the certificate signed
     * by OpenSSL with the authority's key file, as an operator without our tools would do it. The
     * key file is the owner's only (mode 0600).
     */
    public ClientFiles clientFiles(String commonName) throws Exception {
        Path client = Files.createDirectories(dir.resolve("client-" + commonName));
        openssl(client, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        Files.setPosixFilePermissions(client.resolve("key.pem"), PosixFilePermissions.fromString("rw-------"));
        openssl(client, "req", "-new", "-key", "key.pem", "-subj", "/CN=" + commonName, "-out", "req.csr");
        Files.writeString(client.resolve("ext.cnf"), "extendedKeyUsage = clientAuth\n");
        Path caDir = dir.resolve("ca");
        openssl(client, "x509", "-req", "-in", "req.csr", "-days", "1", "-extfile", "ext.cnf",
                "-CA", caDir.resolve(CertificateAuthority.CERTIFICATE_FILE).toString(),
                "-CAkey", caDir.resolve(CertificateAuthority.KEY_FILE).toString(), "-CAcreateserial", "-out", "cert.pem");
        return new ClientFiles(client.resolve("cert.pem"), client.resolve("key.pem"));
    }

    /** The authority's certificate, the file a client's {@code --broker-ca} names. */
    public Path caFile() {
        return dir.resolve("ca").resolve(CertificateAuthority.CERTIFICATE_FILE);
    }

    /** A TLS context for the ledger's ingest service (CN {@value #INGEST_USER}). */
    SSLContext ingestTls() throws Exception {
        return clientTls(INGEST_USER);
    }

    /** As {@link #ingestTls()}, for any client certificate CN the ACL names (e.g. {@code homeassistant}). */
    public SSLContext clientTls(String commonName) throws Exception {
        ClientFiles files = clientFiles(commonName);
        return ClientTls.context(ClientTls.identity(ClientTls.privateKeyFromPem(Files.readString(files.key())),
                Certificates.allFromPem(Files.readString(files.certificate()))), List.of(ca.certificate()));
    }

    /**
     * A TLS context for a device: a certificate for {@code key} from this broker's authority (CN
     * its device id, as {@code ca issue} makes it), the key signing where it lives.
     */
    public SSLContext deviceTls(DeviceKey key) throws Exception {
        X509Certificate certificate = ca.issueDevice(CertificationRequests.create(key, CsrSubject.of("Wattproof", "test")),
                Validity.days(Instant.now().minusSeconds(60), 1));
        return DeviceTls.clientContext(DeviceKeyManager.of(key, List.of(certificate)), List.of(ca.certificate()));
    }

    static String openssl(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl did not finish: " + command);
        assertTrue(p.exitValue() == 0, "openssl " + String.join(" ", args) + " failed: " + output);
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
