package io.wattproof.agent.meter;

/** Where the agent's energy numbers come from: a Modbus meter, an S0 pulse counter, a simulator. */
public interface MeterSource extends AutoCloseable {

    /** Reads all registers at once. Blocks for at most the source's own timeout. */
    MeterSnapshot read() throws MeterReadException;

    /** Model name recorded in every Reading, e.g. {@code SDM630}. */
    String model();

    @Override
    void close();
}
