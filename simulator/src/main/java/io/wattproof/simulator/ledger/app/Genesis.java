package io.wattproof.simulator.ledger.app;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.TariffContract;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the energy application starts from: the chain id (it enters every sign-bytes), the operator
 * keys the ledger trusts, and optionally the tariff contract in force from the start (its nonce is
 * ignored: no operator signed it).
 */
public record Genesis(String chainId, List<OperatorKey> operators, Optional<TariffContract> initialContract) {
    public Genesis {
        SignBytes.checkChainId(chainId);
        operators = List.copyOf(operators);
        Objects.requireNonNull(initialContract, "initial contract");
    }

    public Genesis(String chainId, List<OperatorKey> operators) {
        this(chainId, operators, Optional.empty());
    }

    /**
     * An operator key as genesis lists it.
     *
     * @param publicKeyInfo DER SubjectPublicKeyInfo, the bytes operator transactions carry in
     *     {@code SignedTx.public_key}
     */
    public record OperatorKey(KeyAlgorithm algorithm, byte[] publicKeyInfo) {
        public OperatorKey {
            Objects.requireNonNull(algorithm, "algorithm");
            publicKeyInfo = publicKeyInfo.clone();
        }

        @Override
        public byte[] publicKeyInfo() {
            return publicKeyInfo.clone();
        }

        /** First 20 bytes of SHA-256 of the key, as for devices; names the operator in the state. */
        public DeviceId id() {
            return DeviceId.fromPublicKeyInfo(publicKeyInfo);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OperatorKey k && algorithm == k.algorithm && Arrays.equals(publicKeyInfo, k.publicKeyInfo);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(publicKeyInfo);
        }

        @Override
        public String toString() {
            return "OperatorKey[algorithm=" + algorithm + ", id=" + id() + "]";
        }
    }
}
