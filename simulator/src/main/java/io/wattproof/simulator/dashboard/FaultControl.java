package io.wattproof.simulator.dashboard;

import java.util.List;

/**
 * What the dashboard's faults panel calls (docs/faults.md, "From the dashboard"): {@code POST
 * /api/faults/{kind}} with the fault's settings as a JSON body.
 */
public interface FaultControl {

    /** The outcome of one request. */
    sealed interface Outcome {
        /** Injected; {@code description} says what, {@code id} numbers it in the run. */
        record Injected(int id, String description) implements Outcome {}

        /** Not injected: the request was wrong ({@code problems}, each naming the field) or the part is busy. */
        record Refused(List<String> problems) implements Outcome {}
    }

    /** Injects fault {@code kind} with settings {@code body} (JSON; empty for none). Never throws. */
    Outcome inject(String kind, String body);

    /** The kinds the panel offers. */
    List<String> kinds();
}
