package io.wattproof.agent.driver;

import io.wattproof.crypto.DeviceId;
import java.util.HexFormat;

/**
 * The topics of a charging session, docs/charging.md "Topics": {@code <P>} the pile's device id,
 * {@code <D>} the car owner's key id, {@code <B>} the booking's tx hash, all lowercase hex.
 */
public final class DriverTopics {
    public static final String PREFIX = "wattproof/v1";

    private DriverTopics() {}

    /** Retained JSON, pile → all. */
    public static String pileInfo(DeviceId pile) {
        return PREFIX + "/devices/" + pile.hex() + "/charge/info";
    }

    /** SignedTx with a StartRequest or StopRequest, car owner → pile. */
    public static String pileRequests(DeviceId pile) {
        return PREFIX + "/devices/" + pile.hex() + "/charge/requests";
    }

    /** SignedTx (a Booking), car owner → gateway. */
    public static String tx(DeviceId driver) {
        return PREFIX + "/drivers/" + driver.hex() + "/tx";
    }

    /** Receipt, gateway → car owner. */
    public static String receipts(DeviceId driver) {
        return PREFIX + "/drivers/" + driver.hex() + "/receipts";
    }

    /** JSON live values, pile → car owner, QoS 0. */
    public static String live(DeviceId driver, byte[] bookingTxHash) {
        return session(driver, bookingTxHash) + "/live";
    }

    /** JSON events (started, refused, closed), pile → car owner, QoS 1. */
    public static String events(DeviceId driver, byte[] bookingTxHash) {
        return session(driver, bookingTxHash) + "/events";
    }

    private static String session(DeviceId driver, byte[] bookingTxHash) {
        return PREFIX + "/drivers/" + driver.hex() + "/sessions/" + HexFormat.of().formatHex(bookingTxHash);
    }
}
