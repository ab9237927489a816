package io.wattproof.simulator.verify;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import java.util.Arrays;
import java.util.Objects;

/**
 * A device key as registered when the simulated device was provisioned.
 *
 * @param publicKeyInfo DER SubjectPublicKeyInfo; its SHA-256 starts with the device id
 */
public record RegisteredKey(DeviceId deviceId, KeyAlgorithm algorithm, byte[] publicKeyInfo) {
    public RegisteredKey {
        Objects.requireNonNull(deviceId, "device id");
        Objects.requireNonNull(algorithm, "algorithm");
        publicKeyInfo = publicKeyInfo.clone();
    }

    @Override
    public byte[] publicKeyInfo() {
        return publicKeyInfo.clone();
    }

    boolean hasPublicKeyInfo(byte[] other) {
        return Arrays.equals(publicKeyInfo, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegisteredKey k && deviceId.equals(k.deviceId) && algorithm == k.algorithm
                && Arrays.equals(publicKeyInfo, k.publicKeyInfo);
    }

    @Override
    public int hashCode() {
        return deviceId.hashCode();
    }

    @Override
    public String toString() {
        return "RegisteredKey[deviceId=" + deviceId + ", algorithm=" + algorithm + "]";
    }
}
