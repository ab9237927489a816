package io.wattproof.ota.metadata;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.ota.v1.Role;
import io.wattproof.ota.v1.Signature;
import io.wattproof.ota.v1.Signed;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A parsed {@link Signed}: its role, the body bytes exactly as received, and the signatures. */
record Envelope(Role role, byte[] body, List<Signature> signatures) {

    /** Domain tags of the sign-bytes (ota.proto, message Signed). */
    static byte[] signBytes(Role role, byte[] body) {
        String tag = switch (role) {
            case ROLE_ROOT -> "wattproof/ota/v1/Root";
            case ROLE_TARGETS -> "wattproof/ota/v1/Targets";
            default -> throw new IllegalArgumentException("role: expected ROLE_ROOT or ROLE_TARGETS, got " + role);
        };
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[t.length + 1 + body.length];
        System.arraycopy(t, 0, out, 0, t.length);
        System.arraycopy(body, 0, out, t.length + 1, body.length);
        return out;
    }

    /** Parses {@code bytes} as a Signed of role {@code expected}; never throws on their content. */
    static Verdict<Envelope> open(byte[] bytes, Role expected) {
        Signed signed;
        try {
            signed = Signed.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return Verdict.refused(Refusal.Reason.MALFORMED, "signed", "a serialized wattproof.ota.v1.Signed",
                    bytes.length + " bytes that do not parse (" + e.getMessage() + ")");
        }
        if (signed.getRole() != expected) {
            return Verdict.refused(Refusal.Reason.WRONG_ROLE, "signed.role", expected,
                    signed.getRoleValue() + " (" + signed.getRole() + ")");
        }
        return new Verdict.Accepted<>(new Envelope(expected, signed.getBody().toByteArray(), signed.getSignaturesList()));
    }

    /**
     * How many distinct keys of {@code keys} made a valid signature over this envelope. Signatures
     * by key ids not in {@code keys} are ignored, so a key removed by a rotation no longer counts;
     * several signatures by one key count once (TUF §5.3: "a threshold of keys", not of
     * signatures; python-tuf's advisory GHSA-r7vq-6425-j94w shows what counting signatures allows).
     * An invalid signature by a known key does not count and does not spoil the others.
     */
    int countSigners(Map<DeviceId, VerifyingKey> keys) {
        byte[] message = signBytes(role, body);
        Set<DeviceId> signers = new HashSet<>();
        for (Signature s : signatures) {
            ByteString id = s.getKeyId();
            if (id.size() != DeviceId.LENGTH) {
                continue;
            }
            DeviceId keyId = DeviceId.of(id.toByteArray());
            VerifyingKey key = keys.get(keyId);
            if (key != null && !signers.contains(keyId) && key.check(message, s.getSignature().toByteArray()).isValid()) {
                signers.add(keyId);
            }
        }
        return signers.size();
    }
}
