package io.wattproof.modbus.transport;

/**
 * The few operations {@link SerialPortTransport} needs from an open serial port, in the shape of
 * jSerialComm's calls (counts, -1 for failure, an errno to explain it), so that the transport's
 * timing and direction-control logic can be exercised against a scripted line.
 */
interface SerialLine {

    /** Bytes received and not yet read, or -1 when the port failed or is closed. */
    int bytesAvailable();

    /**
     * Reads up to {@code length} bytes: returns at once when some are available, otherwise waits at
     * most {@link #blockingSliceNanos()} for the first one. Returns the count, 0, or -1 on failure.
     */
    int read(byte[] buffer, int offset, int length);

    /** How long {@link #read} blocks when nothing arrives. */
    long blockingSliceNanos();

    /**
     * Writes all of {@code bytes} and returns once the driver reports them sent (tcdrain). Returns
     * the number of bytes written; fewer than {@code bytes.length}, or -1, means failure.
     */
    int write(byte[] bytes);

    /** Drops received and not yet read bytes; false on failure. */
    boolean discardInput();

    /** The errno of the last failed operation, for messages. */
    int lastErrorCode();

    void close();
}
