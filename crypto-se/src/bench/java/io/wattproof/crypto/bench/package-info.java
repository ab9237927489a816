/**
 * Benchmarks of the signing and verifying paths, compiled and run by hand (not by the build):
 * {@link io.wattproof.crypto.bench.SignatureSpeedBench} counts signatures and verifications per
 * second, one thread, for ECDSA P-256, Ed25519 and SM2-SM3 through the software key store (Bouncy
 * Castle), ECDSA P-256 on a SoftHSM2 token through PKCS#11, and the JDK's SunEC, beside {@code
 * openssl speed} from the same session. Command and results: docs/benchmarks.md.
 */
package io.wattproof.crypto.bench;
