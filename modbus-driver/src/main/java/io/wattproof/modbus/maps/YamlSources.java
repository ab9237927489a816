package io.wattproof.modbus.maps;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where checked YAML documents come from: a file a user names, or files shipped on the class path
 * and listed in an index (so they can be enumerated without scanning the class path). The meter
 * maps read their files this way, and so do meter-agent's board profiles; each reports problems
 * in its own terms, from the expected/actual pairs given here.
 */
public final class YamlSources {
    private YamlSources() {}

    /** A file an index lists, with its text. */
    public record Listed(String fileName, String text) {}

    /** A user's file that could not be read as text: what was expected of it and what was found. */
    public static final class UnreadableFile extends Exception {
        private final String expected;
        private final String actual;

        UnreadableFile(String expected, String actual, Exception cause) {
            super("expected " + expected + ", actual " + actual, cause);
            this.expected = expected;
            this.actual = actual;
        }

        public String expected() {
            return expected;
        }

        public String actual() {
            return actual;
        }
    }

    /**
     * A mapper that reads snake_case keys into records and lets nothing pass silently: unknown
     * keys, duplicate keys, trailing documents and scalars of the wrong kind (a quoted number, a
     * number where text belongs) are all errors. Each call makes a new mapper; keep it.
     */
    public static YAMLMapper strictMapper() {
        return YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addModule(StrictScalars.module())
                .build();
    }

    /**
     * Whether a {@code NAME|FILE} argument names a file: it ends in {@code .yaml} or {@code .yml}
     * or contains a path separator. Anything else is the name of a built-in document.
     */
    public static boolean namesAFile(String argument) {
        String arg = argument.strip();
        String lower = arg.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || arg.contains("/") || arg.contains("\\");
    }

    /**
     * The UTF-8 text of a user's file of at most {@code maxBytes}; {@code what} names the kind of
     * file in the refusal ("map file", "profile file").
     */
    public static String readUserFile(Path file, int maxBytes, String what) throws UnreadableFile {
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new UnreadableFile("a " + what + " of at most " + maxBytes + " bytes", size + " bytes", null);
            }
            return decode(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new UnreadableFile("an existing " + what, "no such file", e);
        } catch (CharacterCodingException e) {
            throw new UnreadableFile("UTF-8 text", "bytes that are not UTF-8", e);
        } catch (IOException e) {
            throw new UnreadableFile("a readable " + what, e.toString(), e);
        }
    }

    /**
     * Every file {@code index} lists (one name per line; blank lines and lines starting with '#'
     * ignored), read from the index's folder, in index order.
     *
     * @throws IllegalStateException if the index or a listed file is missing, a name does not match
     *     {@code fileName}, or a name appears twice: a broken build, caught by the test that loads
     *     every built-in document
     */
    public static List<Listed> readIndex(ClassLoader loader, String index, Pattern fileName) {
        String folder = index.substring(0, index.lastIndexOf('/') + 1);
        List<Listed> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        int lineNumber = 0;
        for (String line : resource(loader, index).lines().toList()) {
            lineNumber++;
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            if (!fileName.matcher(name).matches()) {
                throw new IllegalStateException(index + " line " + lineNumber + ": expected a .yaml file name, actual '"
                        + name + "'");
            }
            if (seen.contains(name)) {
                throw new IllegalStateException(index + " line " + lineNumber + ": expected each file once, actual '"
                        + name + "' again");
            }
            seen.add(name);
            out.add(new Listed(name, resource(loader, folder + name)));
        }
        return List.copyOf(out);
    }

    private static String resource(ClassLoader loader, String path) {
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource " + path + " is missing");
            }
            return decode(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("class-path resource " + path + ": " + e, e);
        }
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
