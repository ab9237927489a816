package io.wattproof.agent.record;

import com.google.protobuf.ByteString;
import io.wattproof.agent.interval.ClosedInterval;
import io.wattproof.agent.interval.SampleExtremes;
import io.wattproof.protocol.v1.QualityFlag;
import io.wattproof.protocol.v1.Reading;

/**
 * Builds the Reading for a closed interval, chained to the device's previous record. Pure: the
 * same interval, chain state and description always give the same bytes.
 */
public final class ReadingFactory {
    private final DeviceDescription device;

    public ReadingFactory(DeviceDescription device) {
        this.device = device;
    }

    /**
     * @param extraFlags quality flags the shell knows of (tamper, clock unsynced), as a bit set of
     *     {@link QualityFlag} numbers
     */
    public Reading build(ClosedInterval interval, ChainState chain, int extraFlags) {
        long startImport = interval.atStart().importWh();
        long endImport = interval.atEnd().importWh();
        long startExport = interval.atStart().exportWh();
        long endExport = interval.atEnd().exportWh();
        int flags = extraFlags;

        // A register that runs backwards is a meter fault (or tampering), never negative energy.
        long importDelta = endImport - startImport;
        long exportDelta = endExport - startExport;
        if (importDelta < 0 || exportDelta < 0) {
            flags |= QualityFlag.METER_ERROR_VALUE;
            importDelta = Math.max(0, importDelta);
            exportDelta = Math.max(0, exportDelta);
        }
        if (chain.lastIntervalEnd() != null && !chain.lastIntervalEnd().equals(interval.start())) {
            flags |= QualityFlag.GAP_VALUE;
        }
        long seconds = interval.schedule().seconds();
        SampleExtremes x = interval.extremes();

        Reading.Builder r = Reading.newBuilder()
                .setDeviceId(ByteString.copyFrom(device.deviceId().bytes()))
                .setSequence(chain.nextSequence())
                .setIntervalStart(interval.start().getEpochSecond())
                .setIntervalSeconds((int) seconds)
                .setImportWh(endImport)
                .setExportWh(endExport)
                .setImportDeltaWh(importDelta)
                .setExportDeltaWh(exportDelta)
                .setPeakPowerW(Math.round(x.peakPowerW()))
                .setAveragePowerW((importDelta - exportDelta) * 3600 / seconds)
                .setVoltageMinDv(nonNegative(Math.round(x.minVoltageV() * 10)))
                .setVoltageMaxDv(nonNegative(Math.round(x.maxVoltageV() * 10)))
                .setCurrentMinMa(nonNegative(Math.round(x.minCurrentA() * 1000)))
                .setCurrentMaxMa(nonNegative(Math.round(x.maxCurrentA() * 1000)))
                .setQualityFlags(flags)
                .setMeterModel(device.meterModel())
                .setMeterSerial(device.meterSerial())
                .setFirmwareVersion(device.firmware().version())
                .setFirmwareHash(ByteString.copyFrom(device.firmware().sha256()))
                .setPreviousHash(ByteString.copyFrom(chain.headHash()));
        return r.build();
    }

    private static int nonNegative(long value) {
        // Meters report tiny negative currents/voltages around zero; uint32 fields hold magnitudes.
        return (int) Math.min(Math.max(0, value), 0xFFFF_FFFFL);
    }
}
