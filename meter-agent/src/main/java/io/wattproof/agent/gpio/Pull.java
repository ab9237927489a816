package io.wattproof.agent.gpio;

/** The SoC's internal bias resistor on an input pin. */
public enum Pull {
    OFF,
    UP,
    DOWN
}
