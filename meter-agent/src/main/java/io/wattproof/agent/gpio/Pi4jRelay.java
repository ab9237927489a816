package io.wattproof.agent.gpio;

import com.pi4j.context.Context;
import com.pi4j.exception.Pi4JException;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.util.Optional;

/**
 * A relay on a Pi4J digital output. Created open and set open again at Pi4J shutdown (the
 * output's {@code shutdown} state), so a stopping agent never leaves the outlet live; the relay's
 * own hardware should fail open too when the pin floats at boot.
 */
public final class Pi4jRelay implements Relay {
    private final Context pi4j;
    private final RelayConfig config;
    private final DigitalOutput output;
    private final DigitalInput feedback;
    private volatile boolean closed;

    private Pi4jRelay(Context pi4j, RelayConfig config, DigitalOutput output, DigitalInput feedback) {
        this.pi4j = pi4j;
        this.config = config;
        this.output = output;
        this.feedback = feedback;
    }

    public static Pi4jRelay create(Context pi4j, RelayConfig config) throws GpioException {
        DigitalState off = config.activeHigh() ? DigitalState.LOW : DigitalState.HIGH;
        DigitalOutput output = Pi4jPins.output(pi4j, "relay-" + config.pin(), "relay", config.pin(), off);
        DigitalInput feedback = null;
        if (config.feedbackPin().isPresent()) {
            try {
                feedback = Pi4jPins.input(pi4j, "relay-feedback-" + config.feedbackPin().getAsInt(), "relay feedback",
                        config.feedbackPin().getAsInt(), config.feedbackPull());
            } catch (GpioException e) {
                Pi4jPins.release(pi4j, output.id());
                throw e;
            }
        }
        return new Pi4jRelay(pi4j, config, output, feedback);
    }

    @Override
    public void close() throws GpioException {
        drive(true);
    }

    @Override
    public void open() throws GpioException {
        drive(false);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** The feedback contact's reading, if one is wired: what the controller compares with the command. */
    public Optional<Boolean> feedbackClosed() {
        if (feedback == null) {
            return Optional.empty();
        }
        return Optional.of(feedback.state() == (config.feedbackActiveHigh() ? DigitalState.HIGH : DigitalState.LOW));
    }

    DigitalOutput output() {
        return output;
    }

    Optional<DigitalInput> feedback() {
        return Optional.ofNullable(feedback);
    }

    /** Opens the relay and gives the pins back to the context. */
    public void release() {
        try {
            open();
        } catch (GpioException e) {
            // Released below anyway; the output's shutdown state is open.
        }
        Pi4jPins.release(pi4j, output.id());
        if (feedback != null) {
            Pi4jPins.release(pi4j, feedback.id());
        }
    }

    private void drive(boolean close) throws GpioException {
        DigitalState level = close == config.activeHigh() ? DigitalState.HIGH : DigitalState.LOW;
        try {
            output.state(level);
        } catch (Pi4JException e) {
            throw new GpioException(config.pin(), "relay gpio " + config.pin() + ": cannot set " + level + ": " + e.getMessage(), e);
        }
        closed = close;
    }
}
