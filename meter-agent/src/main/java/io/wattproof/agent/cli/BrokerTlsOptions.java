package io.wattproof.agent.cli;

import io.wattproof.crypto.cert.Certificates;
import io.wattproof.crypto.cert.ClientTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLSocketFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * TLS to an {@code ssl://} broker for the operator's and car owner's commands ({@code ota publish},
 * {@code ota status}, {@code charge}): the authorities the broker's certificate must chain to, and
 * the client's own certificate and key for a broker that requires one, as the field broker does
 * (docs/mosquitto.md, "Operators and car owners"). The key is a PEM file made with OpenSSL.
 */
final class BrokerTlsOptions {
    private static final Set<PosixFilePermission> OPEN = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    @Option(names = "--broker-ca", paramLabel = "FILE",
            description = "ssl://: the authorities (PEM) the broker's certificate must chain to (default: the JVM's trust store)")
    Path brokerCa;

    @Option(names = "--client-cert", paramLabel = "FILE",
            description = "ssl://: this client's certificate (PEM, then any intermediates), for a broker that requires one")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE",
            description = "ssl://: the private key of --client-cert (PEM, PKCS#8 as 'openssl genpkey' writes it; mode 0600)")
    Path clientKey;

    /**
     * The TLS for {@code brokerUri}; empty when none of the options is given (an {@code ssl://}
     * broker is then checked against the JVM's trust store).
     *
     * @throws ParameterException naming the option and the file that is wrong
     */
    Optional<SSLSocketFactory> socketFactory(CommandLine cli, String brokerUri) {
        if (brokerCa == null && clientCert == null && clientKey == null) {
            return Optional.empty();
        }
        if (!brokerUri.startsWith("ssl://")) {
            throw new ParameterException(cli, "--broker-ca, --client-cert and --client-key are for an ssl:// broker; --broker is "
                    + brokerUri);
        }
        if ((clientCert == null) != (clientKey == null)) {
            throw new ParameterException(cli, "--client-cert and --client-key: expected both or neither, got only "
                    + (clientCert != null ? "--client-cert" : "--client-key"));
        }
        if (brokerCa == null) {
            throw new ParameterException(cli, "--broker-ca: expected the broker's authority with a client certificate (the JVM's "
                    + "trust store is for a broker without one)");
        }
        List<X509Certificate> authorities = certificates(cli, "--broker-ca", brokerCa);
        KeyManager identity = null;
        if (clientCert != null) {
            List<X509Certificate> chain = certificates(cli, "--client-cert", clientCert);
            PrivateKey key = key(cli);
            try {
                identity = ClientTls.identity(key, chain);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, "--client-key " + clientKey + ": " + e.getMessage());
            }
        }
        return Optional.of(ClientTls.context(identity, authorities).getSocketFactory());
    }

    private static List<X509Certificate> certificates(CommandLine cli, String option, Path file) {
        try {
            return Certificates.allFromPem(Files.readString(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(cli, option + " " + file + ": " + e.getMessage());
        }
    }

    private PrivateKey key(CommandLine cli) {
        try {
            if (groupOrOthersCanUse(clientKey)) {
                throw new ParameterException(cli, "--client-key " + clientKey + ": expected a file only its owner can read "
                        + "(chmod 600), got one that group or others can use too");
            }
            return ClientTls.privateKeyFromPem(Files.readString(clientKey));
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(cli, "--client-key " + clientKey + ": " + e.getMessage());
        }
    }

    private static boolean groupOrOthersCanUse(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file).stream().anyMatch(OPEN::contains);
        } catch (UnsupportedOperationException e) {
            return false; // a file system without POSIX permissions: nothing to check
        }
    }
}
