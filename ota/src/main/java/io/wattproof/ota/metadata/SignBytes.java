package io.wattproof.ota.metadata;

import io.wattproof.ota.v1.Role;

/**
 * The bytes a release key signs for a Signed of {@code role}: the role's domain tag, one 0x00, then
 * the body (ota.proto, message Signed). Public so that signing tools use the verifier's own rule.
 */
public final class SignBytes {
    private SignBytes() {}

    /** @throws IllegalArgumentException for a role other than ROLE_ROOT or ROLE_TARGETS */
    public static byte[] of(Role role, byte[] body) {
        return Envelope.signBytes(role, body);
    }
}
