/**
 * What the virtual meters measure: a household's active power over the day as a pure,
 * seed-determined function of time ({@link io.wattproof.simulator.load.LoadProfile}), optionally
 * with rooftop PV that makes some meters export around noon, and the meter state that integrates
 * that power into never-decreasing import and export registers and derives per-phase voltage and
 * current ({@link io.wattproof.simulator.load.MeterState}). No clock, randomness source or I/O:
 * the same seed and instants give the same values on every run and machine, so scenarios and test
 * failures can be replayed.
 */
package io.wattproof.simulator.load;
