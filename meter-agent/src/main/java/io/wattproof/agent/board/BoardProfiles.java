package io.wattproof.agent.board;

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
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The built-in board profiles (shipped in the board-configs jar) and user profile files. Built-in
 * profiles are the files listed, one name per line, in the class-path resource {@value #INDEX}, so
 * they can be enumerated without scanning the class path; they are loaded once, on first use.
 */
public final class BoardProfiles {
    /** Class-path folder of the built-in profiles. */
    public static final String RESOURCE_FOLDER = "io/wattproof/boards/";
    /** One profile file name per line; blank lines and lines starting with '#' are ignored. */
    public static final String INDEX = RESOURCE_FOLDER + "index.txt";

    private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.yaml");

    private static volatile List<BoardProfile> builtIn;

    private BoardProfiles() {}

    /**
     * Every built-in profile, in index order.
     *
     * @throws IllegalStateException if the index or a listed file is missing or invalid, or a
     *     profile's name is not its file name: a broken build, caught by the test that loads them all
     */
    public static List<BoardProfile> builtIn() {
        List<BoardProfile> profiles = builtIn;
        if (profiles == null) {
            synchronized (BoardProfiles.class) {
                profiles = builtIn;
                if (profiles == null) {
                    profiles = loadIndex(BoardProfiles.class.getClassLoader(), INDEX);
                    builtIn = profiles;
                }
            }
        }
        return profiles;
    }

    /** The built-in profile called {@code name}, ignoring case. */
    public static Optional<BoardProfile> find(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return builtIn().stream().filter(p -> p.name().equals(n)).findFirst();
    }

    /**
     * What a {@code NAME|FILE} argument names: a profile file if it ends in {@code .yaml} or {@code
     * .yml} or contains a path separator, otherwise a built-in profile.
     */
    public static BoardProfile resolve(String nameOrPath) throws BoardProfileException {
        String arg = nameOrPath.strip();
        String lower = arg.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml") || arg.contains("/") || arg.contains("\\")) {
            return load(Path.of(arg));
        }
        return find(arg).orElseThrow(() -> new BoardProfileException(List.of(new BoardProblem("board", "name",
                "a built-in profile (" + builtIn().stream().map(BoardProfile::name).collect(Collectors.joining(", "))
                        + ") or a path to a .yaml profile",
                "'" + arg + "'"))));
    }

    /** Loads a user's profile; messages name the file as {@code file} was given. */
    public static BoardProfile load(Path file) throws BoardProfileException {
        String origin = file.toString();
        String text;
        try {
            long size = Files.size(file);
            if (size > BoardProfileParser.MAX_FILE_CHARS) {
                throw new BoardProfileException(List.of(new BoardProblem(origin, "(file)", "a profile of at most "
                        + BoardProfileParser.MAX_FILE_CHARS + " bytes", size + " bytes")));
            }
            text = decode(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new BoardProfileException(new BoardProblem(origin, "(file)", "an existing profile file", "no such file"), e);
        } catch (CharacterCodingException e) {
            throw new BoardProfileException(new BoardProblem(origin, "(file)", "UTF-8 text", "bytes that are not UTF-8"), e);
        } catch (IOException e) {
            throw new BoardProfileException(new BoardProblem(origin, "(file)", "a readable profile file", e.toString()), e);
        }
        return switch (BoardProfileParser.parse(origin, text)) {
            case BoardParseResult.Parsed p -> p.profile();
            case BoardParseResult.Invalid i -> throw new BoardProfileException(i.problems());
        };
    }

    /** Loads every profile an index lists; see {@link #builtIn()}. Visible for tests of broken indexes. */
    static List<BoardProfile> loadIndex(ClassLoader loader, String index) {
        String folder = index.substring(0, index.lastIndexOf('/') + 1);
        String listing = resource(loader, index);
        List<BoardProfile> profiles = new ArrayList<>();
        List<String> files = new ArrayList<>();
        int lineNumber = 0;
        for (String line : listing.lines().toList()) {
            lineNumber++;
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            if (!FILE_NAME.matcher(name).matches()) {
                throw new IllegalStateException(index + " line " + lineNumber + ": expected a .yaml file name, actual '"
                        + name + "'");
            }
            if (files.contains(name)) {
                throw new IllegalStateException(index + " line " + lineNumber + ": expected each file once, actual '"
                        + name + "' again");
            }
            files.add(name);
            BoardProfile profile = switch (BoardProfileParser.parse(name, resource(loader, folder + name))) {
                case BoardParseResult.Parsed p -> p.profile();
                case BoardParseResult.Invalid i -> throw new IllegalStateException("built-in profile " + name
                        + " is invalid:\n" + i.problems().stream().map(BoardProblem::message)
                                .collect(Collectors.joining("\n")));
            };
            // The name is what a user types; the file name is where it is found.
            if (!name.equals(profile.name() + ".yaml")) {
                throw new IllegalStateException(name + ": name: expected '" + name.replaceFirst("\\.yaml$", "")
                        + "' (the file name), actual '" + profile.name() + "'");
            }
            profiles.add(profile);
        }
        return List.copyOf(profiles);
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
