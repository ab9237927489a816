package io.wattproof.agent.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.agent.record.SignedRecord;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.tx.TxVerdict;
import io.wattproof.lightclient.types.Bytes;
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
        if (!inclusion) {
            // A refusal: the proof, if any, is not looked at (see RefusedByLedger).
            return new LedgerReceipt(txHash, code, log, r.getHeight(), Optional.empty());
        }
        if (r.getHeight() == 0) {
            return new ReceiptVerdict.Malformed("height", "the height of the block holding the transaction (≥ 1) with code "
                    + codeName(code), "0");
        }
        if (!r.hasProof()) {
            return new ReceiptVerdict.Malformed("proof", "an inclusion proof with code " + codeName(code), "none");
        }
        io.wattproof.protocol.v1.TxProof p = r.getProof();
        if (!p.hasProof()) {
            return new ReceiptVerdict.Malformed("proof.proof", "the Merkle path (tendermint.crypto.Proof)", "none");
        }
        MerkleProof m = p.getProof();
        List<Bytes> aunts = new ArrayList<>(m.getAuntsCount());
        for (int i = 0; i < m.getAuntsCount(); i++) {
            aunts.add(Bytes.of(m.getAunts(i).toByteArray()));
        }
        TxProof proof = new TxProof(Bytes.of(p.getRootHash().toByteArray()), Bytes.of(p.getData().toByteArray()), m.getTotal(),
                m.getIndex(), Bytes.of(m.getLeafHash().toByteArray()), aunts);
        return new LedgerReceipt(txHash, code, log, r.getHeight(), Optional.of(proof));
    }

    /**
     * What {@code receipt} proves about {@code record}, given the header at the receipt's height that
     * the light client verified. {@code record} is the stored record whose tx hash the receipt names
     * (anything else is {@link ReceiptVerdict.NotOurs}).
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
        if (verified.height() != receipt.height()) {
            throw new IllegalArgumentException("header height: expected " + receipt.height() + " (the receipt's), got "
                    + verified.height());
        }
        TxProof proof = receipt.proof().orElseThrow(() -> new IllegalArgumentException("a receipt claiming inclusion without proof"));
        if (!proof.data().equals(stored)) {
            return new ReceiptVerdict.Forged(record.sequence(), receipt.height(), "proof.data",
                    "the stored SignedTx " + abbreviate(stored), abbreviate(proof.data()));
        }
        TxVerdict v = TxInclusion.verify(proof, verified);
        return switch (v) {
            case TxVerdict.Verified ok -> new ReceiptVerdict.Final(record.sequence(), receipt.height(),
                    receipt.code() == RESULT_ALREADY_INCLUDED);
            case TxVerdict.IndexOutOfRange f -> forged(record, receipt, "proof.proof.index", "0 ≤ index < total " + f.total(),
                    Long.toString(f.index()));
            case TxVerdict.AuntCountMismatch f -> forged(record, receipt, "proof.proof.aunts",
                    f.expected() + " aunts for leaf " + f.index() + " of " + f.total(), f.actual() + " aunts");
            case TxVerdict.LeafHashMismatch f -> forged(record, receipt, "proof.proof.leaf_hash", f.expected().hex(), f.actual().hex());
            case TxVerdict.RootMismatch f -> forged(record, receipt, "proof.root_hash",
                    f.computed().hex() + " (from the leaf and aunts)", f.rootHash().hex());
            case TxVerdict.DataHashMismatch f -> forged(record, receipt, "proof.root_hash",
                    f.dataHash().hex() + " (data_hash of the verified header at height " + f.height() + ")", f.rootHash().hex());
            // Only the IndexedTx checks produce these; kept so that a new verdict cannot pass as final.
            default -> forged(record, receipt, "proof", "a proof that verifies", v.describe());
        };
    }

    private static ReceiptVerdict forged(SignedRecord record, LedgerReceipt receipt, String what, String expected, String actual) {
        return new ReceiptVerdict.Forged(record.sequence(), receipt.height(), what, expected, actual);
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
