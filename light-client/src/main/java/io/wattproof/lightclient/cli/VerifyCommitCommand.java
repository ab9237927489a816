package io.wattproof.lightclient.cli;

import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.json.CometJson;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.GenesisDoc;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.verifier.ConsensusSignatures;
import io.wattproof.lightclient.verifier.Failure;
import io.wattproof.lightclient.verifier.Predicates;
import io.wattproof.lightclient.verifier.TrustThreshold;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/light-client verify-commit --genesis FILE --commit FILE}: is this block signed by the
 * chain's genesis validators? The checks, in order: the header is for the genesis chain id and well
 * formed and the commit is for it (height and block hash); the genesis set is well formed; every
 * signature in the commit is by a genesis validator and valid, nil votes included; and the
 * validators that signed for the block hold more than 2/3 of the genesis voting power
 * (types/validator_set.go {@code VerifyCommitLight}, with every signature checked). A chain whose set
 * has changed since genesis needs the light client instead: a signer outside the genesis set fails.
 */
@Command(name = "verify-commit", mixinStandardHelpOptions = true,
        description = "Checks a /commit response against the validators of a /genesis response: all signatures"
                + " valid and more than 2/3 of the genesis voting power signed. Exit 0 valid, 1 invalid, 2 unreadable input.")
final class VerifyCommitCommand implements Callable<Integer> {
    @Option(names = "--genesis", required = true, paramLabel = "FILE", description = "a /genesis response or genesis.json")
    Path genesisFile;

    @Option(names = "--commit", required = true, paramLabel = "FILE", description = "a /commit response")
    Path commitFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GenesisDoc genesis;
        SignedHeader sh;
        try {
            genesis = CometJson.genesis(Inputs.json(genesisFile));
        } catch (MalformedInputException | IOException e) {
            err.println("error: " + genesisFile + ": " + Inputs.describe(e));
            return 2;
        }
        try {
            sh = CometJson.anySignedHeader(Inputs.json(commitFile));
        } catch (MalformedInputException | IOException e) {
            err.println("error: " + commitFile + ": " + Inputs.describe(e));
            return 2;
        }
        if (genesis.validators().size() == 0) {
            // Cosmos SDK chains leave genesis.validators empty; the application returns the set from
            // InitChain (gentxs in app_state), which this file cannot show.
            out.println("invalid: the genesis lists no validators (the application sets them at InitChain);"
                    + " there is nothing to check the commit against");
            return 1;
        }
        Optional<Failure> failure = check(genesis, sh);
        if (failure.isPresent()) {
            String reason = failure.get() instanceof Failure.InsufficientVotingPower p
                    ? "the validators that signed block " + p.height() + " hold " + p.tallied() + " of the " + p.total()
                            + " genesis voting power, need more than 2/3"
                    : failure.get().describe();
            out.println("invalid: " + reason);
            return 1;
        }
        long signed = 0;
        int signers = 0;
        for (CommitSig s : sh.commit().signatures()) {
            if (s.blockIdFlag() == BlockIdFlag.COMMIT) {
                signed += genesis.validators().byAddress(s.validatorAddress()).map(Validator::votingPower).orElse(0L);
                signers++;
            }
        }
        out.printf("valid: block %d (%s) of %s signed by %d of %d genesis voting power (%d of %d validators)%n",
                sh.header().height(), Hashes.header(sh.header()).hex(), genesis.chainId(), signed,
                genesis.validators().totalVotingPower(), signers, genesis.validators().size());
        if (!Hashes.validatorSet(genesis.validators()).equals(sh.header().validatorsHash())) {
            out.println("note: the header's validators_hash is not the genesis set's hash; the set has changed since genesis");
        }
        return 0;
    }

    /** The first check the commit fails against the genesis validators; pure. */
    static Optional<Failure> check(GenesisDoc genesis, SignedHeader sh) {
        Optional<Failure> f = Predicates.isWellFormed(sh, genesis.chainId());
        if (f.isEmpty()) {
            f = Predicates.isWellFormed(genesis.validators(), "genesis.validators");
        }
        if (f.isEmpty()) {
            f = Predicates.hasEnoughSignedPower(Failure.SignerSet.OWN_VALIDATORS, sh, genesis.validators(),
                    TrustThreshold.TWO_THIRDS, true, new ConsensusSignatures(), new HashMap<>());
        }
        return f;
    }
}
