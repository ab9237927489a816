package io.wattproof.agent.ocmf;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.Signatures;
import java.nio.charset.StandardCharsets;

/** Signs a session's OCMF payload with the pile's device key. */
public final class OcmfSigner {
    private OcmfSigner() {}

    /**
     * The signed record for {@code session}. The key signs the payload bytes exactly as written
     * (OCMF-en.md "Signing and Verification Process": the hash is taken over the payload section
     * in its original form); a P-256 {@link DeviceKey} hashes with SHA-256 itself and returns raw
     * low-S r||s, which OCMF wants as DER.
     *
     * @throws OcmfException if the key is not ECDSA P-256: OCMF defines ECDSA only (table 22), so
     *     an Ed25519 or SM2 pile cannot be exported
     * @throws KeyStoreFailure if the key store refuses to sign
     */
    public static OcmfRecord sign(OcmfSession session, DeviceKey key) throws OcmfException, KeyStoreFailure {
        requireExportable(key.algorithm());
        String payload = OcmfRecord.payloadOf(session);
        byte[] raw = key.sign(payload.getBytes(StandardCharsets.UTF_8));
        return new OcmfRecord(payload, Signatures.rawToDer(KeyAlgorithm.ECDSA_P256_SHA256, raw));
    }

    /** Refuses keys OCMF has no signature method for, before anything is signed. */
    public static void requireExportable(KeyAlgorithm algorithm) throws OcmfException {
        if (algorithm != KeyAlgorithm.ECDSA_P256_SHA256) {
            throw new OcmfException("ocmf export key algorithm: expected " + KeyAlgorithm.ECDSA_P256_SHA256 + " (OCMF "
                    + OcmfRecord.SIGNATURE_ALGORITHM + "), got " + algorithm
                    + "; OCMF defines ECDSA signatures only, so this pile's sessions cannot be exported");
        }
    }
}
