/**
 * Virtual meters: Modbus TCP slaves from the modbus-driver module, serving register images that
 * follow the load profiles of {@code io.wattproof.simulator.load}.
 */
package io.wattproof.simulator.meter;
