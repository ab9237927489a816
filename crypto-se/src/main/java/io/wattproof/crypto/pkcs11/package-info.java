/**
 * A {@link io.wattproof.crypto.DeviceKey} whose private half is generated on and never leaves a
 * PKCS#11 token (an HSM, a smart card, a TPM behind a PKCS#11 module, or SoftHSM2 in tests). The
 * JDK's SunPKCS11 provider does the talking; this package finds the token by its label, logs in
 * with a PIN kept in an owner-only file, creates an EC P-256 key with CKA_SENSITIVE=true and
 * CKA_EXTRACTABLE=false under a label, reopens it by that label, and turns the token's ECDSA
 * signatures into the raw low-S form the rest of the system signs with. All keys of one token in a
 * JVM share one provider and one login, which the last of them to close logs out.
 */
package io.wattproof.crypto.pkcs11;
