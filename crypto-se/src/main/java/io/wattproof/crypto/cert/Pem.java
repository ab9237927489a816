package io.wattproof.crypto.cert;

import java.util.Base64;

/** One PEM block (RFC 7468 §2) of a given type, written and read strictly. */
final class Pem {
    private Pem() {}

    static String write(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /**
     * The DER bytes of a text that is exactly one block of {@code type} (surrounding whitespace
     * allowed). The base64 body is decoded strictly: a stray character is an error, not skipped.
     *
     * @throws IllegalArgumentException naming {@code what}, the expected block and what was found
     */
    static byte[] read(String text, String type, String what) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        String stripped = text.strip();
        if (!stripped.startsWith(begin) || !stripped.endsWith(end) || stripped.length() < begin.length() + end.length()) {
            String head = stripped.lines().findFirst().orElse("");
            throw new IllegalArgumentException(what + " pem: expected one block from '" + begin + "' to '" + end
                    + "', got text starting '" + head.substring(0, Math.min(head.length(), 40)) + "'");
        }
        String body = stripped.substring(begin.length(), stripped.length() - end.length()).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " pem body: expected base64, got " + e.getMessage(), e);
        }
    }
}
