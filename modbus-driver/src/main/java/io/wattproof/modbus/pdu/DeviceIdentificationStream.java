package io.wattproof.modbus.pdu;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Stream access to a device's identification (section 6.21, read device id codes 01 and 02) as a
 * pure state machine: it says which request to send, and given the response either the next state,
 * the collected {@link DeviceIdentification}, or the {@link Violation} that ends the stream. The
 * caller moves the bytes.
 *
 * <pre>{@code
 * DeviceIdentificationStream stream = DeviceIdentificationStream.start(ReadDeviceIdCode.REGULAR);
 * while (true) {
 *     switch (stream.accept(send(stream.request()))) {
 *         case Step.Next n -> stream = n.stream();
 *         case Step.Done d -> { return d.identification(); }
 *         case Step.Failed f -> throw ...;
 *     }
 * }
 * }</pre>
 *
 * <p>Section 6.21: the first request asks for object 0; while a response says "more follows", the
 * next request asks for the response's "next object id". A device that lies could keep a client
 * asking forever, so the stream is bounded: every next object id must lie past the one just asked
 * for and inside the category, no object may arrive twice, and at most {@link #MAX_ROUNDS}
 * responses are accepted. Basic and regular objects are ASCII text (section 6.21), which is why
 * only codes 01 and 02 are offered: extended objects 0x80..0xff are device dependent and may be
 * binary.
 */
public final class DeviceIdentificationStream {
    /**
     * Responses accepted in one stream. Objects never span responses and the regular category has 7
     * defined objects (0x00..0x06), so a device needs at most 7 responses for them even with one
     * object each; 16 leaves room for the reserved ids 0x07..0x7f while bounding a device that
     * walks through ids one at a time.
     */
    public static final int MAX_ROUNDS = 16;

    private final ReadDeviceIdCode readCode;
    private final int objectId;
    private final int answered;
    private final ConformityLevel conformityLevel; // null until the first response
    private final SortedMap<Integer, String> objects;

    private DeviceIdentificationStream(ReadDeviceIdCode readCode, int objectId, int answered,
            ConformityLevel conformityLevel, SortedMap<Integer, String> objects) {
        this.readCode = readCode;
        this.objectId = objectId;
        this.answered = answered;
        this.conformityLevel = conformityLevel;
        this.objects = objects;
    }

    /** @param readCode {@link ReadDeviceIdCode#BASIC} or {@link ReadDeviceIdCode#REGULAR} */
    public static DeviceIdentificationStream start(ReadDeviceIdCode readCode) {
        Objects.requireNonNull(readCode, "readCode");
        if (readCode != ReadDeviceIdCode.BASIC && readCode != ReadDeviceIdCode.REGULAR) {
            throw new IllegalArgumentException("read device id code: expected BASIC (0x01) or REGULAR (0x02), actual "
                    + readCode);
        }
        return new DeviceIdentificationStream(readCode, 0, 0, null, Collections.emptySortedMap());
    }

    public ReadDeviceIdCode readCode() {
        return readCode;
    }

    /** Responses accepted so far. */
    public int rounds() {
        return answered;
    }

    /** The request to send next. */
    public ReadDeviceIdentificationRequest request() {
        return new ReadDeviceIdentificationRequest(readCode, objectId);
    }

    /** Takes the response to {@link #request()}. */
    public Step accept(ReadDeviceIdentificationResponse response) {
        Objects.requireNonNull(response, "response");
        if (response.readCode() != readCode) {
            return failed("read device id code", Hex.byteValue(readCode.code()) + " (echo of the request)",
                    Hex.byteValue(response.readCode().code()));
        }
        SortedMap<Integer, String> collected = new TreeMap<>(objects);
        for (IdentificationObject object : response.objects()) {
            if (!readCode.includes(object.id())) {
                return failed("object id", readCode.range() + " for " + readCode.name().toLowerCase()
                        + " stream access", Hex.byteValue(object.id()));
            }
            if (collected.containsKey(object.id())) {
                return failed("object id", "each object once per stream",
                        DeviceIdentification.describe(object.id()) + " again in response " + (answered + 1));
            }
            switch (DeviceIdentification.text(object)) {
                case DecodeResult.Decoded<String>(String text) -> collected.put(object.id(), text);
                case DecodeResult.Invalid<String>(Violation v) -> {
                    return new Step.Failed(v);
                }
            }
        }
        ConformityLevel level = conformityLevel != null ? conformityLevel : response.conformityLevel();
        if (!response.moreFollows()) {
            return new Step.Done(new DeviceIdentification(level, collected));
        }
        int next = response.nextObjectId();
        if (next <= objectId || !readCode.includes(next)) {
            return failed("next object id", Hex.byteValue(objectId + 1) + ".." + Hex.byteValue(readCode.lastObjectId())
                    + " (past the object id just asked for, inside the category)", Hex.byteValue(next));
        }
        if (answered + 1 >= MAX_ROUNDS) {
            return failed("more follows", "the stream to end within " + MAX_ROUNDS + " responses",
                    "0xff in response " + (answered + 1));
        }
        return new Step.Next(new DeviceIdentificationStream(
                readCode, next, answered + 1, level, Collections.unmodifiableSortedMap(collected)));
    }

    private static Step failed(String field, String expected, String actual) {
        return new Step.Failed(new Violation(field, expected, actual, ""));
    }

    @Override
    public String toString() {
        return "DeviceIdentificationStream[readCode=" + readCode + ", objectId=" + Hex.byteValue(objectId)
                + ", rounds=" + answered + ", objects=" + objects.keySet() + "]";
    }

    /** The outcome of one response. */
    public sealed interface Step {
        /** More objects follow: send {@code stream.request()}. */
        record Next(DeviceIdentificationStream stream) implements Step {
            public Next {
                Objects.requireNonNull(stream, "stream");
            }
        }

        /** The stream ended; every object received is in {@code identification}. */
        record Done(DeviceIdentification identification) implements Step {
            public Done {
                Objects.requireNonNull(identification, "identification");
            }
        }

        /** The device broke a rule of section 6.21; the stream cannot go on. */
        record Failed(Violation violation) implements Step {
            public Failed {
                Objects.requireNonNull(violation, "violation");
            }
        }
    }
}
