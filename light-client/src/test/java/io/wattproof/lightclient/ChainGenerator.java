package io.wattproof.lightclient;

import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.encoding.SignBytes;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.ConsensusVersion;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.lightclient.types.PublicKey;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Generates chains of light blocks signed with real keys, from a seed, for property tests: random
 * validator sets with random powers, headers with random hashes, commits signed by chosen
 * validators. Everything is deterministic for a seed, so a failing case can be replayed.
 */
public final class ChainGenerator {
    private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");

    private final Random random;

    public ChainGenerator(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    /** A validator with its private key. */
    public record TestValidator(Validator validator, Object privateKey) {
        public Bytes address() {
            return validator.address();
        }

        public TestValidator withPower(long power) {
            return new TestValidator(validator.withVotingPower(power), privateKey);
        }

        public Bytes sign(byte[] message) {
            if (privateKey instanceof Ed25519PrivateKeyParameters ed) {
                byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
                ed.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, sig, 0);
                return Bytes.of(sig);
            }
            return signSecp256k1((ECPrivateKeyParameters) privateKey, message, false);
        }
    }

    /**
     * ECDSA over SHA-256 with r || s; {@code highS} gives the other, high-S form of the same signature,
     * which CometBFT refuses.
     */
    public static Bytes signSecp256k1(ECPrivateKeyParameters key, byte[] message, boolean highS) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, key);
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(message);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        BigInteger[] rs = signer.generateSignature(hash);
        BigInteger n = SECP256K1.getN();
        BigInteger s = rs[1];
        boolean isHigh = s.compareTo(n.shiftRight(1)) > 0;
        if (isHigh != highS) {
            s = n.subtract(s);
        }
        byte[] out = new byte[64];
        byte[] r = unsigned32(rs[0]);
        byte[] sb = unsigned32(s);
        System.arraycopy(r, 0, out, 0, 32);
        System.arraycopy(sb, 0, out, 32, 32);
        return Bytes.of(out);
    }

    private static byte[] unsigned32(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    public TestValidator ed25519Validator(long power) {
        byte[] seed = bytes(32);
        Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(seed);
        PublicKey pub = PublicKey.ed25519(Bytes.of(priv.generatePublicKey().getEncoded()));
        return new TestValidator(new Validator(pub.address(), pub, power, random.nextInt(2001) - 1000), priv);
    }

    public TestValidator secp256k1Validator(long power) {
        BigInteger d;
        do {
            d = new BigInteger(256, random);
        } while (d.signum() == 0 || d.compareTo(SECP256K1.getN()) >= 0);
        ECPrivateKeyParameters priv = new ECPrivateKeyParameters(d, new ECDomainParameters(SECP256K1));
        PublicKey pub = PublicKey.secp256k1(Bytes.of(SECP256K1.getG().multiply(d).normalize().getEncoded(true)));
        return new TestValidator(new Validator(pub.address(), pub, power, 0), priv);
    }

    /** {@code n} validators with powers in 1..1000; about one in five uses secp256k1 when {@code mixKeys}. */
    public List<TestValidator> validators(int n, boolean mixKeys) {
        List<TestValidator> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long power = 1 + random.nextInt(1000);
            out.add(mixKeys && random.nextInt(5) == 0 ? secp256k1Validator(power) : ed25519Validator(power));
        }
        return out;
    }

    public static ValidatorSet set(List<TestValidator> vals) {
        List<Validator> list = new ArrayList<>();
        for (TestValidator v : vals) {
            list.add(v.validator());
        }
        return new ValidatorSet(list, Optional.of(list.get(0)));
    }

    public byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    public Bytes hash() {
        return Bytes.of(bytes(32));
    }

    public Header header(String chainId, long height, Instant time, ValidatorSet vals, ValidatorSet next) {
        BlockId last = height == 1 ? BlockId.EMPTY : new BlockId(hash(), new PartSetHeader(1 + random.nextInt(5), hash()));
        return new Header(new ConsensusVersion(11, random.nextInt(3)), chainId, height, time, last,
                hash(), hash(), Hashes.validatorSet(vals), Hashes.validatorSet(next), hash(), Bytes.of(bytes(random.nextInt(40))),
                hash(), hash(), vals.validators().get(0).address());
    }

    /**
     * A light block at {@code height} by {@code vals}, announcing {@code next}; validators for which
     * {@code signs} holds sign for the block, the others are absent.
     */
    public LightBlock block(String chainId, long height, Instant time, List<TestValidator> vals, List<TestValidator> next,
            Predicate<TestValidator> signs) {
        ValidatorSet set = set(vals);
        ValidatorSet nextSet = set(next);
        Header header = header(chainId, height, time, set, nextSet);
        BlockId blockId = new BlockId(Hashes.header(header), new PartSetHeader(1 + random.nextInt(3), hash()));
        return new LightBlock(new SignedHeader(header, commit(chainId, header, blockId, vals, set, signs)), set,
                Optional.of(nextSet));
    }

    /** Signs in the set's order, one slot per validator, as CometBFT lays out a commit. */
    public Commit commit(String chainId, Header header, BlockId blockId, List<TestValidator> vals, ValidatorSet set,
            Predicate<TestValidator> signs) {
        Map<Bytes, TestValidator> byAddress = new HashMap<>();
        for (TestValidator v : vals) {
            byAddress.put(v.address(), v);
        }
        int round = random.nextInt(3);
        List<CommitSig> sigs = new ArrayList<>();
        for (Validator v : set.validators()) {
            sigs.add(CommitSig.absent());
        }
        Commit unsigned = new Commit(header.height(), round, blockId, sigs);
        for (int i = 0; i < set.size(); i++) {
            TestValidator tv = byAddress.get(set.validators().get(i).address());
            if (!signs.test(tv)) {
                continue;
            }
            Instant ts = header.time().plus(Duration.ofNanos(1 + random.nextInt(2_000_000_000)));
            sigs.set(i, new CommitSig(BlockIdFlag.COMMIT, tv.address(), ts, Bytes.EMPTY));
            Commit withSlot = new Commit(header.height(), round, blockId, sigs);
            sigs.set(i, new CommitSig(BlockIdFlag.COMMIT, tv.address(), ts, tv.sign(SignBytes.precommit(chainId, withSlot, i))));
        }
        return new Commit(unsigned.height(), round, blockId, sigs);
    }

    /** A random time between 2000 and 2030 with nanoseconds. */
    public Instant time() {
        return Instant.ofEpochSecond(946_684_800L + random.nextInt(946_080_000), random.nextInt(1_000_000_000));
    }
}
