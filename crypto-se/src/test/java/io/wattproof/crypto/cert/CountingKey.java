package io.wattproof.crypto.cert;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicInteger;

/** A device key that counts its signatures, to show that TLS signed through DeviceKey.sign. */
final class CountingKey implements DeviceKey {
    private final DeviceKey key;
    final AtomicInteger signatures = new AtomicInteger();

    CountingKey(DeviceKey key) {
        this.key = key;
    }

    @Override
    public KeyAlgorithm algorithm() {
        return key.algorithm();
    }

    @Override
    public PublicKey publicKey() {
        return key.publicKey();
    }

    @Override
    public byte[] publicKeyInfo() {
        return key.publicKeyInfo();
    }

    @Override
    public DeviceId deviceId() {
        return key.deviceId();
    }

    @Override
    public byte[] sign(byte[] message) throws KeyStoreFailure {
        signatures.incrementAndGet();
        return key.sign(message);
    }
}
