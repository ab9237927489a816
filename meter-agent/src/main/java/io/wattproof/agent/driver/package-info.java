/**
 * The car owner's side of charging-pile sharing (docs/charging.md, "Car owner's side"): reading a
 * pile's retained {@code charge/info}, booking an offer on the ledger through the gateway and
 * waiting for the booking's receipt, asking the pile to start and stop with requests signed by the
 * booking's key (the car owner's contact sealed to the pile with HPKE), and following the
 * session's live values and events. Parsing of everything that arrives from the broker is pure
 * and returns a value naming what is wrong; {@link io.wattproof.agent.driver.CarOwner} is the
 * MQTT shell used by {@code bin/meter-agent charge} and by the simulator's virtual cars.
 */
package io.wattproof.agent.driver;
