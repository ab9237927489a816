package io.wattproof.agent.charging;

/** What {@link BookingCheck} concluded about a booking transaction. */
public sealed interface BookingVerdict {
    record Verified(VerifiedBooking booking) implements BookingVerdict {}

    /** {@code reason} names the field with expected and actual values. */
    record Refused(String reason) implements BookingVerdict {}
}
