package io.wattproof.agent.board;

/**
 * The shape of a profile file as Jackson binds it (snake_case keys, unknown keys refused). Every
 * field may be null: {@link BoardProfileParser} checks presence and meaning and names the path of
 * each problem, which a binder cannot do well.
 */
record BoardFile(
        String schema,
        String name,
        String description,
        String gpioHeader,
        Gpio gpio,
        SecureElement secureElement,
        String keyStore,
        Serial serial,
        Meter meter,
        String interval,
        Paths paths) {

    record Gpio(Pin statusLed, Pin relay, Pin tamper, Pin s0) {}

    /** One GPIO line; outputs use pin and active, inputs also pull, the S0 input also the pulse fields. */
    record Pin(Integer pin, String active, String pull, Integer pulsesPerKwh, Integer debounceMs) {}

    record SecureElement(Integer i2cBus, Integer i2cAddress) {}

    record Serial(String device, Integer baud, String parity, Integer stopBits, String direction, Integer directionPin) {}

    record Meter(String model, Integer unitId) {}

    record Paths(String dataDir, String keyDir, String configDir) {}
}
