/**
 * The interval engine: wall-clock aligned metering intervals and the pure state machine that turns
 * boundary reads and samples into closed intervals. No clock, no threads, no I/O: the agent's shell
 * feeds it reads with their times.
 */
package io.wattproof.agent.interval;
