package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.cert.Certificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code provision --key-store pkcs11} with a real SoftHSM2 token: the key is made on the token,
 * the request is signed there, the lab authority certifies it, and {@code --check} opens the token
 * again. Re-running keeps the token key; replacing it is refused.
 */
@Timeout(120)
class ProvisionPkcs11IT extends ProvisionFixture {
    private static final String TOKEN = SoftHsmTokens.LABELS.get(1);

    @Test
    void theKeyIsMadeOnTheTokenAndCertified() throws Exception {
        SoftHsmTokens.ensure();
        Path pin = tmp.resolve("pin");
        Files.writeString(pin, SoftHsmTokens.PIN);
        Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("rw-------"));
        String[] store = {"--key-store", "pkcs11", "--pkcs11-library", SoftHsmTokens.LIBRARY, "--token-label", TOKEN,
            "--pin-file", pin.toString(), "--key-label", "provision-it"};

        assertEquals(0, run(concat(provision("--ca", ca.toString()), store)), err + out);
        DeviceConfig c = config();
        assertEquals(new DeviceConfig.Pkcs11Store(Path.of(SoftHsmTokens.LIBRARY), TOKEN, "provision-it", pin), c.keyStore());
        byte[] spki = Certificates.fromPem(Files.readString(etc.resolve("device-cert.pem"))).getPublicKey().getEncoded();
        assertEquals(c.deviceId(), DeviceId.fromPublicKeyInfo(spki));
        String listed = SoftHsmTokens.exec("pkcs11-tool", "--module", SoftHsmTokens.LIBRARY, "--token-label", TOKEN, "--login",
                "--pin", SoftHsmTokens.PIN, "--list-objects", "--type", "privkey");
        // SunPKCS11 keeps the key store alias in CKA_ID.
        assertTrue(listed.contains("ID:         " + java.util.HexFormat.of().formatHex("provision-it".getBytes())), listed);

        assertTrue(check().contains("checks passed"), out);
        assertTrue(out.contains("OK   device key: pkcs11 store holds device " + c.deviceId().hex()), out);
        assertTrue(out.contains("OK   pin file mode: " + pin + " is 0600"), out);

        assertEquals(0, run(concat(provision(), store)), err + out);
        assertTrue(out.contains("[key] kept device " + c.deviceId().hex()), out);

        assertEquals(1, run(concat(provision("--force-new-identity", "--yes"), store)), out);
        assertTrue(err.contains("a token key is never replaced by the agent"), err);
        assertEquals(c.deviceId(), config().deviceId());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
