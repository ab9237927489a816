/**
 * The device's signing identity and the signature formats around it. {@link
 * io.wattproof.crypto.DeviceKey} is what the agent signs readings with, whatever holds the private
 * key (software store, PKCS#11 token, ATECC608); {@link io.wattproof.crypto.DeviceId} names a
 * device by the hash of its public key. {@link io.wattproof.crypto.PublicKeys}, {@link
 * io.wattproof.crypto.VerifyingKey} and {@link io.wattproof.crypto.Signatures} parse public keys
 * and check signatures strictly (raw 64-byte signatures, low-S ECDSA, SM2 with the standard user
 * id) with no I/O, so a ledger, an auditor's tool and the tests all accept exactly the same bytes;
 * they also convert to the DER and PEM forms that OpenSSL expects. All curve arithmetic is Bouncy
 * Castle's.
 */
package io.wattproof.crypto;
