package io.wattproof.agent.board;

import io.wattproof.modbus.maps.YamlSources;
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
        if (YamlSources.namesAFile(arg)) {
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
            text = YamlSources.readUserFile(file, BoardProfileParser.MAX_FILE_CHARS, "profile file");
        } catch (YamlSources.UnreadableFile e) {
            throw new BoardProfileException(new BoardProblem(origin, "(file)", e.expected(), e.actual()), e);
        }
        return switch (BoardProfileParser.parse(origin, text)) {
            case BoardParseResult.Parsed p -> p.profile();
            case BoardParseResult.Invalid i -> throw new BoardProfileException(i.problems());
        };
    }

    /** Loads every profile an index lists; see {@link #builtIn()}. Visible for tests of broken indexes. */
    static List<BoardProfile> loadIndex(ClassLoader loader, String index) {
        List<BoardProfile> profiles = new ArrayList<>();
        for (YamlSources.Listed listed : YamlSources.readIndex(loader, index, FILE_NAME)) {
            String name = listed.fileName();
            BoardProfile profile = switch (BoardProfileParser.parse(name, listed.text())) {
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
}
