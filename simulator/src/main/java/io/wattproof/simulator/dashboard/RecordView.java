package io.wattproof.simulator.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One signed record of a meter as it is on the ledger, with the dashboard's own checks of it.
 *
 * @param kind {@code reading} or {@code charging session}
 * @param sequence the record's place in the device's chain
 * @param height the block that holds it
 * @param index its position in the block's transactions
 * @param txHash hex SHA-256 of the transaction, its name on the ledger
 * @param start interval start of a reading, session start of a charging session
 * @param seconds interval length of a reading, session length of a charging session
 * @param importWh the import register at the end of the interval or session, Wh
 * @param energyWh energy imported in the interval or charged in the session, Wh
 * @param averagePowerW a reading's average active power, W; empty for a session
 * @param resultCode the ledger's result code for it (0: accepted)
 * @param signature the device signature over the record's sign-bytes, by the key registered on the
 *     ledger (docs/protocol.md, "Sign-bytes")
 * @param header the block's header, verified by the dashboard's light client
 * @param inclusion the transaction's inclusion proof against that header's {@code data_hash}
 * @param proof the proof's values, for the reader to see what was checked
 */
public record RecordView(String kind, long sequence, long height, int index, String txHash, Instant start, long seconds,
                         long importWh, long energyWh, Optional<Long> averagePowerW, int resultCode, Check signature,
                         Check header, Check inclusion, ProofFacts proof) {
    public RecordView {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(txHash, "tx hash");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(averagePowerW, "average power");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(inclusion, "inclusion");
        Objects.requireNonNull(proof, "proof");
    }

    /**
     * CometBFT's {@code TxProof} as the ledger served it (types/tx.go), and the header it was
     * checked against.
     *
     * @param dataHash hex {@code data_hash} of the verified header; empty when the header was not verified
     * @param headerHash hex hash of the verified header; empty when it was not verified
     */
    public record ProofFacts(String rootHash, String leafHash, long index, long total, List<String> aunts, Optional<String> dataHash,
                             Optional<String> headerHash) {
        public ProofFacts {
            aunts = List.copyOf(aunts);
            Objects.requireNonNull(dataHash, "data hash");
            Objects.requireNonNull(headerHash, "header hash");
        }
    }
}
