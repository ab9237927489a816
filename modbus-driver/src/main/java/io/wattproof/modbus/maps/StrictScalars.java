package io.wattproof.modbus.maps;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Scalar deserializers for map files that take the scalar's text as written and refuse anything
 * ambiguous, instead of Jackson's lenient coercions: {@code 12.5} or {@code "12"} are not silently
 * the integer 12, and {@code 0010} is refused rather than read as YAML 1.1 octal 8. Integers are
 * decimal without leading zeros, or hex with {@code 0x}. Public so that other YAML configuration
 * (board profiles in meter-agent) binds by the same rules and reports problems the same way.
 */
public final class StrictScalars {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern HEX = Pattern.compile("[-+]?0[xX][0-9a-fA-F]+");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private StrictScalars() {}

    /** A scalar that breaks the rules; Jackson adds the path as the exception travels up. */
    static final class ScalarProblem extends MismatchedInputException {
        final String expected;
        final String actual;

        ScalarProblem(JsonParser p, Class<?> target, String expected, String actual) {
            super(p, "expected " + expected + ", actual " + actual, target);
            this.expected = expected;
            this.actual = actual;
        }
    }

    /** The deserializers for String, Integer, BigInteger and BigDecimal, for a mapper's builder. */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("wattproof-map-scalars");
        module.addDeserializer(String.class, new TextDeserializer());
        module.addDeserializer(Integer.class, new IntegerDeserializer());
        module.addDeserializer(BigInteger.class, new BigIntegerDeserializer());
        module.addDeserializer(BigDecimal.class, new DecimalDeserializer());
        return module;
    }

    /** What the parser is on, as the {@code actual} of a message. */
    static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a mapping";
            case VALUE_STRING -> "'" + p.getText() + "' (text)";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
            case VALUE_NULL -> "nothing";
            default -> t.toString();
        };
    }

    static final class TextDeserializer extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                    || t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                return p.getText();
            }
            throw new ScalarProblem(p, String.class, "a text", describe(p));
        }
    }

    static final class IntegerDeserializer extends JsonDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            BigInteger value = integer(p, Integer.class);
            if (value.bitLength() > 31) {
                throw new ScalarProblem(p, Integer.class, "an integer in -2147483648..2147483647", p.getText());
            }
            return value.intValue();
        }
    }

    static final class BigIntegerDeserializer extends JsonDeserializer<BigInteger> {
        @Override
        public BigInteger deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return integer(p, BigInteger.class);
        }
    }

    static final class DecimalDeserializer extends JsonDeserializer<BigDecimal> {
        @Override
        public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            String text = p.getText();
            if ((t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) && NUMBER.matcher(text).matches()) {
                return new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
            }
            throw new ScalarProblem(p, BigDecimal.class, "a decimal number such as 0.1 or 1e-3", describe(p));
        }
    }

    private static BigInteger integer(JsonParser p, Class<?> target) throws IOException {
        JsonToken t = p.currentToken();
        String text = p.getText();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (DECIMAL.matcher(text).matches()) {
                return new BigInteger(text.startsWith("+") ? text.substring(1) : text);
            }
            if (HEX.matcher(text).matches()) {
                boolean negative = text.startsWith("-");
                String digits = text.substring(text.indexOf('x') >= 0 ? text.indexOf('x') + 1 : text.indexOf('X') + 1);
                BigInteger v = new BigInteger(digits, 16);
                return negative ? v.negate() : v;
            }
        }
        throw new ScalarProblem(p, target, "an integer (decimal without leading zeros, or hex such as 0x004a)", describe(p));
    }
}
