package io.wattproof.agent.record;

import io.wattproof.crypto.DeviceId;

/**
 * The static facts every Reading of a device carries.
 *
 * @param deviceId the signing key's device id
 * @param meterModel register-map name of the meter, e.g. {@code SDM630}
 * @param meterSerial the meter's serial number, printable ASCII
 * @param firmware the running agent build
 */
public record DeviceDescription(DeviceId deviceId, String meterModel, String meterSerial, FirmwareIdentity firmware) {}
