package io.wattproof.protocol;

import io.wattproof.protocol.v1.BodyType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bytes a device signs for a transaction body, with domain separation:
 *
 * <pre>
 *   "wattproof/v1/" || message-type || 0x00 || chain_id || 0x00 || body
 * </pre>
 *
 * <p>The prefix makes a signature over a Reading useless as a signature over any other message
 * type, protocol version or chain, even where two bodies happen to share bytes. Message type and
 * chain id are printable ASCII without NUL, so the separators cannot be forged by either. The body
 * is the serialized protobuf exactly as carried in {@code SignedTx.body}.
 */
public final class SignBytes {
    public static final String PROTOCOL = "wattproof/v1/";
    /** Chain ids are short printable names, e.g. {@code wattproof-sim}. */
    public static final int MAX_CHAIN_ID_LENGTH = 50;

    private SignBytes() {}

    public static byte[] of(BodyType type, String chainId, byte[] body) {
        byte[] domain = (PROTOCOL + messageType(type)).getBytes(StandardCharsets.US_ASCII);
        byte[] chain = checkChainId(chainId).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[domain.length + 1 + chain.length + 1 + body.length];
        System.arraycopy(domain, 0, out, 0, domain.length);
        System.arraycopy(chain, 0, out, domain.length + 1, chain.length);
        System.arraycopy(body, 0, out, domain.length + 1 + chain.length + 1, body.length);
        return out;
    }

    /**
     * The hash that chains a device's records: SHA-256 over the record's sign-bytes. The next
     * record carries it as {@code previous_hash}.
     */
    public static byte[] recordHash(byte[] signBytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(signBytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    public static String messageType(BodyType type) {
        return switch (type) {
            case READING -> "Reading";
            case CHARGING_SESSION -> "ChargingSession";
            case DEVICE_REGISTRATION -> "DeviceRegistration";
            case TARIFF_CONTRACT -> "TariffContract";
            case PILE_OFFER -> "PileOffer";
            case BOOKING -> "Booking";
            case SESSION_START -> "SessionStart";
            case START_REQUEST -> "StartRequest";
            case STOP_REQUEST -> "StopRequest";
            case ACCOUNT_CREDIT -> "AccountCredit";
            case BODY_TYPE_UNSPECIFIED, UNRECOGNIZED ->
                    throw new IllegalArgumentException("body type: expected one of wattproof.v1.BodyType, got " + type);
        };
    }

    /** Returns the chain id when it is 1..50 printable ASCII characters, else throws. */
    public static String checkChainId(String chainId) {
        if (chainId == null || chainId.isEmpty() || chainId.length() > MAX_CHAIN_ID_LENGTH) {
            throw new IllegalArgumentException("chain id: expected 1.." + MAX_CHAIN_ID_LENGTH
                    + " printable ASCII characters, got " + (chainId == null ? "null" : chainId.length() + " characters"));
        }
        for (int i = 0; i < chainId.length(); i++) {
            char c = chainId.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException(String.format(
                        "chain id: expected printable ASCII, got 0x%02x at index %d", (int) c, i));
            }
        }
        return chainId;
    }
}
