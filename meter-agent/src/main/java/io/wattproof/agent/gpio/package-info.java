/**
 * The board's GPIO: an S0 pulse input counted as an energy source, a tamper input that flags the
 * next record and raises an event at once, and a status LED that blinks the agent's state. Pure
 * parts (debouncing, pulse counting, LED patterns, the tamper latch) take timestamps as arguments;
 * the Pi4J adapters only translate pin events and drive pins, with time and scheduling injected
 * through {@link io.wattproof.agent.gpio.GpioTimer}.
 */
package io.wattproof.agent.gpio;
