package io.wattproof.simulator.ledger.app;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.VerifyingKey;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One registered device in the application's state. Mutable, touched only by the thread that
 * executes blocks; readers see {@link AppSnapshot.DeviceView}s made from it at commit.
 */
final class DeviceState {
    private static final byte[] EMPTY = new byte[0];
    /** How many recent record hashes are kept to tell "the same record again" from "another body". */
    private static final int RECENT = 16;

    final DeviceId id;
    final byte[] idBytes;
    final KeyAlgorithm algorithm;
    final byte[] publicKeyInfo;
    /** Parsed once: parsing a point costs as much as a verification (VerifyingKey). Not state. */
    final VerifyingKey key;
    final String board;
    final String location;
    final String account;

    boolean revoked;
    /** The successor after a ROTATE, or null. */
    DeviceId rotatedTo;
    /** Highest sequence accepted (0: none). */
    long head;
    /** Record hash of the head (empty when head is 0). */
    byte[] headHash = EMPTY;
    /** End (epoch s) of the head record's interval; 0 before any (interval starts are at least 0). */
    long headIntervalEnd;
    long accepted;
    /** Open gaps by their lowest missing sequence; never adjacent or overlapping. */
    final TreeMap<Long, Gap> gaps = new TreeMap<>();
    /** Sum of (to - from + 1) over the gaps. */
    long missing;

    /**
     * Record hashes of the last {@value #RECENT} accepted records, only to word a duplicate's
     * refusal. Not hashed into the app hash: the chain links already commit to every accepted
     * record, and this is a function of them.
     */
    private final long[] recentSequence = new long[RECENT];
    private final byte[][] recentHash = new byte[RECENT][];
    private int recentNext;

    /** SHA-256 of this device's canonical encoding; null when it changed since last computed. */
    private byte[] cachedHash;

    DeviceState(VerifyingKey key, String board, String location, String account) {
        this.key = key;
        this.id = key.deviceId();
        this.idBytes = id.bytes();
        this.algorithm = key.algorithm();
        this.publicKeyInfo = key.subjectPublicKeyInfo();
        this.board = board;
        this.location = location;
        this.account = account;
    }

    /**
     * The missing sequences {@code from..to}, with what the records at both ends said: the record
     * hash of {@code from - 1} (empty when from is 1) and where its interval ended, and the
     * {@code previous_hash} of {@code to + 1} and where its interval started. docs/ledger.md: a gap
     * is filled from its lower end only, and the record that closes it must hash to
     * {@code upperPreviousHash}.
     */
    record Gap(long from, long to, byte[] lowerHash, long lowerIntervalEnd, byte[] upperPreviousHash, long upperIntervalStart) {
        long size() {
            return to - from + 1;
        }
    }

    Gap gapHolding(long sequence) {
        Map.Entry<Long, Gap> e = gaps.floorEntry(sequence);
        return e != null && sequence <= e.getValue().to() ? e.getValue() : null;
    }

    void appendHead(long sequence, byte[] recordHash, long intervalStart, long intervalEnd, byte[] previousHash) {
        if (sequence > head + 1) {
            Gap gap = new Gap(head + 1, sequence - 1, headHash, headIntervalEnd, previousHash, intervalStart);
            gaps.put(gap.from(), gap);
            missing += gap.size();
        }
        head = sequence;
        headHash = recordHash;
        headIntervalEnd = intervalEnd;
        accepted(sequence, recordHash);
    }

    /** {@code sequence} is the gap's {@code from}; the record's links were checked. */
    void fill(Gap gap, byte[] recordHash, long intervalEnd) {
        gaps.remove(gap.from());
        missing--;
        if (gap.from() < gap.to()) {
            gaps.put(gap.from() + 1, new Gap(gap.from() + 1, gap.to(), recordHash, intervalEnd, gap.upperPreviousHash(),
                    gap.upperIntervalStart()));
        }
        accepted(gap.from(), recordHash);
    }

    private void accepted(long sequence, byte[] recordHash) {
        accepted++;
        recentSequence[recentNext] = sequence;
        recentHash[recentNext] = recordHash;
        recentNext = (recentNext + 1) % RECENT;
        changed();
    }

    /** The record hash of {@code sequence} if it is among the recent ones, else null. */
    byte[] recentHashOf(long sequence) {
        for (int i = 0; i < RECENT; i++) {
            if (recentHash[i] != null && recentSequence[i] == sequence) {
                return recentHash[i];
            }
        }
        return null;
    }

    void changed() {
        cachedHash = null;
    }

    /**
     * SHA-256 over the device's canonical encoding, cached until it changes (so a block hashes only
     * the devices it touched): device id (20), algorithm wire number (u8), public key info, board,
     * location, account (length-prefixed), revoked (u8), successor (u8 0, or u8 1 and 20 bytes),
     * head (i64), head record hash (length-prefixed, 0 or 32 bytes), head interval end (i64),
     * accepted count (i64), gap count (u32) and per gap in sequence order: from, to (i64), lower
     * hash (length-prefixed), lower interval end (i64), upper previous hash (length-prefixed),
     * upper interval start (i64).
     */
    byte[] stateHash() {
        if (cachedHash == null) {
            HashWriter w = new HashWriter().raw(idBytes).u8(algorithm.wireNumber()).bytes(publicKeyInfo)
                    .text(board).text(location).text(account).bool(revoked);
            if (rotatedTo == null) {
                w.u8(0);
            } else {
                w.u8(1).raw(rotatedTo.bytes());
            }
            w.i64(head).bytes(headHash).i64(headIntervalEnd).i64(accepted).u32(gaps.size());
            for (Gap g : gaps.values()) {
                w.i64(g.from()).i64(g.to()).bytes(g.lowerHash()).i64(g.lowerIntervalEnd()).bytes(g.upperPreviousHash())
                        .i64(g.upperIntervalStart());
            }
            cachedHash = w.finish();
        }
        return cachedHash;
    }

    static int compareIds(DeviceState a, DeviceState b) {
        return Arrays.compareUnsigned(a.idBytes, b.idBytes);
    }
}
