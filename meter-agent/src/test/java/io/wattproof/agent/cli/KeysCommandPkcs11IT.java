package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code keys create|show|sign --store pkcs11} against a real SoftHSM2 token (Debian softhsm2),
 * checked from outside with OpenSC's pkcs11-tool (the key is sensitive and never extractable) and
 * OpenSSL (the signature verifies against the PEM that {@code keys show --pem} printed).
 */
@Timeout(120)
class KeysCommandPkcs11IT {
    private static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    private static final String TOKEN = "agent-it-token";
    private static final String PIN = "246810";

    @Test
    void aTokenKeyIsNonExtractableAndItsSignatureVerifiesWithOpenSsl() throws Exception {
        SoftHsmTokens.ensure();
        Path work = Files.createTempDirectory("keys-pkcs11-it");
        Path pinFile = work.resolve("pin");
        Files.writeString(pinFile, PIN);
        Files.setPosixFilePermissions(pinFile, PosixFilePermissions.fromString("rw-------"));
        List<String> store = List.of("--store", "pkcs11", "--pkcs11-library", LIBRARY, "--token-label", TOKEN,
                "--pin-file", pinFile.toString());

        Output created = cli("keys", "create", store);
        assertEquals(0, created.exit, created.err);
        assertTrue(created.out.contains("device id: "), created.out);

        String objects = SoftHsmTokens.exec("pkcs11-tool", "--module", LIBRARY, "--token-label", TOKEN, "--login", "--pin", PIN,
                "--list-objects", "--type", "privkey");
        String access = objects.lines().map(String::strip).filter(l -> l.startsWith("Access:")).findFirst()
                .orElseThrow(() -> new AssertionError("no private key listed:\n" + objects));
        List<String> flags = Stream.of(access.substring("Access:".length()).split(",")).map(String::strip).toList();
        assertTrue(flags.contains("sensitive") && flags.contains("never extractable"), objects);

        Output pem = cli("keys", "show", store, "--pem");
        assertEquals(0, pem.exit, pem.err);
        Path pemFile = work.resolve("key.pem");
        Files.writeString(pemFile, pem.out);
        Path data = work.resolve("data");
        Files.writeString(data, "interval 2026-11-27T12:00Z, 1234.5 Wh");
        Path sig = work.resolve("data.sig");
        Output signed = cli("keys", "sign", store, "--in", data.toString(), "--out", sig.toString());
        assertEquals(0, signed.exit, signed.err);
        String verified = SoftHsmTokens.exec("openssl", "dgst", "-sha256", "-verify", pemFile.toString(), "-signature", sig.toString(),
                data.toString());
        assertTrue(verified.contains("Verified OK"), verified);

        // A certification request signed on the token, checked by OpenSSL.
        Path csr = work.resolve("device.csr");
        Output requested = cli("keys", "csr", store, "--out", csr.toString(), "--organization", "Wattproof");
        assertEquals(0, requested.exit, requested.err);
        String deviceId = created.out.lines().filter(l -> l.startsWith("device id: ")).findFirst().orElseThrow().substring(11);
        assertTrue(requested.out.contains("subject: CN=" + deviceId + ",O=Wattproof"), requested.out);
        String checked = SoftHsmTokens.exec("openssl", "req", "-in", csr.toString(), "-verify", "-noout");
        assertTrue(checked.contains("self-signature verify OK"), checked);

        Output again = cli("keys", "create", store);
        assertEquals(1, again.exit, again.out);
        assertTrue(again.err.contains("refusing to replace a device identity"), again.err);
    }

    private record Output(int exit, String out, String err) {}

    private static Output cli(String group, String sub, List<String> store, String... more) {
        List<String> args = new ArrayList<>(List.of(group, sub));
        args.addAll(store);
        args.addAll(List.of(more));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = MeterAgentCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new Output(exit, out.toString(), err.toString());
    }
}
