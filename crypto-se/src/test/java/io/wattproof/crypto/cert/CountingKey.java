package io.wattproof.crypto.cert;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.VerifyingKey;
import java.util.concurrent.atomic.AtomicInteger;

/** A device key that counts its signatures, to show that TLS signed through DeviceKey.sign. */
final class CountingKey implements DeviceKey {
    private final DeviceKey key;
    final AtomicInteger signatures = new AtomicInteger();

    CountingKey(DeviceKey key) {
        this.key = key;
    }

    @Override
    public VerifyingKey verifyingKey() {
        return key.verifyingKey();
    }

    @Override
    public byte[] sign(byte[] message) throws KeyStoreFailure {
        signatures.incrementAndGet();
        return key.sign(message);
    }
}
