package io.wattproof.modbus.master;

/**
 * What an RTU master has seen on its line: the health of an RS-485 installation at a glance
 * (a technician reading many CRC errors looks at termination, biasing and cable runs).
 *
 * @param transactions transactions answered (a normal response)
 * @param failedTransactions transactions that failed after all attempts
 * @param retries attempts repeated after a timeout or fault
 * @param timeouts attempts with no byte received
 * @param crcErrors attempts ended by a frame with a bad CRC
 * @param truncatedFrames attempts ended by a frame whose tail never came
 * @param noiseFaults attempts ended by bytes in which no frame started
 * @param unexpectedAnswers valid frames from another unit or for another function, or malformed PDUs
 * @param exceptionResponses exception responses received
 * @param broadcasts broadcast writes sent
 * @param noiseBytes bytes dropped around answers and while waiting for silence
 */
public record LineStatistics(
        long transactions,
        long failedTransactions,
        long retries,
        long timeouts,
        long crcErrors,
        long truncatedFrames,
        long noiseFaults,
        long unexpectedAnswers,
        long exceptionResponses,
        long broadcasts,
        long noiseBytes) {}
