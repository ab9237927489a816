package io.wattproof.ota.metadata;

import io.wattproof.ota.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The device's durable update trust: the trusted root (its Signed bytes as received) and the
 * {@link LastTargets}, in one file {@value #FILE} written whole and durably
 * ({@link DurableFiles}). TUF §5.2 and §5.3 keep the trusted root across runs ("persist root
 * metadata"), and the rollback and mix-and-match checks of §5.5/§5.6 only hold if the last trusted
 * targets survive a restart, so every change is on disk before its result is used.
 *
 * <p>File, big-endian: magic {@code WPTS}, format 1 (u16), root length (u32), the root's Signed
 * bytes, targets version (u64), hash length (u8: 0 with version 0, else 32), the hash, then CRC-32
 * of all bytes before it. A file that fails any check, or whose root no longer verifies, loads as
 * {@link State.Corrupt} and is left in place for inspection; nothing is trusted from it.
 */
public final class TrustStore {
    public static final String FILE = "ota-trust.bin";
    static final int MAGIC = 0x57505453; // "WPTS"
    static final short FORMAT = 1;
    /** A root far larger than any real one (a few keys) is damage, not metadata. */
    static final int MAX_ROOT_LENGTH = 1 << 20;

    private final Path dir;

    public TrustStore(Path dir) {
        this.dir = dir;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    /** What the file holds. */
    public sealed interface State {
        /** No file: the device was never provisioned. */
        record Empty() implements State {}

        record Trusted(TrustedRoot root, LastTargets last) implements State {}

        /** The file exists but cannot be trusted; {@code reason} names what is wrong with it. */
        record Corrupt(String reason) implements State {}
    }

    /** Reads the file; never throws on its content. */
    public State load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file());
        } catch (NoSuchFileException e) {
            return new State.Empty();
        } catch (IOException e) {
            return new State.Corrupt(file() + ": cannot be read (" + e.getMessage() + ")");
        }
        return decode(bytes);
    }

    static State decode(byte[] bytes) {
        int fixed = 4 + 2 + 4 + 8 + 1 + 4;
        if (bytes.length < fixed) {
            return corrupt("length", "at least " + fixed + " bytes", bytes.length + " bytes");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int stored = b.getInt(bytes.length - 4);
        if ((int) crc.getValue() != stored) {
            return corrupt("crc32", Integer.toHexString((int) crc.getValue()), Integer.toHexString(stored));
        }
        if (b.getInt() != MAGIC) {
            return corrupt("magic", "WPTS", Integer.toHexString(b.getInt(0)));
        }
        short format = b.getShort();
        if (format != FORMAT) {
            return corrupt("format", FORMAT, format);
        }
        int rootLength = b.getInt();
        if (rootLength < 1 || rootLength > MAX_ROOT_LENGTH || rootLength > bytes.length - fixed) {
            return corrupt("root length", "1.." + Math.min(MAX_ROOT_LENGTH, bytes.length - fixed), Integer.toUnsignedString(rootLength));
        }
        byte[] signedRoot = new byte[rootLength];
        b.get(signedRoot);
        long version = b.getLong();
        int hashLength = Byte.toUnsignedInt(b.get());
        if (hashLength != b.remaining() - 4) {
            return corrupt("targets hash length", b.remaining() - 4, hashLength);
        }
        byte[] hash = new byte[hashLength];
        b.get(hash);
        LastTargets last;
        try {
            last = new LastTargets(version, hash);
        } catch (IllegalArgumentException e) {
            return corrupt("last targets", "version 0 with no hash or version ≥ 1 with 32 bytes", e.getMessage());
        }
        // Verified again on every load: a file whose root was damaged in a way the CRC missed, or
        // written by something else, must not become trust.
        return switch (TrustedRoot.provision(signedRoot)) {
            case Verdict.Refused<TrustedRoot> r -> corrupt("root", "a root signed by a threshold of its keys", r.refusal().message());
            case Verdict.Accepted<TrustedRoot> a -> new State.Trusted(a.value(), last);
        };
    }

    static byte[] encode(TrustedRoot root, LastTargets last) {
        byte[] signedRoot = root.signed();
        byte[] hash = last.bodySha256();
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + 4 + signedRoot.length + 8 + 1 + hash.length + 4);
        b.putInt(MAGIC).putShort(FORMAT).putInt(signedRoot.length).put(signedRoot).putLong(last.version()).put((byte) hash.length).put(hash);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static State corrupt(String field, Object expected, Object actual) {
        return new State.Corrupt(FILE + " " + field + ": expected " + expected + ", got " + actual);
    }

    /**
     * Installs the first root ({@link TrustedRoot#provision}) with no targets trusted yet. An
     * existing file, valid or damaged, is kept unless {@code replace}: provisioning again forgets
     * the rotations and the last targets, which re-opens rollback to anything they superseded.
     *
     * @throws FileAlreadyExistsException if the file exists and {@code replace} is false
     */
    public Verdict<TrustedRoot> provision(byte[] signedRoot, boolean replace) throws IOException {
        if (!replace && Files.exists(file())) {
            throw new FileAlreadyExistsException(file().toString(), null, "a trust state exists; provisioning again would forget its rotations and last targets");
        }
        Verdict<TrustedRoot> verdict = TrustedRoot.provision(signedRoot);
        if (verdict instanceof Verdict.Accepted<TrustedRoot> a) {
            write(a.value(), LastTargets.NONE);
        }
        return verdict;
    }

    /**
     * Rotates to the last of {@code signedNewRoots} ({@link RootUpdate#verifyChain}). Written only
     * when every step verifies; otherwise the file is not touched. The last targets are kept: their
     * version still bounds what may follow, and {@link TargetsCheck} refuses targets of the old root.
     */
    public Verdict<TrustedRoot> applyRoots(List<byte[]> signedNewRoots, Instant now) throws IOException {
        return switch (load()) {
            case State.Trusted t -> {
                Verdict<TrustedRoot> verdict = RootUpdate.verifyChain(t.root(), signedNewRoots, now);
                if (verdict instanceof Verdict.Accepted<TrustedRoot> a) {
                    write(a.value(), t.last());
                }
                yield verdict;
            }
            case State.Empty e -> notTrusted("none (not provisioned)");
            case State.Corrupt c -> notTrusted("damaged: " + c.reason());
        };
    }

    /**
     * Checks targets against the stored root and last targets ({@link TargetsCheck#verify}); on
     * acceptance the new {@link LastTargets} is on disk before the result is returned, so a
     * restart cannot forget it and accept an older release again.
     */
    public Verdict<VerifiedTargets> acceptTargets(byte[] signedTargets, Instant now) throws IOException {
        return switch (load()) {
            case State.Trusted t -> {
                Verdict<VerifiedTargets> verdict = TargetsCheck.verify(t.root(), signedTargets, now, t.last());
                if (verdict instanceof Verdict.Accepted<VerifiedTargets> a && !a.value().last().equals(t.last())) {
                    write(t.root(), a.value().last());
                }
                yield verdict;
            }
            case State.Empty e -> notTrusted("none (not provisioned)");
            case State.Corrupt c -> notTrusted("damaged: " + c.reason());
        };
    }

    private static <T> Verdict<T> notTrusted(String actual) {
        return Verdict.refused(Refusal.Reason.MALFORMED, FILE, "a provisioned trust state", actual);
    }

    private void write(TrustedRoot root, LastTargets last) throws IOException {
        Files.createDirectories(dir);
        DurableFiles.replace(file(), encode(root, last));
    }

    @Override
    public String toString() {
        return "TrustStore[" + file() + "]";
    }
}
