/**
 * Faults the simulator injects into an otherwise healthy lab, and fault scenarios (docs/faults.md):
 * a broker restart, a partition of some meters ({@link io.wattproof.simulator.fault.LinkProxy}), an
 * agent's power cut, a clock jump ({@link io.wattproof.simulator.fault.SteppableClock}), a meter
 * answering garbage, validator-set changes and a lying gateway, all acting on the real parts
 * ({@link io.wattproof.simulator.fault.FaultInjector}). A scenario file states its faults and checks
 * ({@link io.wattproof.simulator.fault.ScenarioParser}, {@link io.wattproof.simulator.fault.FaultChecks});
 * {@link io.wattproof.simulator.fault.ScenarioRun} runs one and judges it.
 */
package io.wattproof.simulator.fault;
