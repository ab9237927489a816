package io.wattproof.simulator.ledger.app;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Real crypto-se software keys for tests, made once per JVM in a temporary folder (creating one
 * costs a PBKDF2 run, ~0.2 s) and handed out by algorithm and index.
 */
final class TestKeys {
    private static final Map<KeyAlgorithm, List<DeviceKey>> KEYS = new EnumMap<>(KeyAlgorithm.class);
    private static Path dir;

    private TestKeys() {}

    static synchronized DeviceKey get(KeyAlgorithm algorithm, int index) {
        List<DeviceKey> keys = KEYS.computeIfAbsent(algorithm, a -> new ArrayList<>());
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("wattproof-app-keys");
                dir.toFile().deleteOnExit();
                SoftwareKeyStore.createSecret(dir.resolve("secret"));
            }
            while (keys.size() <= index) {
                Path keyDir = dir.resolve(algorithm.name().toLowerCase() + "-" + keys.size());
                keys.add(SoftwareKeyStore.create(keyDir, algorithm, dir.resolve("secret")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (KeyStoreFailure e) {
            throw new IllegalStateException(e);
        }
        return keys.get(index);
    }
}
