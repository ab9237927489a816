package io.wattproof.simulator.dashboard;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.crypto.DeviceId;
import io.wattproof.lightclient.client.LightClient;
import io.wattproof.lightclient.client.LightClientOptions;
import io.wattproof.lightclient.client.SyncResult;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.provider.LightBlockProvider;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.store.LightStoreException;
import io.wattproof.lightclient.store.MemoryLightStore;
import io.wattproof.lightclient.tx.IndexedTx;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.tx.TxVerdict;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.verifier.VerificationOptions;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.verify.CryptoSeSignatureCheck;
import io.wattproof.simulator.verify.RegisteredKey;
import io.wattproof.simulator.verify.SignatureCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A meter's newest records as the ledger holds them, each checked here rather than taken from the
 * ledger's word: the device signature by the key registered on the ledger, the block's header by a
 * light client of the dashboard's own, and the transaction's inclusion proof against that header's
 * {@code data_hash} (CometBFT types/tx.go {@code TxProof.Validate}, by {@link TxInclusion}).
 *
 * <p>The light client is given the ledger's latest block when the dashboard starts as its trust
 * anchor, as the simulator gives each agent one (a technician's provisioning); later heights are
 * verified by skipping verification from it, earlier ones by hash links back from it, which do not
 * age (docs/light-client.md). Thread-safe: requests are served one at a time, as the light client
 * needs.
 */
public final class LedgerRecords {
    /** How far back a request looks for a meter's records: ten minutes of one-second blocks. */
    public static final int SCAN_BLOCKS = 600;
    /** A simulated run lasts minutes; the anchor is never older than the run. */
    private static final Duration TRUSTING_PERIOD = Duration.ofDays(14);

    private final ChainSource chain;
    private final LightClient client;
    private final SignatureCheck signatures = new CryptoSeSignatureCheck();
    /** Verified headers by height, so a block holding several of the meter's records is verified once. */
    private final Map<Long, Header> verified = new HashMap<>();

    /**
     * @throws IllegalStateException when the chain has no block yet to anchor on
     */
    public LedgerRecords(ChainSource chain, Clock clock) {
        this.chain = Objects.requireNonNull(chain, "chain");
        LightBlock anchor = chain.lightBlock(chain.latestHeight()).orElseThrow(
                () -> new IllegalStateException("the ledger has no block to anchor the dashboard's light client on"));
        // As the agents' (LedgerFollower): the drift allowance is real time, so scaled with a fast clock.
        VerificationOptions options = VerificationOptions.builder(TRUSTING_PERIOD)
                .maxClockDrift(io.wattproof.agent.interval.ScaledClock.simulated(clock, VerificationOptions.DEFAULT_MAX_CLOCK_DRIFT)).build();
        this.client = new LightClient(new MemoryLightStore(), new Provider(chain), List.of(),
                LightClientOptions.builder(options).build(), clock);
        try {
            client.initialise(anchor);
        } catch (LightStoreException e) {
            throw new IllegalStateException("a memory store cannot fail: " + e.getMessage(), e);
        }
    }

    /**
     * The newest {@code max} records of {@code device} in the last {@link #SCAN_BLOCKS} blocks,
     * newest first.
     *
     * @param key the device's key as registered on the ledger; empty when it is not registered, and
     *     then no signature verifies
     */
    public synchronized List<RecordView> latest(DeviceId device, Optional<RegisteredKey> key, int max) {
        List<RecordView> out = new ArrayList<>();
        long top = chain.latestHeight();
        for (long h = top; h >= Math.max(1, top - SCAN_BLOCKS + 1) && out.size() < max; h--) {
            Optional<CommittedBlock> block = chain.committedBlock(h);
            if (block.isEmpty()) {
                continue;
            }
            List<IncludedTx> txs = block.get().txs();
            for (int i = txs.size() - 1; i >= 0 && out.size() < max; i--) {
                recordOf(txs.get(i), device).ifPresent(r -> out.add(check(r, key)));
            }
        }
        return out;
    }

    /** A device record of {@code device} in {@code included}; empty for anything else (operator transactions, other devices). */
    private static Optional<Parsed> recordOf(IncludedTx included, DeviceId device) {
        try {
            SignedTx tx = SignedTx.parseFrom(included.tx());
            byte[] wanted = device.bytes();
            if (tx.getBodyType() == BodyType.READING) {
                Reading r = Reading.parseFrom(tx.getBody());
                return java.util.Arrays.equals(r.getDeviceId().toByteArray(), wanted)
                        ? Optional.of(new Parsed(included, tx, "reading", r.getSequence(), r.getIntervalStart(), r.getIntervalSeconds(),
                                r.getImportWh(), r.getImportDeltaWh(), Optional.of(r.getAveragePowerW())))
                        : Optional.empty();
            }
            if (tx.getBodyType() == BodyType.CHARGING_SESSION) {
                ChargingSession s = ChargingSession.parseFrom(tx.getBody());
                return java.util.Arrays.equals(s.getDeviceId().toByteArray(), wanted)
                        ? Optional.of(new Parsed(included, tx, "charging session", s.getSequence(), s.getStartTime(),
                                Math.max(0, s.getEndTime() - s.getStartTime()), s.getEndImportWh(), s.getEnergyWh(), Optional.empty()))
                        : Optional.empty();
            }
            return Optional.empty();
        } catch (InvalidProtocolBufferException e) {
            // A block may hold any bytes the application refused; such a transaction is no one's record.
            return Optional.empty();
        }
    }

    private record Parsed(IncludedTx included, SignedTx tx, String kind, long sequence, long start, long seconds, long importWh,
                          long energyWh, Optional<Long> averagePowerW) {}

    private RecordView check(Parsed p, Optional<RegisteredKey> key) {
        IncludedTx included = p.included();
        TxProof proof = included.proof();
        Check signature = signature(p.tx(), key);
        Optional<Header> header = Optional.empty();
        Check headerCheck;
        Check inclusion;
        switch (verifiedHeader(included.height())) {
            case HeaderResult.Verified v -> {
                header = Optional.of(v.header());
                headerCheck = Check.passed("header " + included.height() + " verified by the dashboard's light client ("
                        + v.how() + ")");
                IndexedTx indexed = new IndexedTx(Bytes.of(included.hash()), included.height(), included.index(), Bytes.of(included.tx()),
                        Optional.of(proof));
                TxVerdict verdict = TxInclusion.verify(indexed, v.header());
                inclusion = verdict.isVerified()
                        ? Check.passed("leaf " + proof.index() + " of " + proof.total() + " leads through " + proof.aunts().size()
                                + " aunts to the data hash of header " + included.height())
                        : Check.failed(verdict.describe());
            }
            case HeaderResult.Refused r -> {
                headerCheck = Check.failed(r.why());
                inclusion = Check.failed("not checked: the header of block " + included.height() + " is not verified");
            }
        }
        return new RecordView(p.kind(), p.sequence(), included.height(), included.index(), Bytes.of(included.hash()).hex(),
                Instant.ofEpochSecond(p.start()), p.seconds(), p.importWh(), p.energyWh(), p.averagePowerW(), included.result().code(),
                signature, headerCheck, inclusion,
                new RecordView.ProofFacts(proof.rootHash().hex(), proof.leafHash().hex(), proof.index(), proof.total(),
                        proof.aunts().stream().map(Bytes::hex).toList(), header.map(h -> h.dataHash().hex()),
                        header.map(h -> Hashes.header(h).hex())));
    }

    private Check signature(SignedTx tx, Optional<RegisteredKey> key) {
        if (key.isEmpty()) {
            return Check.failed("signature: no key registered on the ledger for this device");
        }
        RegisteredKey k = key.get();
        if (tx.getKeyAlgorithmValue() != k.algorithm().wireNumber()) {
            return Check.failed("key algorithm: expected " + k.algorithm().wireNumber() + " (" + k.algorithm() + ", as registered), got "
                    + tx.getKeyAlgorithmValue());
        }
        // docs/protocol.md, "Sign-bytes": the domain prefix, the chain id and the body's exact bytes.
        byte[] signBytes = SignBytes.of(tx.getBodyType(), chain.chainId(), tx.getBody().toByteArray());
        return switch (signatures.verify(k.algorithm(), k.publicKeyInfo(), signBytes, tx.getSignature().toByteArray())) {
            case SignatureCheck.Valid v -> Check.passed(k.algorithm() + " signature by the key registered on the ledger");
            case SignatureCheck.Invalid i -> Check.failed(i.detail());
        };
    }

    private sealed interface HeaderResult {
        record Verified(Header header, String how) implements HeaderResult {}

        record Refused(String why) implements HeaderResult {}
    }

    private HeaderResult verifiedHeader(long height) {
        Header known = verified.get(height);
        if (known != null) {
            return new HeaderResult.Verified(known, "verified before");
        }
        SyncResult result;
        try {
            result = client.verifyTo(height);
        } catch (LightStoreException e) {
            return new HeaderResult.Refused("light store: " + e.getMessage());
        }
        if (result instanceof SyncResult.Verified v) {
            if (verified.size() > 4 * SCAN_BLOCKS) {
                verified.clear();
            }
            verified.put(height, v.block().header());
            return new HeaderResult.Verified(v.block().header(), v.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new HeaderResult.Refused("header " + height + ": " + result.describe());
    }

    /** The chain as the light client's primary: it only moves blocks; the client verifies them. */
    private record Provider(ChainSource chain) implements LightBlockProvider {
        @Override
        public String id() {
            return "ledger " + chain.chainId();
        }

        @Override
        public LightBlock lightBlock(long height) throws ProviderException {
            return chain.lightBlock(height).orElseThrow(() -> new ProviderException.NotFound(id(), height, ""));
        }

        @Override
        public LightBlock latest() throws ProviderException {
            return lightBlock(chain.latestHeight());
        }
    }
}
