package io.wattproof.lightclient.bench;

import io.wattproof.lightclient.TestChain;
import io.wattproof.lightclient.client.LightClient;
import io.wattproof.lightclient.client.LightClientOptions;
import io.wattproof.lightclient.client.SyncResult;
import io.wattproof.lightclient.encoding.LightBlockCodec;
import io.wattproof.lightclient.encoding.SignBytes;
import io.wattproof.lightclient.provider.LightBlockProvider;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.store.MemoryLightStore;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.verifier.Verdict;
import io.wattproof.lightclient.verifier.VerificationOptions;
import io.wattproof.lightclient.verifier.Verifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Light blocks verified per second for 4, 32 and 150 validators, adjacent and skipping, next to
 * the raw Ed25519 verification rate of Bouncy Castle over the very signatures those blocks carry,
 * measured in the same rounds. Every validator signs, so each block costs exactly n signature
 * checks (skipping verifies the trusted set's signatures once and reuses them for the 2/3 tally):
 * the bound is raw rate / n blocks per second, and "% of bound" is blocks/s × n / raw rate.
 *
 * <p>Columns: {@code verify} = {@link Verifier#verify} on decoded blocks; {@code decode+verify} =
 * the untrusted block decoded from its protobuf bytes first, as it arrives; {@code client} =
 * {@link LightClient#verifyTo} over a memory store (reads the trusted block from the store, verifies,
 * writes and promotes the new one), adjacent only.
 *
 * <p>Rates are per second of process CPU time, the five measurements interleaved in slices.
 *
 * <p>Then: blocks fetched to jump 10,000 heights when 10% of the power changes every 1,000 heights.
 *
 * <p>Arguments: {@code [--rounds 3] [--seconds 5] [--sizes 4,32,150]}.
 */
public final class LightClientBench {
    private static final Instant GENESIS = Instant.parse("2026-01-01T00:00:00Z");
    private static final VerificationOptions OPTIONS = VerificationOptions.builder(Duration.ofDays(14)).build();
    private static final int BLOCKS = 33;
    private static final int SLICES = 10;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        double seconds = 5;
        List<Integer> sizes = List.of(4, 32, 150);
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--sizes" -> sizes = java.util.Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Setup> setups = new ArrayList<>();
        for (int n : sizes) {
            setups.add(new Setup(n));
        }
        System.out.printf("JDK %s, %d cores, %d round(s) of %.1f s per measurement%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), rounds, seconds);
        // Warm-up: every path once for a while, so the JIT has compiled what the rounds measure.
        for (Setup s : setups) {
            s.measure(seconds);
        }
        System.out.println();
        System.out.println("round | n | raw Ed25519 verify/s | bound blocks/s | adjacent blocks/s (% bound) | skipping blocks/s (% bound)"
                + " | decode+verify adjacent (% bound) | client adjacent (% bound)");
        for (int r = 1; r <= rounds; r++) {
            for (Setup s : setups) {
                Result x = s.measure(seconds);
                double bound = x.raw / s.n;
                System.out.printf(Locale.ROOT, "%d | %d | %,.0f | %,.1f | %,.1f (%.1f%%) | %,.1f (%.1f%%) | %,.1f (%.1f%%) | %,.1f (%.1f%%)%n",
                        r, s.n, x.raw, bound, x.adjacent, 100 * x.adjacent / bound, x.skipping, 100 * x.skipping / bound,
                        x.decodeAdjacent, 100 * x.decodeAdjacent / bound, x.client, 100 * x.client / bound);
            }
        }
        System.out.println();
        jump(10, 1);
        jump(150, 15);
        if (sink == 42) {
            System.out.println();
        }
    }

    private record Result(double raw, double adjacent, double skipping, double decodeAdjacent, double client) {}

    /** One validator set size: a chain of {@link #BLOCKS} blocks signed by all n. */
    private static final class Setup {
        final int n;
        final List<LightBlock> blocks = new ArrayList<>();
        final List<byte[]> encoded = new ArrayList<>();
        final List<Ed25519PublicKeyParameters> keys = new ArrayList<>();
        final List<byte[]> messages = new ArrayList<>();
        final List<byte[]> signatures = new ArrayList<>();
        final Instant now;
        final Verifier verifier = new Verifier();

        Setup(int n) {
            this.n = n;
            java.util.Map<io.wattproof.lightclient.types.Bytes, Ed25519PublicKeyParameters> parsed = new java.util.HashMap<>();
            TestChain chain = new TestChain(n, "bench-chain", GENESIS, Duration.ofSeconds(1), BLOCKS, TestChain.fixed(1000 + n, n));
            for (long h = 1; h <= BLOCKS; h++) {
                LightBlock b = chain.block(h);
                blocks.add(b);
                encoded.add(LightBlockCodec.encode(b));
                for (int i = 0; i < b.commit().signatures().size(); i++) {
                    CommitSig s = b.commit().signatures().get(i);
                    if (s.blockIdFlag() != BlockIdFlag.COMMIT) {
                        throw new IllegalStateException("every validator should have signed");
                    }
                    // One parsed key per validator, shared by its signatures, as the verifier's key cache has it.
                    keys.add(parsed.computeIfAbsent(s.validatorAddress(), a -> new Ed25519PublicKeyParameters(
                            b.validators().byAddress(a).orElseThrow().publicKey().bytes().toArray())));
                    messages.add(SignBytes.precommit(chain.chainId(), b.commit(), i));
                    signatures.add(s.signature().toArray());
                }
            }
            now = chain.header(BLOCKS).time().plusSeconds(1);
        }

        /**
         * The five measurements in turns of {@code seconds / SLICES} each, so that a change in the
         * machine's load hits all of them alike; each rate is operations per second of this process's
         * CPU time (garbage collection included), not of wall time, which other work on the machine
         * would stretch.
         */
        Result measure(double seconds) throws Exception {
            double slice = seconds / SLICES;
            long[] ops = new long[5];
            long[] cpu = new long[5];
            for (int i = 0; i < SLICES; i++) {
                for (int kind = 0; kind < 5; kind++) {
                    long c0 = processCpuNanos();
                    ops[kind] += switch (kind) {
                        case 0 -> raw(slice);
                        case 1 -> adjacent(slice);
                        case 2 -> skipping(slice);
                        case 3 -> decodeAdjacent(slice);
                        default -> client(slice);
                    };
                    cpu[kind] += processCpuNanos() - c0;
                }
            }
            double[] rate = new double[5];
            for (int k = 0; k < 5; k++) {
                rate[k] = ops[k] / (cpu[k] / 1e9);
            }
            return new Result(rate[0], rate[1], rate[2], rate[3], rate[4]);
        }

        /** Bouncy Castle alone over the blocks' own signatures, keys parsed beforehand (as the verifier caches them). */
        long raw(double seconds) {
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long count = 0;
            int ok = 0;
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < 16; i++) {
                    if (verifyRaw((int) (count % keys.size()))) {
                        ok++;
                    }
                    count++;
                }
            }
            check(ok == count, "raw verification failed");
            return count;
        }

        /** A method of its own, compiled as the verifier's call is, not inside the timing loop's on-stack replacement. */
        private boolean verifyRaw(int k) {
            byte[] m = messages.get(k);
            byte[] sig = signatures.get(k);
            return keys.get(k).verify(Ed25519.Algorithm.Ed25519, null, m, 0, m.length, sig, 0);
        }

        long adjacent(double seconds) {
            return loop(seconds, i -> {
                int t = i % (BLOCKS - 1);
                return verifier.verify(blocks.get(t), blocks.get(t + 1), OPTIONS, now);
            });
        }

        long skipping(double seconds) {
            return loop(seconds, i -> verifier.verify(blocks.get(0), blocks.get(2 + i % (BLOCKS - 2)), OPTIONS, now));
        }

        long decodeAdjacent(double seconds) {
            return loop(seconds, i -> {
                int t = i % (BLOCKS - 1);
                LightBlock untrusted;
                try {
                    untrusted = LightBlockCodec.decode(encoded.get(t + 1));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return verifier.verify(blocks.get(t), untrusted, OPTIONS, now);
            });
        }

        /** The whole client, one adjacent height per call; a fresh store every pass over the chain. */
        long client(double seconds) throws Exception {
            LightBlockProvider provider = new LightBlockProvider() {
                public String id() {
                    return "bench";
                }

                public LightBlock lightBlock(long height) {
                    return blocks.get((int) height - 1);
                }

                public LightBlock latest() {
                    return blocks.get(BLOCKS - 1);
                }
            };
            Clock clock = Clock.fixed(now, ZoneOffset.UTC);
            LightClientOptions options = LightClientOptions.builder(OPTIONS).keepBlocks(10).build();
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long count = 0;
            while (System.nanoTime() < deadline) {
                LightClient lc = new LightClient(new MemoryLightStore(), provider, List.of(), options, clock, verifier);
                lc.initialise(blocks.get(0));
                for (long h = 2; h <= BLOCKS && System.nanoTime() < deadline; h++) {
                    SyncResult r = lc.verifyTo(h);
                    check(r instanceof SyncResult.Verified, r.describe());
                    count++;
                }
            }
            return count;
        }

        private long loop(double seconds, java.util.function.IntFunction<Verdict> step) {
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            int count = 0;
            while (System.nanoTime() < deadline) {
                Verdict v = step.apply(count);
                check(v.isSuccess(), v.explanation());
                count++;
            }
            sink += count;
            return count;
        }
    }

    /** Blocks fetched to go from height 1 to 10,001 when 10% of the power is replaced every 1,000 heights. */
    private static void jump(int n, int replaced) throws Exception {
        long top = 10_001;
        TestChain chain = new TestChain(7, "bench-chain", GENESIS, Duration.ofSeconds(1), top,
                TestChain.rotating(70 + n, n, replaced, 1000, top));
        List<Long> fetched = new ArrayList<>();
        LightBlockProvider provider = new LightBlockProvider() {
            public String id() {
                return "counting";
            }

            public LightBlock lightBlock(long height) throws ProviderException {
                fetched.add(height);
                return chain.block(height);
            }

            public LightBlock latest() throws ProviderException {
                return lightBlock(top);
            }
        };
        LightClient lc = new LightClient(new MemoryLightStore(), provider, List.of(),
                LightClientOptions.builder(OPTIONS).build(), Clock.fixed(chain.header(top).time().plusSeconds(1), ZoneOffset.UTC));
        lc.initialise(chain.block(1));
        SyncResult r = lc.verifyTo(top);
        check(r instanceof SyncResult.Verified, r.describe());
        System.out.printf(Locale.ROOT, "jump 1 -> %d, %d validators, %d replaced every 1000 heights (%d%% of the power): "
                + "%d light blocks fetched, heights %s%n", top, n, replaced, 100 * replaced / n, fetched.size(), fetched);
    }

    private static long processCpuNanos() {
        return OS.getProcessCpuTime();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
