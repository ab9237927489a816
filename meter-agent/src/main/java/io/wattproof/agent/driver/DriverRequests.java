package io.wattproof.agent.driver;

import io.wattproof.agent.charging.ChargingTransactions;
import io.wattproof.agent.charging.SessionSealer;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.seal.RecipientPublicKey;
import io.wattproof.crypto.seal.Sealing;
import io.wattproof.crypto.seal.Suite;
import io.wattproof.protocol.v1.SealedData;
import java.security.SecureRandom;
import java.util.List;

/**
 * The car owner's signed requests to a pile (docs/charging.md "The session at the pile"), built on
 * {@link ChargingTransactions}. The contact data is sealed to the pile's HPKE key alone, under
 * purpose {@value SessionSealer#DRIVER_DATA_PURPOSE} and record id = the booking's tx hash
 * ({@link SessionSealer#driverDataContext}), so it opens only for this booking; the pile seals it
 * again into the session record for the three parties.
 */
public final class DriverRequests {
    private DriverRequests() {}

    /**
     * A signed {@code StartRequest}.
     *
     * @param requestedAt UTC epoch seconds; the pile refuses a request older than a minute
     * @param suite the pile's advertised suite; its KEM must be the seal key's (else the seal key's
     *     KEM with the suite's AEAD is used)
     * @param data sealed to {@code pileSealKey}; null sends no data
     */
    public static byte[] start(String chainId, DeviceKey driver, byte[] bookingTxHash, DeviceId pile, long requestedAt,
                               RecipientPublicKey pileSealKey, Suite suite, DriverData data, SecureRandom random) throws KeyStoreFailure {
        SealedData sealed = null;
        if (data != null) {
            Suite s = suite.kem() == pileSealKey.kem() ? suite : new Suite(pileSealKey.kem(), suite.aead());
            sealed = SessionSealer.toWire(Sealing.seal(s, List.of(pileSealKey), SessionSealer.driverDataContext(bookingTxHash),
                    data.encode(), random));
        }
        return ChargingTransactions.startRequest(chainId, driver, bookingTxHash, pile, requestedAt, sealed);
    }

    /** A signed {@code StopRequest}. */
    public static byte[] stop(String chainId, DeviceKey driver, byte[] bookingTxHash, DeviceId pile, long requestedAt)
            throws KeyStoreFailure {
        return ChargingTransactions.stopRequest(chainId, driver, bookingTxHash, pile, requestedAt);
    }
}
