package io.wattproof.agent.provision;

import io.nayuki.qrcodegen.QrCode;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What goes on the sticker on the meter box: the device id, its key's algorithm and fingerprint,
 * the board and the location, and a QR code of {@link #qrPayload()} a fleet app can scan to find
 * the device and check it holds the key it was provisioned with.
 *
 * @param fingerprint SHA-256 of the key's SubjectPublicKeyInfo, lowercase hex (as {@code keys
 *     show} prints it)
 */
public record DeviceLabel(DeviceId deviceId, KeyAlgorithm algorithm, String fingerprint, String board, Optional<String> location) {
    /**
     * ISO/IEC 18004:2015 section 9.1: a light quiet zone four modules wide around the symbol, or
     * readers may not find its edges.
     */
    public static final int QUIET_ZONE = 4;

    public DeviceLabel {
        Objects.requireNonNull(deviceId, "device id");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(location, "location");
    }

    /** SHA-256 of a SubjectPublicKeyInfo (DER), lowercase hex. */
    public static String fingerprint(byte[] subjectPublicKeyInfo) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code wattproof:device:<device id>?fp=<fingerprint>}. */
    public String qrPayload() {
        return "wattproof:device:" + deviceId.hex() + "?fp=" + fingerprint;
    }

    /** The label's text lines. */
    public List<String> textLines() {
        List<String> lines = new ArrayList<>();
        lines.add("device id:   " + deviceId.hex());
        lines.add("algorithm:   " + algorithm);
        lines.add("fingerprint: " + fingerprint);
        lines.add("board:       " + board);
        lines.add("location:    " + location.orElse("-"));
        return lines;
    }

    /** The label's text, then the QR code of {@link #qrPayload()}. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>(textLines());
        lines.addAll(qrLines(qrPayload()));
        return lines;
    }

    /**
     * A QR code as text, two module rows per line with the Unicode half blocks ▀ ▄ █. A terminal
     * draws text light on dark more often than not, so the light modules (and the quiet zone) are
     * the ones drawn, as {@code qrencode -t UTF8} does; error correction level M (15 %) tolerates a
     * smudged print.
     */
    public static List<String> qrLines(String payload) {
        QrCode qr = QrCode.encodeText(payload, QrCode.Ecc.MEDIUM);
        int from = -QUIET_ZONE;
        int to = qr.size + QUIET_ZONE;
        List<String> lines = new ArrayList<>();
        for (int y = from; y < to; y += 2) {
            StringBuilder line = new StringBuilder(to - from);
            for (int x = from; x < to; x++) {
                boolean top = !dark(qr, x, y);
                boolean bottom = y + 1 < to && !dark(qr, x, y + 1);
                line.append(top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ');
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** Outside the symbol (the quiet zone) every module is light; qrcodegen answers false there. */
    private static boolean dark(QrCode qr, int x, int y) {
        return qr.getModule(x, y);
    }
}
