package io.wattproof.agent.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;

/** Reading the fields of the pile's JSON messages; every failure a {@link Bad} naming the field, expected and actual. */
final class JsonFields {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFields() {}

    /** A field that does not meet the contract; its message is the reason. */
    static final class Bad extends Exception {
        Bad(String reason) {
            super(reason, null, false, false);
        }
    }

    static String text(JsonNode node, String field, String where) throws Bad {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new Bad(where + "." + field + ": expected a string, got " + describe(v));
        }
        return v.asText();
    }

    static byte[] hex(JsonNode node, String field, int length, String where) throws Bad {
        String s = text(node, field, where);
        byte[] b;
        try {
            b = HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new Bad(where + "." + field + ": expected hex, got '" + abbreviate(s) + "'");
        }
        if (length >= 0 && b.length != length) {
            throw new Bad(where + "." + field + ": expected " + length + " bytes (" + 2 * length + " hex characters), got " + b.length);
        }
        return b;
    }

    static long positiveLong(JsonNode node, String field, String where) throws Bad {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new Bad(where + "." + field + ": expected a positive integer, got " + describe(v));
        }
        long x = v.asLong();
        if (x <= 0) {
            throw new Bad(where + "." + field + ": expected a positive integer, got " + x);
        }
        return x;
    }

    static long nonNegativeLong(JsonNode node, String field, String where) throws Bad {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new Bad(where + "." + field + ": expected an integer ≥ 0, got " + describe(v));
        }
        return v.asLong();
    }

    /** UTC epoch seconds as a number, or an ISO-8601 instant as a string. */
    static long epochSeconds(JsonNode node, String field, String where) throws Bad {
        return instant(node, field, where).getEpochSecond();
    }

    static Instant instant(JsonNode node, String field, String where) throws Bad {
        JsonNode v = node.get(field);
        if (v != null && v.isIntegralNumber() && v.canConvertToLong()) {
            return Instant.ofEpochSecond(v.asLong());
        }
        if (v != null && v.isTextual()) {
            try {
                return Instant.parse(v.asText());
            } catch (DateTimeParseException e) {
                // fall through to the message below
            }
        }
        throw new Bad(where + "." + field + ": expected UTC epoch seconds or an ISO-8601 instant, got " + describe(v));
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String s = node.toString();
        return node.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + abbreviate(s);
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
