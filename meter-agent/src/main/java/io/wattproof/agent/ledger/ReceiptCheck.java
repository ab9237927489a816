package io.wattproof.agent.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.agent.record.SignedRecord;
import io.wattproof.lightclient.tx.ResultInclusion;
import io.wattproof.lightclient.tx.ResultProof;
import io.wattproof.lightclient.tx.ResultVerdict;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.tx.TxVerdict;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.ExecResult;
import io.wattproof.lightclient.types.Header;
import io.wattproof.protocol.v1.MerkleProof;
import io.wattproof.protocol.v1.Receipt;
import io.wattproof.protocol.v1.TxResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what a receipt from the gateway proves (docs/ledger.md, "What the agent does"). Pure:
 * bytes, the stored record and a header in, a {@link ReceiptVerdict} out; never throws on any
 * receipt bytes.
 *
 * <p>A record is final only when all of this holds: the receipt claims inclusion ({@code
 * RESULT_OK}, or {@code RESULT_ALREADY_INCLUDED}, the answer to a re-submission, which points at
 * the block that holds the first copy: the transaction is in that block just the same); its proof's
 * {@code data} is byte for byte the {@code SignedTx} the agent stored (CometBFT's tx hash is SHA-256
 * of exactly those bytes, types/tx.go {@code Tx.Hash}); the proof leads from that transaction to
 * its root (crypto/merkle/proof.go {@code Proof.Verify}); and that root is the {@code data_hash} of
 * the header at the receipt's height, which the caller verified through the light client. The
 * header is the one thing trusted here, and only because the light client verified it.
 *
 * <p>A receipt with a {@code result_proof} proves its code too: the result bytes must be leaf
 * {@code index} (the inclusion proof's) of the tree whose root is {@code last_results_hash} of the
 * verified header at {@code height + 1} (types/results.go; spec core/data_structures.md, "Header"),
 * and the receipt's code must be the proven one ({@code RESULT_ALREADY_INCLUDED} claims code 0).
 * Such a receipt may also be a refusal proven by the block (the transaction is in the block but the
 * application refused it). A receipt without one is checked for inclusion only, as before result
 * proofs existed, so gateways that do not build them keep working; a device that must know a
 * transaction was accepted (a booking) demands the result proof.
 */
public final class ReceiptCheck {
    static final int RESULT_OK = TxResultCode.RESULT_OK_VALUE;
    static final int RESULT_ALREADY_INCLUDED = TxResultCode.RESULT_ALREADY_INCLUDED_VALUE;
    /** A SHA-256 hash. */
    private static final int HASH_BYTES = 32;
    /** Far above any log a ledger writes; a longer one is not worth keeping in memory or in a log line. */
    private static final int MAX_LOG_CHARS = 1024;

    private ReceiptCheck() {}

    /** CometBFT's tx hash ({@code Tx.Hash}) of a stored record: SHA-256 of its {@code SignedTx} bytes. */
    public static Bytes txHash(SignedRecord record) {
        return TxInclusion.txHash(Bytes.of(record.signedTx()));
    }

    /** Parses a {@code Receipt} and checks its fields are in range; nothing is verified. */
    public static ReceiptReading read(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Receipt r;
        try {
            r = Receipt.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return new ReceiptVerdict.Malformed("receipt", "a wattproof.v1.Receipt", "unparseable " + bytes.length + " bytes: "
                    + e.getMessage());
        }
        if (r.getTxHash().size() != HASH_BYTES) {
            return new ReceiptVerdict.Malformed("tx_hash", HASH_BYTES + " bytes", r.getTxHash().size() + " bytes");
        }
        if (r.getHeight() < 0) {
            return new ReceiptVerdict.Malformed("height", "≥ 0", Long.toString(r.getHeight()));
        }
        // uint32 on the wire; Java reads it signed. Codes above int max are no code we know.
        int code = r.getCode();
        if (code < 0) {
            return new ReceiptVerdict.Malformed("code", "a TxResultCode", Integer.toUnsignedString(code));
        }
        // The log goes into the agent's log lines: no line breaks or escapes from the gateway.
        String printable = r.getLog().replaceAll("\\p{Cntrl}", "?");
        String log = printable.length() > MAX_LOG_CHARS ? printable.substring(0, MAX_LOG_CHARS) + "..." : printable;
        Bytes txHash = Bytes.of(r.getTxHash().toByteArray());
        boolean inclusion = code == RESULT_OK || code == RESULT_ALREADY_INCLUDED;
        if (!inclusion && !r.hasResultProof()) {
            // A refusal without a result proof: the proof, if any, is not looked at (see RefusedByLedger).
            return new LedgerReceipt(txHash, code, log, r.getHeight(), Optional.empty());
        }
        // From here on the receipt claims a block: inclusion, or a refusal the block's results prove.
        String claim = inclusion ? "with code " + codeName(code) : "with a result_proof";
        if (r.getHeight() == 0) {
            return new ReceiptVerdict.Malformed("height", "the height of the block holding the transaction (≥ 1) " + claim, "0");
        }
        if (!r.hasProof()) {
            return new ReceiptVerdict.Malformed("proof", "an inclusion proof " + claim, "none");
        }
        io.wattproof.protocol.v1.TxProof p = r.getProof();
        if (!p.hasProof()) {
            return new ReceiptVerdict.Malformed("proof.proof", "the Merkle path (tendermint.crypto.Proof)", "none");
        }
        MerkleProof m = p.getProof();
        TxProof proof = new TxProof(Bytes.of(p.getRootHash().toByteArray()), Bytes.of(p.getData().toByteArray()), m.getTotal(),
                m.getIndex(), Bytes.of(m.getLeafHash().toByteArray()), aunts(m));
        if (!r.hasResultProof()) {
            return new LedgerReceipt(txHash, code, log, r.getHeight(), Optional.of(proof));
        }
        if (!r.getResultProof().hasProof()) {
            return new ReceiptVerdict.Malformed("result_proof.proof", "the Merkle path (tendermint.crypto.Proof)", "none");
        }
        return new LedgerReceipt(txHash, code, log, r.getHeight(), Optional.of(proof), Optional.of(resultProof(r.getResultProof())));
    }

    /** A {@code wattproof.v1.ResultProof} as {@link ResultInclusion} checks it; nothing verified. A missing path reads as total 0. */
    public static ResultProof resultProof(io.wattproof.protocol.v1.ResultProof wire) {
        MerkleProof m = wire.getProof();
        return new ResultProof(Bytes.of(wire.getResult().toByteArray()), m.getTotal(), m.getIndex(),
                Bytes.of(m.getLeafHash().toByteArray()), aunts(m));
    }

    private static List<Bytes> aunts(MerkleProof m) {
        List<Bytes> aunts = new ArrayList<>(m.getAuntsCount());
        for (int i = 0; i < m.getAuntsCount(); i++) {
            aunts.add(Bytes.of(m.getAunts(i).toByteArray()));
        }
        return aunts;
    }

    /**
     * The result the block committed for the receipt's transaction, proven against {@code
     * verifiedNext}, the header of {@code height + 1} that the light client verified (CometBFT
     * commits block h's results in h + 1's {@code last_results_hash}). The leaf must be at the index
     * of the receipt's inclusion proof, so verify that proof against header {@code height} too
     * ({@link #check(LedgerReceipt, SignedRecord, Header, Header)} does both). Pure; for any signed
     * transaction's receipt, e.g. a booking's.
     *
     * @throws IllegalArgumentException when the receipt carries no inclusion proof or no result proof
     */
    public static ResultVerdict verifyResult(LedgerReceipt receipt, Header verifiedNext) {
        TxProof inclusion = receipt.proof().orElseThrow(() -> new IllegalArgumentException("receipt has no inclusion proof"));
        ResultProof result = receipt.resultProof().orElseThrow(() -> new IllegalArgumentException("receipt has no result proof"));
        return ResultInclusion.verify(result, receipt.height(), inclusion.index(), verifiedNext);
    }

    /**
     * What {@code receipt} proves about {@code record}, given the headers at the receipt's height
     * and the one after it, both verified by the light client. {@code record} is the stored record
     * whose tx hash the receipt names (anything else is {@link ReceiptVerdict.NotOurs}). Final only
     * when the inclusion proof holds and the result proof proves code 0; a proven refusal is {@link
     * ReceiptVerdict.RefusedByLedger}; a code that is not the proven one is {@link
     * ReceiptVerdict.Forged}. Without a result proof this is {@link #check(LedgerReceipt,
     * SignedRecord, Header)}.
     *
     * @throws IllegalArgumentException when a header's height is not the receipt's (or the receipt's
     *     + 1): the caller verified the wrong block
     */
    public static ReceiptVerdict check(LedgerReceipt receipt, SignedRecord record, Header verified, Header verifiedNext) {
        Objects.requireNonNull(receipt, "receipt");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(verified, "verified header");
        Objects.requireNonNull(verifiedNext, "verified next header");
        if (receipt.resultProof().isEmpty()) {
            return check(receipt, record, verified);
        }
        return withResult(receipt, Bytes.of(record.signedTx()), record.sequence(), verified, verifiedNext);
    }

    /**
     * What {@code receipt} proves about {@code signedTx}, a transaction that is no record of the
     * device's chain: one the device sent (a {@code PileOffer}, a {@code SessionStart}), or one it
     * must know was accepted before acting on it (a {@code Booking} of its offer, whose receipt
     * carries the transaction as {@code proof.data}). Inclusion against {@code verified} and the
     * result against {@code verifiedNext}, as for records; but the code is never taken on trust: a
     * receipt without a result proof is {@link TxReceiptVerdict.Unproven}.
     *
     * @throws IllegalArgumentException when a header's height is not the receipt's (or the receipt's
     *     + 1): the caller verified the wrong block
     */
    public static TxReceiptVerdict checkTransaction(LedgerReceipt receipt, byte[] signedTx, Header verified, Header verifiedNext) {
        Objects.requireNonNull(receipt, "receipt");
        Objects.requireNonNull(signedTx, "signed tx");
        Objects.requireNonNull(verified, "verified header");
        Objects.requireNonNull(verifiedNext, "verified next header");
        Bytes tx = Bytes.of(signedTx);
        if (!TxInclusion.txHash(tx).equals(receipt.txHash())) {
            return new TxReceiptVerdict.NotOurs(receipt.txHash());
        }
        if (receipt.resultProof().isEmpty()) {
            return new TxReceiptVerdict.Unproven(receipt.code(), receipt.height());
        }
        // Sequence 0 is no record's (records count from 1); it only travels inside the verdict mapped below.
        return switch (withResult(receipt, tx, 0, verified, verifiedNext)) {
            case ReceiptVerdict.Final f -> new TxReceiptVerdict.Accepted(f.height(), f.alreadyIncluded());
            case ReceiptVerdict.RefusedByLedger r -> new TxReceiptVerdict.Refused(receipt.height(), r.code(), r.log());
            case ReceiptVerdict.Forged f -> new TxReceiptVerdict.Forged(f.height(), f.what(), f.expected(), f.actual());
            case ReceiptVerdict.NotOurs n -> new TxReceiptVerdict.NotOurs(n.txHash());
            case ReceiptVerdict.Malformed m -> throw new IllegalStateException(m.describe());
        };
    }

    /** Inclusion and result of {@code stored} (the record {@code sequence}, or 0), the receipt carrying a result proof. */
    private static ReceiptVerdict withResult(LedgerReceipt receipt, Bytes stored, long sequence, Header verified, Header verifiedNext) {
        if (!TxInclusion.txHash(stored).equals(receipt.txHash())) {
            return new ReceiptVerdict.NotOurs(receipt.txHash());
        }
        if (verifiedNext.height() != receipt.height() + 1) {
            throw new IllegalArgumentException("next header height: expected " + (receipt.height() + 1) + " (the receipt's + 1), got "
                    + verifiedNext.height());
        }
        ReceiptVerdict inclusion = inclusion(receipt, stored, sequence, verified);
        if (!(inclusion instanceof ReceiptVerdict.Final)) {
            return inclusion;
        }
        ExecResult proven;
        switch (verifyResult(receipt, verifiedNext)) {
            case ResultVerdict.Verified v -> proven = v.result();
            case ResultVerdict.IndexMismatch f -> {
                return forged(sequence, receipt, "result_proof.proof.index", f.txIndex() + " (the index of the inclusion proof)",
                        Long.toString(f.proofIndex()));
            }
            case ResultVerdict.IndexOutOfRange f -> {
                return forged(sequence, receipt, "result_proof.proof.index", "0 ≤ index < total " + f.total(), Long.toString(f.index()));
            }
            case ResultVerdict.AuntCountMismatch f -> {
                return forged(sequence, receipt, "result_proof.proof.aunts", f.expected() + " aunts for leaf " + f.index() + " of "
                        + f.total(), f.actual() + " aunts");
            }
            case ResultVerdict.LeafHashMismatch f -> {
                return forged(sequence, receipt, "result_proof.proof.leaf_hash", f.expected().hex(), f.actual().hex());
            }
            case ResultVerdict.RootMismatch f -> {
                return forged(sequence, receipt, "result_proof", f.lastResultsHash().hex() + " (last_results_hash of the verified header at"
                        + " height " + f.height() + ")", f.computed().hex() + " (from the result and aunts)");
            }
            case ResultVerdict.MalformedResult f -> {
                return forged(sequence, receipt, "result_proof.result", "an ExecTxResult", f.reason());
            }
            // The heights were checked above.
            case ResultVerdict.HeightMismatch f -> throw new IllegalStateException(f.describe());
        }
        // RESULT_ALREADY_INCLUDED claims what RESULT_OK claims: the block accepted the transaction.
        long claimed = receipt.claimsInclusion() ? RESULT_OK : Integer.toUnsignedLong(receipt.code());
        if (proven.code() != claimed) {
            return forged(sequence, receipt, "code", proven.code() + " (the result the block committed, "
                    + "last_results_hash of height " + verifiedNext.height() + ")", Integer.toUnsignedString(receipt.code()));
        }
        if (!proven.isOk()) {
            return new ReceiptVerdict.RefusedByLedger(sequence, receipt.code(), receipt.log());
        }
        return inclusion;
    }

    /**
     * {@link #check(LedgerReceipt, SignedRecord, Header, Header)} without the next header: inclusion
     * only, for receipts without a result proof (gateways that do not build one). The receipt's code
     * is then taken on trust: {@code RESULT_OK} with a proof is final, any other code a refusal.
     *
     * @throws IllegalArgumentException when a receipt claiming inclusion comes with a header of
     *     another height: the caller verified the wrong block
     */
    public static ReceiptVerdict check(LedgerReceipt receipt, SignedRecord record, Header verified) {
        Objects.requireNonNull(receipt, "receipt");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(verified, "verified header");
        Bytes stored = Bytes.of(record.signedTx());
        if (!TxInclusion.txHash(stored).equals(receipt.txHash())) {
            return new ReceiptVerdict.NotOurs(receipt.txHash());
        }
        if (!receipt.claimsInclusion()) {
            return new ReceiptVerdict.RefusedByLedger(record.sequence(), receipt.code(), receipt.log());
        }
        return inclusion(receipt, stored, record.sequence(), verified);
    }

    /** The inclusion proof against the verified header: Final, or Forged naming the failed check. */
    private static ReceiptVerdict inclusion(LedgerReceipt receipt, Bytes stored, long sequence, Header verified) {
        if (verified.height() != receipt.height()) {
            throw new IllegalArgumentException("header height: expected " + receipt.height() + " (the receipt's), got "
                    + verified.height());
        }
        TxProof proof = receipt.proof().orElseThrow(() -> new IllegalArgumentException("a receipt claiming inclusion without proof"));
        if (!proof.data().equals(stored)) {
            return new ReceiptVerdict.Forged(sequence, receipt.height(), "proof.data",
                    "the stored SignedTx " + abbreviate(stored), abbreviate(proof.data()));
        }
        TxVerdict v = TxInclusion.verify(proof, verified);
        return switch (v) {
            case TxVerdict.Verified ok -> new ReceiptVerdict.Final(sequence, receipt.height(),
                    receipt.code() == RESULT_ALREADY_INCLUDED);
            case TxVerdict.IndexOutOfRange f -> forged(sequence, receipt, "proof.proof.index", "0 ≤ index < total " + f.total(),
                    Long.toString(f.index()));
            case TxVerdict.AuntCountMismatch f -> forged(sequence, receipt, "proof.proof.aunts",
                    f.expected() + " aunts for leaf " + f.index() + " of " + f.total(), f.actual() + " aunts");
            case TxVerdict.LeafHashMismatch f -> forged(sequence, receipt, "proof.proof.leaf_hash", f.expected().hex(), f.actual().hex());
            case TxVerdict.RootMismatch f -> forged(sequence, receipt, "proof.root_hash",
                    f.computed().hex() + " (from the leaf and aunts)", f.rootHash().hex());
            case TxVerdict.DataHashMismatch f -> forged(sequence, receipt, "proof.root_hash",
                    f.dataHash().hex() + " (data_hash of the verified header at height " + f.height() + ")", f.rootHash().hex());
            // Only the IndexedTx checks produce these; kept so that a new verdict cannot pass as final.
            default -> forged(sequence, receipt, "proof", "a proof that verifies", v.describe());
        };
    }

    private static ReceiptVerdict forged(long sequence, LedgerReceipt receipt, String what, String expected, String actual) {
        return new ReceiptVerdict.Forged(sequence, receipt.height(), what, expected, actual);
    }

    /** {@code RESULT_OK (0)}, or the bare number for a code this version does not know. */
    public static String codeName(int code) {
        TxResultCode c = TxResultCode.forNumber(code);
        return c == null ? Integer.toString(code) : c.name() + " (" + code + ")";
    }

    private static String abbreviate(Bytes b) {
        String hex = b.hex();
        return hex.length() > 40 ? hex.substring(0, 37) + "... (" + b.length() + " bytes)" : hex + " (" + b.length() + " bytes)";
    }
}
