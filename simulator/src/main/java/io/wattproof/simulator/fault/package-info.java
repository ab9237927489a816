/**
 * Faults the simulator can inject into an otherwise healthy lab. Today: cutting one device's link
 * to the broker ({@link io.wattproof.simulator.fault.LinkProxy}); broker restarts, power cuts,
 * clock jumps and garbage from meters join with the fault-injection work.
 */
package io.wattproof.simulator.fault;
