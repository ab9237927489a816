package io.wattproof.crypto.cert;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.nio.file.Path;

/** Device keys in software stores under a test's temporary folder. */
final class TestKeys {
    private TestKeys() {}

    static DeviceKey software(Path tmp, String name, KeyAlgorithm algorithm) throws KeyStoreFailure {
        Path secret = tmp.resolve(name + ".secret");
        SoftwareKeyStore.createSecret(secret);
        return SoftwareKeyStore.create(tmp.resolve(name), algorithm, secret);
    }
}
