package io.wattproof.modbus.maps;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The built-in register maps and user map files. Built-in maps are the files listed, one name per
 * line, in the class-path resource {@value #INDEX} (so they can be enumerated without scanning the
 * class path); they are loaded once, on first use. A user passes a path to a YAML file instead of
 * a model name.
 */
public final class MeterMaps {
    /** Class-path folder of the built-in map files. */
    public static final String RESOURCE_FOLDER = "io/wattproof/modbus/maps/";
    /** One map file name per line; blank lines and lines starting with '#' are ignored. */
    public static final String INDEX = RESOURCE_FOLDER + "index.txt";

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.ya?ml");

    private static volatile List<MeterMap> builtIn;

    private MeterMaps() {}

    /**
     * Every built-in map, in index order.
     *
     * @throws IllegalStateException if the index or a listed file is missing or invalid, or two maps
     *     claim the same model name or alias: a broken build, caught by the test that loads them all
     */
    public static List<MeterMap> builtIn() {
        List<MeterMap> maps = builtIn;
        if (maps == null) {
            synchronized (MeterMaps.class) {
                maps = builtIn;
                if (maps == null) {
                    maps = loadIndex(MeterMaps.class.getClassLoader(), INDEX);
                    builtIn = maps;
                }
            }
        }
        return maps;
    }

    /** The built-in map whose model or alias is {@code name}, ignoring case. */
    public static Optional<MeterMap> find(String name) {
        return builtIn().stream().filter(m -> m.matches(name)).findFirst();
    }

    /** The built-in map of a SunSpec model id (e.g. 203), not yet located. */
    public static Optional<MeterMap> sunspecModel(int id) {
        return builtIn().stream()
                .filter(m -> m.sunspecModel().isPresent() && m.sunspecModel().getAsInt() == id)
                .findFirst();
    }

    /**
     * What a {@code --model} argument names: a map file if it ends in {@code .yaml} or {@code .yml}
     * or contains a path separator, otherwise a built-in model or alias.
     */
    public static MeterMap resolve(String modelOrPath) throws MeterMapException {
        String arg = modelOrPath.strip();
        if (YamlSources.namesAFile(arg)) {
            return load(Path.of(arg));
        }
        return find(arg).orElseThrow(() -> new MeterMapException(List.of(new MapProblem("--model", "name",
                "a built-in model (" + builtIn().stream().map(MeterMap::model).collect(Collectors.joining(", "))
                        + ") or a path to a .yaml map file",
                "'" + arg + "'"))));
    }

    /** Loads a user's map file; messages name the file as {@code file} was given. */
    public static MeterMap load(Path file) throws MeterMapException {
        String origin = file.toString();
        String text;
        try {
            text = YamlSources.readUserFile(file, MeterMapParser.MAX_FILE_CHARS, "map file");
        } catch (YamlSources.UnreadableFile e) {
            throw new MeterMapException(new MapProblem(origin, "(file)", e.expected(), e.actual()), e);
        }
        return switch (MeterMapParser.parse(origin, text)) {
            case MapParseResult.Parsed p -> p.map();
            case MapParseResult.Invalid i -> throw new MeterMapException(i.problems());
        };
    }

    /** Loads every map an index lists; see {@link #builtIn()}. Visible for tests of broken indexes. */
    static List<MeterMap> loadIndex(ClassLoader loader, String index) {
        List<MeterMap> maps = new ArrayList<>();
        Map<String, String> claimedBy = new HashMap<>();
        for (YamlSources.Listed listed : YamlSources.readIndex(loader, index, FILE_NAME)) {
            String name = listed.fileName();
            MeterMap map = switch (MeterMapParser.parse(name, listed.text())) {
                case MapParseResult.Parsed p -> p.map();
                case MapParseResult.Invalid i -> throw new IllegalStateException("built-in map " + name + " is invalid:\n"
                        + i.problems().stream().map(MapProblem::message).collect(Collectors.joining("\n")));
            };
            List<String> names = new ArrayList<>(List.of(map.model()));
            names.addAll(map.aliases());
            for (String n : names) {
                String previous = claimedBy.putIfAbsent(n.toLowerCase(Locale.ROOT), name);
                if (previous != null) {
                    throw new IllegalStateException(name + ": model or alias '" + n + "' is already claimed by " + previous);
                }
            }
            maps.add(map);
        }
        return List.copyOf(maps);
    }
}
