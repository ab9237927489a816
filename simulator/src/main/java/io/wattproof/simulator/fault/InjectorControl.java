package io.wattproof.simulator.fault;

import io.wattproof.simulator.dashboard.FaultControl;
import java.util.List;

/** The dashboard's faults panel on a {@link FaultInjector}: the request is read by {@link ScenarioParser#parseFault}. */
public final class InjectorControl implements FaultControl {
    private final FaultInjector injector;
    private final int fleetSize;

    public InjectorControl(FaultInjector injector, int fleetSize) {
        this.injector = injector;
        this.fleetSize = fleetSize;
    }

    @Override
    public Outcome inject(String kind, String body) {
        return switch (ScenarioParser.parseFault(kind, body, fleetSize)) {
            case Parsed.Invalid<Fault> bad -> new Outcome.Refused(bad.problems().stream().map(ScenarioProblem::message).toList());
            case Parsed.Ok<Fault> ok -> {
                try {
                    FaultInjector.Injection i = injector.inject(ok.value());
                    yield new Outcome.Injected(i.id(), ok.value().describe());
                } catch (IllegalArgumentException e) {
                    yield new Outcome.Refused(List.of(e.getMessage()));
                }
            }
        };
    }

    @Override
    public List<String> kinds() {
        return Fault.KINDS.stream().filter(k -> !k.equals("valset-change")).toList();
    }
}
