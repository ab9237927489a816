package io.wattproof.simulator.ledger.app;

import io.wattproof.crypto.DeviceId;
import io.wattproof.protocol.v1.Reading;

/** The ranges of a Reading's fields that the application relies on (RESULT_MALFORMED outside them). */
final class Readings {
    /** 1 GWh in one interval: far beyond any meter, and keeps every sum and price product in range. */
    static final long MAX_DELTA_WH = 1_000_000_000L;
    static final long MAX_INTERVAL_SECONDS = 86_400L;
    /** 9999-12-31T23:59:59Z: interval ends never overflow. */
    static final long MAX_INTERVAL_START = 253_402_300_799L;
    static final int HASH_LENGTH = 32;

    private Readings() {}

    /** What is out of range (lowercase, field, expected vs actual), or null. */
    static String check(Reading r) {
        if (r.getDeviceId().size() != DeviceId.LENGTH) {
            return "device_id: expected " + DeviceId.LENGTH + " bytes, got " + r.getDeviceId().size();
        }
        if (r.getSequence() == 0) {
            return "sequence: expected at least 1, got 0";
        }
        if (r.getSequence() < 0) {
            // uint64 on the wire; refusing the top half keeps sequence + 1 from overflowing.
            return "sequence: expected at most 2^63-1, got " + Long.toUnsignedString(r.getSequence());
        }
        long seconds = Integer.toUnsignedLong(r.getIntervalSeconds());
        if (seconds < 1 || seconds > MAX_INTERVAL_SECONDS) {
            return "interval_seconds: expected 1.." + MAX_INTERVAL_SECONDS + ", got " + seconds;
        }
        long start = r.getIntervalStart();
        if (start < 0 || start > MAX_INTERVAL_START) {
            return "interval_start: expected 0.." + MAX_INTERVAL_START + ", got " + start;
        }
        if (start % seconds != 0) {
            return "interval_start: expected a multiple of interval_seconds " + seconds + ", got " + start;
        }
        if (Long.compareUnsigned(r.getImportDeltaWh(), MAX_DELTA_WH) > 0) {
            return "import_delta_wh: expected 0.." + MAX_DELTA_WH + ", got " + Long.toUnsignedString(r.getImportDeltaWh());
        }
        if (Long.compareUnsigned(r.getExportDeltaWh(), MAX_DELTA_WH) > 0) {
            return "export_delta_wh: expected 0.." + MAX_DELTA_WH + ", got " + Long.toUnsignedString(r.getExportDeltaWh());
        }
        int previous = r.getPreviousHash().size();
        if (previous != 0 && previous != HASH_LENGTH) {
            return "previous_hash: expected 0 or " + HASH_LENGTH + " bytes, got " + previous;
        }
        return null;
    }
}
