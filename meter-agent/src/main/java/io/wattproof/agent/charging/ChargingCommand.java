package io.wattproof.agent.charging;

import io.wattproof.crypto.DeviceId;
import io.wattproof.protocol.v1.SessionStart;
import java.time.Instant;
import java.util.HexFormat;

/** What the controller asks its shell to do, in the order given. */
public sealed interface ChargingCommand {
    /** Close the relay: the car may draw. */
    record CloseRelay() implements ChargingCommand {}

    /** Open the relay; {@code why} is for the log. */
    record OpenRelay(String why) implements ChargingCommand {}

    /** Sign (device key) and submit this SessionStart; it rides on the ledger but not in the record chain. */
    record SubmitSessionStart(SessionStart body) implements ChargingCommand {}

    /**
     * Publish live values to {@code wattproof/v1/drivers/<driver>/sessions/<booking>/live} (QoS 0,
     * JSON, docs/charging.md step 2).
     *
     * @param energyWh since the start register
     * @param amount micro-units, floor(energy × price / 1000), at most the booking's max_amount
     */
    record PublishLive(DeviceId driver, String bookingHashHex, Instant at, long powerW, long energyWh, long amount)
            implements ChargingCommand {
        public String topic() {
            return "wattproof/v1/drivers/" + driver.hex() + "/sessions/" + bookingHashHex + "/live";
        }

        public String json() {
            return "{\"time\":\"" + at + "\",\"power_w\":" + powerW + ",\"energy_wh\":" + energyWh + ",\"amount\":" + amount + "}";
        }
    }

    /** Write this state file (durably) before anything else happens. */
    record PersistSession(OpenSession session) implements ChargingCommand {}

    /**
     * Build, seal, sign and append the ChargingSession record to the outbox, then delete the state
     * file: the record in the outbox is from then on what closes the session.
     */
    record SubmitSession(ClosedSession session) implements ChargingCommand {}

    /** A start or stop request was refused; {@code reason} names the field, expected and actual. */
    record RejectRequest(String reason) implements ChargingCommand {}

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
