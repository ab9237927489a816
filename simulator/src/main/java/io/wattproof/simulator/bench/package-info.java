/**
 * Fleet-scale measurement for {@code bin/simulate --bench}: how many readings per second the whole
 * loop (meter, agent, broker, gateway, ledger, back to the agent's own verification) sustains, how
 * long a reading takes from its interval's end to the agent's verified confirmation, and what one
 * simulated meter costs in memory and threads (docs/benchmarks.md, "Simulator: fleet scale").
 */
package io.wattproof.simulator.bench;
