/**
 * X.509 certificates for device keys that never leave their store (software store, PKCS#11 token,
 * secure element): a PKCS#10 request signed through {@link io.wattproof.crypto.DeviceKey#sign}, a
 * small certificate authority for the simulator, tests and a fleet operator's lab that issues a
 * certificate only to a request whose subject names the device id of its own key, and TLS client
 * authentication in which the JDK's TLS stack signs through the same interface, so no private key
 * object ever exists for a device key.
 */
package io.wattproof.crypto.cert;
