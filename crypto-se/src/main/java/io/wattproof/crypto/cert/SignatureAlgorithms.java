package io.wattproof.crypto.cert;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.Signatures;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** How each device algorithm is named and encoded inside X.509 and PKCS#10 structures. */
final class SignatureAlgorithms {
    private SignatureAlgorithms() {}

    /**
     * The AlgorithmIdentifier of a signature by a key of {@code algorithm}, parameters absent in
     * each case: ecdsa-with-SHA256 (RFC 5758 §3.2), id-Ed25519 (RFC 8410 §3), SM2-with-SM3
     * 1.2.156.10197.1.501 (GM/T 0006-2012; what OpenSSL writes, with no parameters).
     */
    static AlgorithmIdentifier of(KeyAlgorithm algorithm) {
        return new AlgorithmIdentifier(switch (algorithm) {
            case ECDSA_P256_SHA256 -> X9ObjectIdentifiers.ecdsa_with_SHA256;
            case ED25519 -> EdECObjectIdentifiers.id_Ed25519;
            case SM2_SM3 -> GMObjectIdentifiers.sm2sign_with_sm3;
        });
    }

    /**
     * The BIT STRING content of a signature from the raw form {@link
     * io.wattproof.crypto.DeviceKey#sign} returns: DER {@code SEQUENCE { r, s }} for ECDSA (RFC
     * 3279 §2.2.3) and SM2 (GB/T 35276-2017 §7.3), the raw 64 bytes for Ed25519 (RFC 8410 §6).
     */
    static byte[] encode(KeyAlgorithm algorithm, byte[] raw) {
        return algorithm == KeyAlgorithm.ED25519 ? raw.clone() : Signatures.rawToDer(algorithm, raw);
    }
}
