package io.wattproof.lightclient.json;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a chain dump keeps its files: under {@code DIR/chain}, the {@code /genesis} answer as
 * {@code genesis.json} and, for every height {@code h} from the initial height on, the
 * {@code /commit} answer as {@code commit_<h>.json} and the {@code /validators} answer (the whole
 * set on one page) as {@code validators_<h>.json}; {@code h} in decimal without leading zeros.
 * The documents are those {@link CometJsonWriter} writes and a node's RPC returns, so a dump can
 * also be made with {@code curl} from a real node. Names only; reading and writing are the caller's.
 */
public record ChainDump(Path dir) {
    private static final Pattern COMMIT = Pattern.compile("commit_(0|[1-9][0-9]{0,18})\\.json");

    public ChainDump {
        Objects.requireNonNull(dir, "dir");
    }

    public Path chainDir() {
        return dir.resolve("chain");
    }

    public Path genesis() {
        return chainDir().resolve("genesis.json");
    }

    public Path commit(long height) {
        return chainDir().resolve(commitFileName(height));
    }

    public Path validators(long height) {
        return chainDir().resolve(validatorsFileName(height));
    }

    public static String commitFileName(long height) {
        return "commit_" + height + ".json";
    }

    public static String validatorsFileName(long height) {
        return "validators_" + height + ".json";
    }

    /** The height a {@code commit_<h>.json} file name stands for; empty for any other name. */
    public static OptionalLong commitHeight(String fileName) {
        Matcher m = COMMIT.matcher(fileName);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
