package io.wattproof.lightclient.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.json.ChainDump;
import io.wattproof.lightclient.json.CometJson;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.GenesisDoc;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.ValidatorSet;
import io.wattproof.lightclient.verifier.ConsensusSignatures;
import io.wattproof.lightclient.verifier.Failure;
import io.wattproof.lightclient.verifier.Predicates;
import io.wattproof.lightclient.verifier.TrustThreshold;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/light-client verify-chain --dir DIR}: verifies a whole chain dump ({@link ChainDump}:
 * {@code DIR/chain/genesis.json}, {@code commit_<h>.json}, {@code validators_<h>.json}) from its
 * initial height to the highest commit present, every height, with the light client's predicates.
 * Unlike the light client it trusts nothing but the genesis file: each height's validators are
 * those the height before announced (its {@code next_validators_hash}), and each block is linked to
 * the one before by {@code last_block_id}, so a valid dump is the chain that grew from that genesis.
 * No trusting period applies: a historical chain is checked as it was.
 *
 * <p>Exit 0 when every height verifies; 1 at the first height that does not (or whose file is
 * missing), naming the height and the reason; 2 when the folder or a file cannot be read or parsed.
 */
@Command(name = "verify-chain", mixinStandardHelpOptions = true,
        description = "Verifies a chain dump (DIR/chain/genesis.json, commit_<h>.json, validators_<h>.json) from genesis"
                + " to the highest height: validator sets, hash links, times and more than 2/3 of the power signed."
                + " Exit 0 valid, 1 invalid or a file missing, 2 unreadable input.")
