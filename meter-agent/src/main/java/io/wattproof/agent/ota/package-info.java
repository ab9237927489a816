/**
 * The update channel over MQTT 5 (docs/ota.md, "Transport" and "Publishing"): on the operator's
 * side, {@link io.wattproof.agent.ota.UpdateServer} announces signed releases, retained, to the
 * fleet or to chosen devices, answers each device's chunk requests on that device's own topic and
 * collects the devices' update statuses, which {@link io.wattproof.agent.ota.Rollout} judges
 * against the release being published; {@link io.wattproof.agent.ota.ReleaseFolder} is a signed
 * release as files, as {@code ota sign} writes it and {@code ota publish} reads it. Nothing
 * received is trusted: requests and statuses that do not parse or are out of range are dropped
 * and counted.
 */
package io.wattproof.agent.ota;
