package io.wattproof.simulator.charging;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.agent.ocmf.OcmfCodes.CurrentType;
import io.wattproof.agent.ocmf.OcmfCodes.TimeSync;
import io.wattproof.agent.ocmf.OcmfException;
import io.wattproof.agent.ocmf.OcmfExport;
import io.wattproof.agent.ocmf.OcmfPile;
import io.wattproof.agent.ocmf.OcmfRecord;
import io.wattproof.agent.ocmf.OcmfSession;
import io.wattproof.agent.RunningBuild;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.chain.ReferenceLedger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Writes every charging session the ledger accepted as OCMF (docs/ocmf.md), for German tooling
 * and independent checkers: {@code DIR/ocmf/<sessionId>.ocmf} holds the session's OCMF record, one
 * per line, and {@code DIR/ocmf/<pileDeviceId>.pem} the pile's public key (SubjectPublicKeyInfo,
 * PEM). A session is named {@code <pileDeviceId>-<sequence>}: a record of the pile's chain, and
 * OCMF's pagination; the file of the key that checks it is found by the name's first part. The
 * booking it belongs to is the record's {@code contract_tx_hash} on the ledger. The pile signs its
 * own exports with its device key, as a pile exporting for its owner would; the car owner's id
 * in the record is the booking key's id, taken from the booking on the ledger.
 */
public final class OcmfDump {
    private OcmfDump() {}

    /** What a pile says about itself in its exports. */
    static OcmfPile pile(DeviceId pile, String meterSerial) {
        return new OcmfPile(
                new OcmfSession.Gateway("Wattproof meter-agent", "wp-" + pile.hex().substring(0, 16), RunningBuild.version()),
                new OcmfSession.Meter("Eastron", "SDM630-Modbus", meterSerial, "simulated"),
                Optional.empty(), ZoneOffset.UTC, TimeSync.SYNCHRONIZED, Optional.of(CurrentType.AC));
    }

    /**
     * Exports every accepted {@code ChargingSession} in blocks 1..latest whose pile is in {@code
     * piles}.
     *
     * @param piles each pile's device key and its meter's serial
     * @return the number of sessions written
     */
    public static int write(ReferenceLedger ledger, Map<DeviceId, PileKey> piles, Path dump)
            throws IOException, KeyStoreFailure, OcmfException {
        Path folder = dump.resolve("ocmf");
        Files.createDirectories(folder);
        for (PileKey p : piles.values()) {
            Files.writeString(folder.resolve(p.key().deviceId().hex() + ".pem"), PublicKeys.toPem(p.key().publicKeyInfo()),
                    StandardCharsets.US_ASCII);
        }
        int written = 0;
        for (long h = 1; h <= ledger.latestHeight(); h++) {
            Optional<CommittedBlock> block = ledger.committedBlock(h);
            if (block.isEmpty()) {
                continue;
            }
            for (IncludedTx included : block.get().txs()) {
                Optional<ChargingSession> session = acceptedSession(included);
                if (session.isEmpty()) {
                    continue;
                }
                ChargingSession record = session.get();
                PileKey pile = piles.get(DeviceId.of(record.getDeviceId().toByteArray()));
                if (pile == null) {
                    continue;
                }
                byte[] bookingHash = record.getContractTxHash().toByteArray();
                byte[] driverKeyId = driverKeyId(ledger, bookingHash);
                OcmfRecord ocmf = OcmfExport.sign(record, pile(pile.key().deviceId(), pile.meterSerial()), driverKeyId, pile.key());
                Files.writeString(folder.resolve(sessionId(record) + ".ocmf"), ocmf.line() + "\n", StandardCharsets.UTF_8);
                written++;
            }
        }
        return written;
    }

    /** {@code <pileDeviceId>-<sequence>}, the session's file name without {@code .ocmf}. */
    public static String sessionId(ChargingSession record) {
        return HexFormat.of().formatHex(record.getDeviceId().toByteArray()) + "-" + record.getSequence();
    }

    /** A pile's device key and the serial of its meter. */
    public record PileKey(DeviceKey key, String meterSerial) {}

    private static Optional<ChargingSession> acceptedSession(IncludedTx included) {
        if (!included.result().isOk()) {
            return Optional.empty();
        }
        try {
            SignedTx tx = SignedTx.parseFrom(included.tx());
            if (tx.getBodyType() != BodyType.CHARGING_SESSION) {
                return Optional.empty();
            }
            return Optional.of(ChargingSession.parseFrom(tx.getBody()));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty(); // the ledger accepted it, so it parses; anything else is not a session
        }
    }

    /** The booking key's id: the car owner as OCMF names it (docs/ocmf.md, "Identification"). */
    private static byte[] driverKeyId(ReferenceLedger ledger, byte[] bookingHash) throws OcmfException {
        IncludedTx booking = ledger.findTx(bookingHash).orElseThrow(() -> new OcmfException(
                "booking " + HexFormat.of().formatHex(bookingHash) + ": expected on the ledger, not found"));
        try {
            return DeviceId.fromPublicKeyInfo(SignedTx.parseFrom(booking.tx()).getPublicKey().toByteArray()).bytes();
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            throw new OcmfException("booking " + HexFormat.of().formatHex(bookingHash) + " public_key: " + e.getMessage());
        }
    }
}
