/**
 * Simulated installations: a virtual meter, the agent reading it, and the agent's own key store
 * and data folder, started, stopped and restarted as a board would be.
 */
package io.wattproof.simulator.fleet;
