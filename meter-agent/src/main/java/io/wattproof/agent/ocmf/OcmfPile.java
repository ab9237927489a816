package io.wattproof.agent.ocmf;

import io.wattproof.agent.ocmf.OcmfCodes.CurrentType;
import io.wattproof.agent.ocmf.OcmfCodes.TimeSync;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * What the pile says about itself in every export: the pile as signing gateway, its meter, its
 * charge point id if it has one, the zone its times are shown in, the state of its clock and the
 * current it measures.
 *
 * @param timeSync S when the clock is synchronised (docs/daemon.md), U or I otherwise
 */
public record OcmfPile(
        OcmfSession.Gateway gateway,
        OcmfSession.Meter meter,
        Optional<OcmfSession.ChargePoint> chargePoint,
        ZoneOffset offset,
        TimeSync timeSync,
        Optional<CurrentType> currentType) {

    public OcmfPile {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(chargePoint, "chargePoint");
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(timeSync, "timeSync");
        Objects.requireNonNull(currentType, "currentType");
    }
}
