package io.wattproof.agent.gpio;

/** A GPIO pin could not be claimed or driven. */
public class GpioException extends Exception {
    private final int pin;

    public GpioException(int pin, String message, Throwable cause) {
        super(message, cause);
        this.pin = pin;
    }

    /** BCM GPIO number of the pin. */
    public int pin() {
        return pin;
    }
}
