package io.wattproof.simulator.load;

import java.time.Instant;
import java.time.ZoneId;

/** What a virtual meter measures: net active power over time. */
public interface PowerCurve {
    /** Net active power at {@code t}, W; negative means exporting. */
    double powerWatts(Instant t, ZoneId zone);

    /** Seeds the curve's own noise, such as the meter's voltage wobble; fixed per meter. */
    long seed();
}
