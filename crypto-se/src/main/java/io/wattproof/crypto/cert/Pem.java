package io.wattproof.crypto.cert;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

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

    /**
     * The DER bytes of each block of a text that is one or more blocks of {@code type} and nothing
     * else but whitespace (a certificate chain: RFC 7468 §5.1 allows several blocks in one file).
     *
     * @throws IllegalArgumentException naming {@code what}, the expected blocks and what was found
     */
    static List<byte[]> readAll(String text, String type, String what) {
        String end = "-----END " + type + "-----";
        List<byte[]> blocks = new ArrayList<>();
        String rest = text.strip();
        int n = 0;
        do {
            n++;
            int cut = rest.indexOf(end);
            String block = cut < 0 ? rest : rest.substring(0, cut + end.length());
            blocks.add(read(block, type, blocks.isEmpty() ? what : what + " block " + n));
            rest = rest.substring(block.length()).strip();
        } while (!rest.isEmpty());
        return blocks;
    }
}
