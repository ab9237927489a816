package io.wattproof.agent.cli;

import io.wattproof.crypto.OwnerOnlyFile;
import io.wattproof.crypto.cert.Certificates;
import io.wattproof.crypto.cert.ClientTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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

    /** The key, read as the project reads every secret file: only if its owner alone may access it. */
    private PrivateKey key(CommandLine cli) {
        String where = "--client-key " + clientKey + ": ";
        char[] text = switch (OwnerOnlyFile.read(clientKey)) {
            case OwnerOnlyFile.Read.Text(char[] chars) -> chars;
            case OwnerOnlyFile.Read.Insecure i -> throw new ParameterException(cli, where
                    + "expected a file only its owner can read (chmod 600), got one that group or others can use too (mode "
                    + OwnerOnlyFile.octal(i.permissions()) + ")");
            case OwnerOnlyFile.Read.Missing m -> throw new ParameterException(cli, where + "no such file");
            case OwnerOnlyFile.Read.NotRegular(String what) -> throw new ParameterException(cli, where + "expected a file, got " + what);
            case OwnerOnlyFile.Read.Unreadable(Exception e) -> throw new ParameterException(cli, where + "cannot read it (" + e + ")");
            case OwnerOnlyFile.Read.NotUtf8 n -> throw new ParameterException(cli, where
                    + "expected PEM text, got bytes that are not UTF-8");
        };
        try {
            return ClientTls.privateKeyFromPem(new String(text));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cli, where + e.getMessage());
        } finally {
            Arrays.fill(text, '\0');
        }
    }
}
