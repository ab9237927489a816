package io.wattproof.simulator.verify;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.VerifyingKey;

/**
 * Signature checks by crypto-se, the same strict rules the ledger will apply: canonical
 * SubjectPublicKeyInfo of the stated algorithm (uncompressed P-256 points only), raw 64-byte
 * signatures, ECDSA r in 1..n-1 and s in 1..n/2 (low-S).
 */
public final class CryptoSeSignatureCheck implements SignatureCheck {

    @Override
    public Result checkPublicKey(KeyAlgorithm algorithm, byte[] publicKeyInfo) {
        try {
            VerifyingKey key = PublicKeys.fromSubjectPublicKeyInfo(publicKeyInfo);
            if (key.algorithm() != algorithm) {
                return new Invalid("public key: expected a " + algorithm + " key, got " + key.algorithm());
            }
            return VALID;
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage());
        }
    }

    @Override
    public Result verify(KeyAlgorithm algorithm, byte[] publicKeyInfo, byte[] message, byte[] rawSignature) {
        return switch (Signatures.check(algorithm, publicKeyInfo, message, rawSignature)) {
            case io.wattproof.crypto.SignatureCheck.Valid v -> VALID;
            case io.wattproof.crypto.SignatureCheck.Malformed m -> new Invalid(m.reason());
            case io.wattproof.crypto.SignatureCheck.Mismatch m -> new Invalid("signature: does not verify with the registered key");
        };
    }
}
