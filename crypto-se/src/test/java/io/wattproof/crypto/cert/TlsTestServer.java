package io.wattproof.crypto.cert;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A JDK TLS server on 127.0.0.1 that requires a client certificate from {@code ca}, for one
 * connection: it completes the handshake, reports the client's certificate, and echoes one byte.
 */
final class TlsTestServer implements AutoCloseable {
    private final SSLServerSocket socket;
    private final CompletableFuture<X509Certificate> client = new CompletableFuture<>();

    private TlsTestServer(SSLServerSocket socket) {
        this.socket = socket;
        Thread thread = new Thread(this::serveOnce, "tls-test-server");
        thread.setDaemon(true);
        thread.start();
    }

    /** A server whose own certificate (SAN 127.0.0.1) {@code ca} issues, trusting {@code ca} alone. */
    static TlsTestServer start(CertificateAuthority ca, String protocol) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=test server"), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        X509Certificate certificate = ca.issueServer(request, List.of("127.0.0.1"), Validity.days(Instant.now().minusSeconds(60), 1));

        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", pair.getPrivate(), password, new X509Certificate[] {certificate, ca.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);

        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        socket.setNeedClientAuth(true);
        socket.setEnabledProtocols(new String[] {protocol});
        return new TlsTestServer(socket);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The client certificate of the one connection, or the server's handshake failure. */
    CompletableFuture<X509Certificate> client() {
        return client;
    }

    private void serveOnce() {
        try (SSLSocket connection = (SSLSocket) socket.accept()) {
            connection.setSoTimeout(20_000);
            connection.startHandshake();
            X509Certificate peer = (X509Certificate) connection.getSession().getPeerCertificates()[0];
            int b = connection.getInputStream().read();
            connection.getOutputStream().write(b);
            connection.getOutputStream().flush();
            client.complete(peer);
        } catch (IOException | RuntimeException e) {
            client.completeExceptionally(e);
        }
    }

    /**
     * Connects with {@code context} to "127.0.0.1" (an IP literal, so the name checked is the
     * address, not "localhost" as for {@code InetAddress.getLoopbackAddress()}), checks the server's address against its certificate (RFC 6125
     * via the JDK's "HTTPS" identification), sends one byte and returns the byte echoed back, or -1
     * if the server closed the connection instead.
     */
    static int exchange(SSLContext context, int port, String protocol) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(new String[] {protocol});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            socket.getOutputStream().write(42);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return in.read();
        }
    }

    X509Certificate awaitClient() throws Exception {
        return client.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
