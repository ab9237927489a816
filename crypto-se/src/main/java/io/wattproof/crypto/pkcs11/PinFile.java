package io.wattproof.crypto.pkcs11;

import io.wattproof.crypto.OwnerOnlyFile;
import java.nio.file.Path;

/**
 * The user PIN, read from a file that only its owner may access (the same rule the software store
 * applies to its secret file, and OpenSSH to private keys): a PIN others can read protects nothing.
 */
final class PinFile {
    private PinFile() {}

    /** The PIN without trailing line breaks; the caller wipes the array. */
    static char[] read(Path file) throws Pkcs11Failure {
        return switch (OwnerOnlyFile.read(file)) {
            case OwnerOnlyFile.Read.Text(char[] pin) -> {
                if (pin.length == 0) {
                    throw new Pkcs11Failure.BadPinFile(file, "a pin of at least one character", "an empty file", null);
                }
                yield pin;
            }
            case OwnerOnlyFile.Read.Missing m -> throw new Pkcs11Failure.BadPinFile(file, "a file", "none", null);
            case OwnerOnlyFile.Read.NotRegular(String what) -> throw new Pkcs11Failure.BadPinFile(file, "a regular file", what, null);
            case OwnerOnlyFile.Read.Insecure(var permissions) -> throw new Pkcs11Failure.BadPinFile(file,
                    "mode 0600 or 0400 (no access for group or others)", "mode " + OwnerOnlyFile.octal(permissions), null);
            case OwnerOnlyFile.Read.Unreadable(Exception e) -> throw new Pkcs11Failure.BadPinFile(file,
                    "a readable file with posix permissions", e.toString(), e);
            case OwnerOnlyFile.Read.NotUtf8(var e) -> throw new Pkcs11Failure.BadPinFile(file, "utf-8 text",
                    "bytes that are not utf-8", e);
        };
    }
}
