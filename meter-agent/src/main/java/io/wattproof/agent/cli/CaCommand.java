package io.wattproof.agent.cli;

import io.wattproof.crypto.cert.CertificateAuthority;
import io.wattproof.crypto.cert.CertificationRequests;
import io.wattproof.crypto.cert.Certificates;
import io.wattproof.crypto.cert.Validity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/meter-agent ca}: the lab certificate authority, for the simulator, tests and a fleet
 * operator's lab. It certifies device keys for TLS client authentication (e.g. at a Mosquitto
 * listener with {@code require_certificate true}) and the broker's own key.
 */
@Command(name = "ca", mixinStandardHelpOptions = true,
        description = {"A small certificate authority in a folder: a P-256 root key (mode 0600) and its certificate.",
            "It issues device certificates only to requests whose subject CN is the device id of their own key."},
        subcommands = {CaCommand.Init.class, CaCommand.Issue.class})
final class CaCommand implements Runnable {
    /**
     * Certificates start this long before they are made, so that a device or broker whose clock is
     * a little behind the authority's does not refuse a fresh certificate as not yet valid.
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Validity validity(CommandLine cli, String option, int days) {
        if (days < 1) {
            throw new ParameterException(cli, option + ": expected at least 1 day, actual " + days);
        }
        Instant now = Instant.now();
        return new Validity(now.minus(CLOCK_SKEW), now.plus(Duration.ofDays(days)));
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("sha-256 of a parsed certificate", e);
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Creates the authority in --dir (made 0700): ca-key.pem (0600) and ca-cert.pem, self-signed.",
                "An existing authority is never replaced. Give ca-cert.pem to the broker as its cafile."})
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "the authority's folder")
        Path dir;

        @Option(names = "--subject", paramLabel = "DN", description = "the authority's name (default: ${DEFAULT-VALUE})")
        String subject = "CN=wattproof lab ca";

        @Option(names = "--days", paramLabel = "N", description = "validity in days (default: ${DEFAULT-VALUE})")
        int days = 3650;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            Validity validity = validity(cli, "--days", days);
            CertificateAuthority ca;
            try {
                ca = CertificateAuthority.create(dir, subject, validity);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, "--subject: " + e.getMessage());
            }
            PrintWriter out = cli.getOut();
            out.println("created the certificate authority in " + dir);
            out.println("subject: " + ca.certificate().getSubjectX500Principal().getName());
            out.println("valid: " + validity.notBefore() + " to " + validity.notAfter());
            out.println("certificate: " + dir.resolve(CertificateAuthority.CERTIFICATE_FILE) + " (sha-256 " + fingerprint(ca.certificate()) + ")");
            return 0;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = {"Issues a certificate (PEM) for a certification request, e.g. from 'meter-agent keys csr'.",
                "A device certificate (clientAuth) needs a request signed by its own key whose subject CN is that key's device id.",
                "With --server: a broker certificate (serverAuth) naming the given hosts.",
                "Check it: openssl verify -CAfile DIR/ca-cert.pem OUT"})
    static final class Issue implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "the authority's folder")
        Path dir;

        @Option(names = "--csr", paramLabel = "FILE", required = true, description = "the certification request (PEM)")
        Path csr;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "where to write the certificate (PEM)")
        Path out;

        @Option(names = "--days", paramLabel = "N", description = "validity in days (default: ${DEFAULT-VALUE})")
        int days = 365;

        @Option(names = "--server", paramLabel = "HOST", split = ",",
                description = "issue a server certificate for these host names or IP addresses (subjectAltName), e.g. 127.0.0.1")
        List<String> serverHosts;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            Validity validity = validity(cli, "--days", days);
            PKCS10CertificationRequest request = readRequest(cli);
            CertificateAuthority ca = CertificateAuthority.open(dir);
            X509Certificate certificate;
            if (serverHosts == null) {
                certificate = ca.issueDevice(request, validity);
            } else {
                try {
                    certificate = ca.issueServer(request, serverHosts, validity);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(cli, "--server: " + e.getMessage());
                }
            }
            Files.writeString(out, Certificates.toPem(certificate));
            PrintWriter printed = cli.getOut();
            printed.println("issued a " + (serverHosts == null ? "device (clientAuth)" : "server (serverAuth)")
                    + " certificate to " + out);
            printed.println("subject: " + certificate.getSubjectX500Principal().getName());
            printed.println("serial: " + certificate.getSerialNumber().toString(16));
            printed.println("valid: " + validity.notBefore() + " to " + validity.notAfter());
            return 0;
        }

        private PKCS10CertificationRequest readRequest(CommandLine cli) {
            String text;
            try {
                text = Files.readString(csr, java.nio.charset.StandardCharsets.ISO_8859_1);
            } catch (NoSuchFileException e) {
                throw new ParameterException(cli, "--csr: expected a file at " + csr + ", found none");
            } catch (IOException e) {
                throw new ParameterException(cli, "--csr: cannot read " + csr + ": " + e.getMessage());
            }
            try {
                return CertificationRequests.fromPem(text);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, "--csr " + csr + ": " + e.getMessage());
            }
        }
    }
}
