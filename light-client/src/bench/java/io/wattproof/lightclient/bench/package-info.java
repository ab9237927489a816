/**
 * Benchmarks of the light client, compiled and run by hand (docs/benchmarks.md, "Light client"):
 * light blocks verified per second against the raw Ed25519 verification rate that bounds them,
 * and the number of light blocks a bisection fetches for a long jump.
 */
package io.wattproof.lightclient.bench;
