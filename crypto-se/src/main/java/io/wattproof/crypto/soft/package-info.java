/**
 * A file-backed {@link io.wattproof.crypto.DeviceKey} for boards without a secure element: the
 * private key is kept as an encrypted PKCS#8 PEM (RFC 5958, PBES2 per RFC 8018) next to its public
 * key, both readable only by the agent's user, and the encryption secret lives in a separate file
 * that must be just as private. Creating a store never replaces an existing identity, and every
 * failure to open one says which file is wrong and how.
 */
package io.wattproof.crypto.soft;