final class VerifyChainCommand implements Callable<Integer> {
    /** How often progress goes to standard error on long chains. */
    static final long PROGRESS_EVERY = 1000;
    /** Heights read and checked in parallel at a time; bounds the documents held in memory. */
    private static final int BATCH = 500;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the dump's folder; the files are under DIR/chain")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A file could not be read or parsed: exit 2. */
    private static final class Unreadable extends Exception {
        Unreadable(Path file, Exception cause) {
            super(file + ": " + Inputs.describe(cause), cause);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ChainDump dump = new ChainDump(dir);
        if (!Files.isDirectory(dump.chainDir())) {
            err.println("error: " + dump.chainDir() + ": no such folder (a chain dump keeps its files in DIR/chain)");
            return 2;
        }
        GenesisDoc genesis;
        Instant genesisTime;
        long highest;
        try {
            JsonNode g = read(dump.genesis());
            try {
                genesis = CometJson.genesis(g);
                genesisTime = CometJson.genesisTime(g);
            } catch (MalformedInputException e) {
                throw new Unreadable(dump.genesis(), e);
            }
            highest = highestCommit(dump, genesis.initialHeight());
        } catch (Unreadable e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (genesis.validators().size() == 0) {
            out.println("invalid: the genesis lists no validators (the application sets them at InitChain);"
                    + " there is nothing to verify the initial height against");
            return 1;
        }
        if (highest < genesis.initialHeight()) {
            out.println("invalid: height " + genesis.initialHeight() + ": missing " + dump.commit(genesis.initialHeight()));
            return 1;
        }
        ConsensusSignatures signatures = new ConsensusSignatures();
        Header previous = null;
        Bytes lastHash = Bytes.EMPTY;
        try {
            for (long from = genesis.initialHeight(); from <= highest; from += BATCH) {
                long to = Math.min(highest, from + BATCH - 1);
                // Reading, parsing and the checks of a height on its own (signatures above all) run
                // in parallel; the links between heights are checked in order below, and the first
                // height that fails is reported whatever order the work finished in.
                List<Loaded> batch = LongStream.rangeClosed(from, to).parallel()
                        .mapToObj(h -> load(dump, genesis, h, signatures))
                        .toList();
                for (Loaded l : batch) {
                    long h = l.height();
                    if (l.missing() != null) {
                        out.println("invalid: height " + h + ": missing " + l.missing());
                        return 1;
                    }
                    if (l.unreadable() != null) {
                        throw l.unreadable();
                    }
                    Optional<String> failure = l.ownFailure();
                    if (failure.isEmpty()) {
                        failure = previous == null
                                ? checkInitialHeight(genesis, genesisTime, l.signedHeader().header())
                                : checkLink(previous, l.signedHeader().header());
                    }
                    if (failure.isEmpty()) {
                        failure = l.signatureFailure();
                    }
                    if (failure.isPresent()) {
                        out.println("invalid: height " + h + ": " + failure.get());
                        return 1;
                    }
                    previous = l.signedHeader().header();
                    lastHash = l.signedHeader().commit().blockId().hash();
                    if ((h - genesis.initialHeight() + 1) % PROGRESS_EVERY == 0 && h < highest) {
                        err.println("verified heights " + genesis.initialHeight() + ".." + h + " of " + highest);
                    }
                }
            }
            // The dump may also hold the set of the height above the last commit (a node knows it):
            // then the last header's next_validators_hash must name it.
            Path next = dump.validators(highest + 1);
            if (Files.exists(next)) {
                CometJson.ValidatorsPage page = parse(next, CometJson::validatorsPage);
                Optional<Failure> f = Predicates.nextValidatorSetMatches(previous, page.validators());
                if (f.isPresent()) {
                    out.println("invalid: height " + highest + ": " + f.get().describe() + " (" + next.getFileName() + ")");
                    return 1;
                }
            }
        } catch (Unreadable e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        out.println("verified: heights " + genesis.initialHeight() + ".." + highest + " of " + genesis.chainId()
                + ", last block " + lastHash.hex());
        return 0;
    }

    /**
     * One height's files and the checks that need no other height. Exactly one of: {@code missing}
     * (a file that is not there), {@code unreadable}, or the parsed documents with the outcome of
     * {@link #checkOwn} and, when that passed, of {@link #checkSignatures}.
     */
    private record Loaded(long height, Path missing, Unreadable unreadable, SignedHeader signedHeader,
            Optional<String> ownFailure, Optional<String> signatureFailure) {}

    private static Loaded load(ChainDump dump, GenesisDoc genesis, long h, ConsensusSignatures signatures) {
        for (Path p : List.of(dump.commit(h), dump.validators(h))) {
            if (!Files.exists(p)) {
                return new Loaded(h, p, null, null, Optional.empty(), Optional.empty());
            }
        }
        try {
            SignedHeader sh = parse(dump.commit(h), CometJson::anySignedHeader);
            CometJson.ValidatorsPage page = parse(dump.validators(h), CometJson::validatorsPage);
            Optional<String> own = checkOwn(genesis.chainId(), h, sh, page);
            Optional<String> sigs = own.isPresent() ? Optional.empty() : checkSignatures(sh, page.validators(), signatures);
            return new Loaded(h, null, null, sh, own, sigs);
        } catch (Unreadable e) {
            return new Loaded(h, null, e, null, Optional.empty(), Optional.empty());
        }
    }

    /**
     * The checks of one height that need no other height: the files are for this height, the
     * validators page holds the whole set, the signed header is well formed for the chain and its
     * commit is for it, the set is well formed, is the one the header names and has one commit slot
     * per member.
     */
    static Optional<String> checkOwn(String chainId, long height, SignedHeader sh, CometJson.ValidatorsPage page) {
        Header header = sh.header();
        ValidatorSet vals = page.validators();
        String validatorsName = ChainDump.validatorsFileName(height);
        if (header.height() != height) {
            return Optional.of(ChainDump.commitFileName(height) + " holds the header of height " + header.height());
        }
        if (page.blockHeight() != height) {
            return Optional.of(validatorsName + " is for height " + page.blockHeight());
        }
        if (page.count() != vals.size() || page.total() != vals.size()) {
            return Optional.of(validatorsName + " must hold the whole set on one page: count " + page.count() + ", total "
                    + page.total() + ", validators listed " + vals.size());
        }
        return Predicates.firstFailure(
                () -> Predicates.isWellFormed(sh, chainId),
                () -> Predicates.isWellFormed(vals, validatorsName),
                () -> Predicates.validatorSetMatches(header, vals),
                () -> Predicates.hasOneSignaturePerValidator(sh.commit(), vals))
                .map(Failure::describe);
    }

    /**
     * Adjacent headers (light/verifier.go {@code VerifyAdjacent}, and the hash link of
     * {@code VerifyBackwards}): the header's validators are those the previous one announced, it
     * names the previous header's hash as its last block, same chain, later time.
     */
    static Optional<String> checkLink(Header previous, Header header) {
        return Predicates.firstFailure(
                () -> Predicates.isValidNextValidatorSet(previous, header),
                () -> Predicates.isHashLinked(previous, header))
                .map(Failure::describe);
    }

    /** More than 2/3 of the set's power signed the block; every signature by a member verified, nil votes included. */
    static Optional<String> checkSignatures(SignedHeader sh, ValidatorSet vals, ConsensusSignatures signatures) {
        return Predicates.hasEnoughSignedPower(Failure.SignerSet.OWN_VALIDATORS, sh, vals, TrustThreshold.TWO_THIRDS, true,
                        signatures, new HashMap<>())
                .map(Failure::describe);
    }

    /**
     * The block at the initial height follows from the genesis itself (CometBFT state/validation.go
     * {@code validateBlock} against the state {@code MakeGenesisState} builds): its validators are the
     * genesis validators, it has no last block, and its time is the genesis time.
     */
    static Optional<String> checkInitialHeight(GenesisDoc genesis, Instant genesisTime, Header header) {
        Bytes genesisSet = Hashes.validatorSet(genesis.validators());
        if (!genesisSet.equals(header.validatorsHash())) {
            return Optional.of("validators_hash: expected " + genesisSet.hex() + " (the genesis validators), got "
                    + header.validatorsHash().hex());
        }
        if (!header.lastBlockId().isZero()) {
            return Optional.of("last_block_id: expected none at the initial height, got " + header.lastBlockId().hash().hex());
        }
        if (!header.time().equals(genesisTime)) {
            return Optional.of("time: expected the genesis time " + genesisTime + ", got " + header.time());
        }
        return Optional.empty();
    }

    /** The highest {@code h} of the {@code commit_<h>.json} files at or above the initial height; below it when none. */
    private static long highestCommit(ChainDump dump, long initialHeight) throws Unreadable {
        long highest = initialHeight - 1;
        try (Stream<Path> files = Files.list(dump.chainDir())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                OptionalLong h = ChainDump.commitHeight(p.getFileName().toString());
                if (h.isPresent() && h.getAsLong() > highest) {
                    highest = h.getAsLong();
                }
            }
        } catch (IOException e) {
            throw new Unreadable(dump.chainDir(), e);
        }
        return highest;
    }

    private static JsonNode read(Path file) throws Unreadable {
        try {
            return Inputs.json(file);
        } catch (IOException | MalformedInputException e) {
            throw new Unreadable(file, e);
        }
    }

    private interface Reader<T> {
        T read(JsonNode root) throws MalformedInputException;
    }

    private static <T> T parse(Path file, Reader<T> reader) throws Unreadable {
        JsonNode root = read(file);
        try {
            return reader.read(root);
        } catch (MalformedInputException e) {
            throw new Unreadable(file, e);
        }
    }
}
