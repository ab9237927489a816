package io.wattproof.simulator.fault;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads scenario files and the dashboard's fault requests (docs/faults.md, "File format"). Pure:
 * text in, a {@link Scenario} or {@link Fault} or every problem found out, each naming its line and
 * field; never throws on any input. The YAML is composed into nodes only (SnakeYAML's
 * {@code compose}), never constructed into objects, so no tag in a file can make the parser
 * instantiate a class; the nodes keep their marks, which is where the line numbers come from.
 */
public final class ScenarioParser {
    /** Larger files are refused before parsing; a scenario is well under a kilobyte. */
    public static final int MAX_FILE_CHARS = 64 * 1024;
    static final int MAX_METERS = 100;
    static final Duration MAX_DURATION = Duration.ofHours(1);
    static final Duration MAX_INTERVAL = Duration.ofMinutes(15);
    /** Beginnings of the phrases {@link io.wattproof.simulator.dashboard.Alarms#ofMeter} raises. */
    public static final List<String> ALARMS = List.of("uplink down", "meter not answering", "outbox full", "storage fault",
            "clock not synchronised", "agent not started", "not registered on the ledger", "key revoked on the ledger", "ledger gap",
            "forgeries detected");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private ScenarioParser() {}

    /** A whole scenario file; {@code origin} is how messages name it. */
    public static Parsed<Scenario> parse(String origin, String text) {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(text, "text");
        Reader r = new Reader(origin);
        if (text.length() > MAX_FILE_CHARS) {
            r.problem(null, "(file)", "at most " + MAX_FILE_CHARS + " characters", text.length() + " characters");
            return r.invalid();
        }
        Optional<Node> root = r.compose(text);
        if (root.isEmpty()) {
            return r.invalid();
        }
        Map<String, Node> top = r.mapping(root.get(), "(file)", Set.of("name", "description", "fleet", "timeline", "expect"));
        if (top == null) {
            return r.invalid();
        }
        String name = r.required(top, root.get(), "name", "(file)").flatMap(n -> r.text(n, "name")).orElse(null);
        if (name != null && !NAME.matcher(name).matches()) {
            r.problem(top.get("name"), "name", "lowercase letters, digits and '-' (at most 63)", quote(name));
        }
        String description = Optional.ofNullable(top.get("description")).flatMap(n -> r.text(n, "description")).orElse("");

        int meters = 0;
        Duration interval = null;
        Duration duration = null;
        Optional<Node> fleetNode = r.required(top, root.get(), "fleet", "(file)");
        if (fleetNode.isPresent()) {
            Map<String, Node> fleet = r.mapping(fleetNode.get(), "fleet", Set.of("meters", "interval", "duration"));
            if (fleet != null) {
                meters = r.required(fleet, fleetNode.get(), "meters", "fleet").flatMap(n -> r.integer(n, "fleet.meters", 1, MAX_METERS))
                        .orElse(0L).intValue();
                interval = r.required(fleet, fleetNode.get(), "interval", "fleet")
                        .flatMap(n -> r.duration(n, "fleet.interval", Duration.ofSeconds(1), MAX_INTERVAL, true)).orElse(null);
                duration = r.required(fleet, fleetNode.get(), "duration", "fleet")
                        .flatMap(n -> r.duration(n, "fleet.duration", Duration.ofSeconds(1), MAX_DURATION, false)).orElse(null);
            }
        }

        final int fleetSize = meters;
        List<Scenario.Step> steps = new ArrayList<>();
        Optional<Node> timelineNode = r.required(top, root.get(), "timeline", "(file)");
        if (timelineNode.isPresent()) {
            List<Node> entries = r.sequence(timelineNode.get(), "timeline");
            Duration previous = Duration.ZERO;
            for (int i = 0; entries != null && i < entries.size(); i++) {
                String field = "timeline[" + i + "]";
                Node entry = entries.get(i);
                Map<String, Node> step = r.mapping(entry, field, null);
                if (step == null) {
                    continue;
                }
                Optional<Duration> at = r.required(step, entry, "at", field)
                        .flatMap(n -> r.duration(n, field + ".at", Duration.ZERO, MAX_DURATION, false));
                Optional<Fault> fault = r.required(step, entry, "fault", field).flatMap(n -> r.text(n, field + ".fault"))
                        .flatMap(kind -> r.fault(kind, step, entry, field, Set.of("at", "fault"), fleetSize));
                if (at.isEmpty() || fault.isEmpty()) {
                    continue;
                }
                if (at.get().compareTo(previous) < 0) {
                    r.problem(step.get("at"), field + ".at", "at or after the previous fault's " + Durations.format(previous),
                            Durations.format(at.get()));
                }
                previous = at.get();
                if (fault.get() instanceof Fault.ValsetChange && !at.get().isZero()) {
                    r.problem(step.get("at"), field + ".at", "0s (the validator schedule is fixed at genesis)", Durations.format(at.get()));
                }
                if (duration != null) {
                    Duration end = at.get().plus(fault.get().lasts().orElse(Duration.ZERO));
                    if (end.compareTo(duration) > 0) {
                        r.problem(entry, field, "a fault that ends within fleet.duration " + Durations.format(duration),
                                "one that ends at " + Durations.format(end));
                    }
                }
                steps.add(new Scenario.Step(at.get(), fault.get()));
            }
        }

        Scenario.Expectations expect = null;
        Optional<Node> expectNode = r.required(top, root.get(), "expect", "(file)");
        if (expectNode.isPresent()) {
            expect = r.expectations(expectNode.get(), meters);
        }
        if (!r.problems.isEmpty()) {
            return r.invalid();
        }
        return new Parsed.Ok<>(new Scenario(name, description, meters, interval, duration, steps, expect));
    }

    /**
     * A fault requested from the dashboard: {@code kind} from the path, its settings in {@code body}
     * (a JSON or YAML mapping; empty for none), for a fleet of {@code fleetSize} meters.
     */
    public static Parsed<Fault> parseFault(String kind, String body, int fleetSize) {
        Reader r = new Reader("request");
        if (body.length() > MAX_FILE_CHARS) {
            r.problem(null, "(body)", "at most " + MAX_FILE_CHARS + " characters", body.length() + " characters");
            return r.invalid();
        }
        Map<String, Node> settings = Map.of();
        Node at = null;
        if (!body.isBlank()) {
            Optional<Node> root = r.compose(body);
            if (root.isEmpty()) {
                return r.invalid();
            }
            at = root.get();
            settings = r.mapping(root.get(), "(body)", null);
            if (settings == null) {
                return r.invalid();
            }
        }
        Optional<Fault> fault = r.fault(kind, settings, at, "", Set.of(), fleetSize);
        if (fault.isEmpty() || fault.get() instanceof Fault.ValsetChange) {
            if (fault.isPresent()) {
                r.problem(null, "kind", "a fault that can be injected into a running lab (valset-change is set at genesis)", kind);
            }
            return r.invalid();
        }
        return new Parsed.Ok<>(fault.get());
    }

    private static String quote(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return "\"" + cut.replaceAll("\\p{Cntrl}", "?") + "\"";
    }

    /** Collects problems while walking the node tree. */
    private static final class Reader {
        final String origin;
        final List<ScenarioProblem> problems = new ArrayList<>();

        Reader(String origin) {
            this.origin = origin;
        }

        <T> Parsed<T> invalid() {
            return new Parsed.Invalid<>(problems);
        }

        void problem(Node at, String field, String expected, String actual) {
            problems.add(new ScenarioProblem(origin, at == null ? 0 : at.getStartMark().getLine() + 1, field, expected, actual));
        }

        Optional<Node> compose(String text) {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(10);
            options.setAllowRecursiveKeys(false);
            try {
                Node root = new Yaml(options).compose(new StringReader(text));
                if (root == null) {
                    problem(null, "(file)", "a YAML mapping", "an empty document");
                    return Optional.empty();
                }
                return Optional.of(root);
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                problems.add(new ScenarioProblem(origin, mark == null ? 0 : mark.getLine() + 1, "(file)", "well-formed YAML",
                        String.valueOf(e.getProblem())));
                return Optional.empty();
            } catch (YAMLException | IllegalArgumentException e) {
                problem(null, "(file)", "well-formed YAML", String.valueOf(e.getMessage()));
                return Optional.empty();
            }
        }

        /** The mapping's entries by key; null (and a problem) if it is not a mapping or has bad keys. {@code allowed} null: any. */
        Map<String, Node> mapping(Node node, String field, Set<String> allowed) {
            if (!(node instanceof MappingNode m)) {
                problem(node, field, "a mapping", describe(node));
                return null;
            }
            Map<String, Node> out = new LinkedHashMap<>();
            boolean ok = true;
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    problem(t.getKeyNode(), field, "plain keys", describe(t.getKeyNode()));
                    ok = false;
                    continue;
                }
                String key = k.getValue();
                if (out.containsKey(key)) {
                    problem(k, field.equals("(file)") ? key : field + "." + key, "each key once", "a second " + quote(key));
                    ok = false;
                } else if (allowed != null && !allowed.contains(key)) {
                    problem(k, field.equals("(file)") ? key : field + "." + key, "one of " + new java.util.TreeSet<>(allowed), "unknown key "
                            + quote(key));
                    ok = false;
                } else {
                    out.put(key, t.getValueNode());
                }
            }
            return ok ? out : null;
        }

        List<Node> sequence(Node node, String field) {
            if (!(node instanceof SequenceNode s)) {
                problem(node, field, "a list", describe(node));
                return null;
            }
            return s.getValue();
        }

        Optional<Node> required(Map<String, Node> map, Node parent, String key, String parentField) {
            Node n = map.get(key);
            if (n == null) {
                problem(parent, parentField.equals("(file)") || parentField.isEmpty() ? key : parentField + "." + key, "a value",
                        "nothing");
            }
            return Optional.ofNullable(n);
        }

        Optional<String> text(Node node, String field) {
            if (!(node instanceof ScalarNode s)) {
                problem(node, field, "a single value", describe(node));
                return Optional.empty();
            }
            return Optional.of(s.getValue());
        }

        Optional<Long> integer(Node node, String field, long min, long max) {
            Optional<String> t = text(node, field);
            if (t.isEmpty()) {
                return Optional.empty();
            }
            try {
                long v = Long.parseLong(t.get().trim());
                if (v >= min && v <= max) {
                    return Optional.of(v);
                }
            } catch (NumberFormatException e) {
                // Reported below with the range.
            }
            problem(node, field, "a whole number " + min + ".." + max, quote(t.get()));
            return Optional.empty();
        }

        Optional<Duration> duration(Node node, String field, Duration min, Duration max, boolean wholeSeconds) {
            Optional<String> t = text(node, field);
            if (t.isEmpty()) {
                return Optional.empty();
            }
            Optional<Duration> d = Durations.parse(t.get());
            if (d.isEmpty() || d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0
                    || (wholeSeconds && d.get().toMillis() % 1000 != 0)) {
                problem(node, field, "a duration like 500ms, 20s or 2m from " + Durations.format(min) + " to " + Durations.format(max)
                        + (wholeSeconds ? " in whole seconds" : ""), quote(t.get()));
                return Optional.empty();
            }
            return d;
        }

        Optional<Boolean> bool(Node node, String field) {
            Optional<String> t = text(node, field);
            if (t.isEmpty()) {
                return Optional.empty();
            }
            return switch (t.get()) {
                case "true" -> Optional.of(true);
                case "false" -> Optional.of(false);
                default -> {
                    problem(node, field, "true or false", quote(t.get()));
                    yield Optional.empty();
                }
            };
        }

        Optional<Integer> meter(Node node, String field, int fleet) {
            return integer(node, field, 1, fleet < 1 ? MAX_METERS : fleet).map(Long::intValue);
        }

        /** A fault of {@code kind} from {@code settings}, besides {@code ignored} keys; {@code prefix} names the fields. */
        Optional<Fault> fault(String kind, Map<String, Node> settings, Node at, String prefix, Set<String> ignored, int fleet) {
            String p = prefix.isEmpty() ? "" : prefix + ".";
            Set<String> params = switch (kind) {
                case "broker-restart" -> Set.of("down");
                case "partition" -> Set.of("meters", "for");
                case "power-cut", "garbage" -> Set.of("meter", "for");
                case "clock-jump" -> Set.of("meter", "by", "for");
                case "valset-change" -> Set.of("every");
                case "byzantine-gateway" -> Set.of("rate", "for");
                default -> null;
            };
            if (params == null) {
                problem(settings.containsKey("fault") ? settings.get("fault") : at, p + "fault", "one of " + Fault.KINDS, quote(kind));
                return Optional.empty();
            }
            int before = problems.size();
            for (Map.Entry<String, Node> e : settings.entrySet()) {
                if (!params.contains(e.getKey()) && !ignored.contains(e.getKey())) {
                    problem(e.getValue(), p + e.getKey(), kind + " takes " + new java.util.TreeSet<>(params), "unknown key "
                            + quote(e.getKey()));
                }
            }
            Duration min = Duration.ofSeconds(1);
            Optional<Duration> lasts = Optional.empty();
            if (params.contains("for") && !kind.equals("clock-jump")) {
                lasts = required(settings, at, "for", prefix).flatMap(n -> duration(n, p + "for", min, MAX_DURATION, false));
            }
            Fault fault = switch (kind) {
                case "broker-restart" -> required(settings, at, "down", prefix).flatMap(n -> duration(n, p + "down", min, Duration.ofMinutes(5),
                        false)).map(Fault.BrokerRestart::new).orElse(null);
                case "partition" -> {
                    List<Integer> meters = new ArrayList<>();
                    Optional<Node> list = required(settings, at, "meters", prefix);
                    List<Node> items = list.map(n -> sequence(n, p + "meters")).orElse(null);
                    if (items != null && items.isEmpty()) {
                        problem(list.get(), p + "meters", "at least one meter", "an empty list");
                    }
                    for (int i = 0; items != null && i < items.size(); i++) {
                        Optional<Integer> m = meter(items.get(i), p + "meters[" + i + "]", fleet);
                        if (m.isPresent() && meters.contains(m.get())) {
                            problem(items.get(i), p + "meters[" + i + "]", "each meter once", "meter " + m.get() + " again");
                        }
                        m.ifPresent(meters::add);
                    }
                    yield lasts.isPresent() && !meters.isEmpty() ? new Fault.Partition(meters, lasts.get()) : null;
                }
                case "power-cut", "garbage" -> {
                    Optional<Integer> m = required(settings, at, "meter", prefix).flatMap(n -> meter(n, p + "meter", fleet));
                    if (m.isEmpty() || lasts.isEmpty()) {
                        yield null;
                    }
                    yield kind.equals("garbage") ? new Fault.Garbage(m.get(), lasts.get()) : new Fault.PowerCut(m.get(), lasts.get());
                }
                case "clock-jump" -> {
                    Optional<Integer> m = required(settings, at, "meter", prefix).flatMap(n -> meter(n, p + "meter", fleet));
                    Optional<Duration> by = required(settings, at, "by", prefix)
                            .flatMap(n -> duration(n, p + "by", Duration.ofDays(-1), Duration.ofDays(1), false));
                    if (by.isPresent() && by.get().abs().compareTo(min) < 0) {
                        // docs/architecture.md, "What if the clock jumps?": steps under a second go unnoticed.
                        problem(settings.get("by"), p + "by", "a step of at least 1s either way", Durations.format(by.get()));
                        by = Optional.empty();
                    }
                    Optional<Duration> forHow = Optional.empty();
                    boolean forOk = true;
                    if (settings.containsKey("for")) {
                        forHow = duration(settings.get("for"), p + "for", min, MAX_DURATION, false);
                        forOk = forHow.isPresent();
                    }
                    yield m.isPresent() && by.isPresent() && forOk ? new Fault.ClockJump(m.get(), by.get(), forHow) : null;
                }
                case "valset-change" -> required(settings, at, "every", prefix).flatMap(n -> integer(n, p + "every", 2, 1_000_000))
                        .map(Fault.ValsetChange::new).orElse(null);
                case "byzantine-gateway" -> {
                    Optional<Double> rate = required(settings, at, "rate", prefix).flatMap(n -> rate(n, p + "rate"));
                    yield rate.isPresent() && lasts.isPresent() ? new Fault.ByzantineGateway(rate.get(), lasts.get()) : null;
                }
                default -> null;
            };
            return problems.size() == before ? Optional.ofNullable(fault) : Optional.empty();
        }

        Optional<Double> rate(Node node, String field) {
            Optional<String> t = text(node, field);
            if (t.isEmpty()) {
                return Optional.empty();
            }
            try {
                double v = Double.parseDouble(t.get().trim());
                if (v > 0.0 && v <= 1.0) {
                    return Optional.of(v);
                }
            } catch (NumberFormatException e) {
                // Reported below.
            }
            problem(node, field, "a probability above 0 and at most 1, e.g. 0.1", quote(t.get()));
            return Optional.empty();
        }

        Scenario.Expectations expectations(Node node, int fleet) {
            Map<String, Node> m = mapping(node, "expect", Set.of("nothing_lost", "alarms", "recovered_within", "every_forgery_detected",
                    "valset_changes"));
            if (m == null) {
                return null;
            }
            int before = problems.size();
            boolean nothingLost = Optional.ofNullable(m.get("nothing_lost")).flatMap(n -> bool(n, "expect.nothing_lost")).orElse(false);
            boolean forgeries = Optional.ofNullable(m.get("every_forgery_detected")).flatMap(n -> bool(n, "expect.every_forgery_detected"))
                    .orElse(false);
            Optional<Duration> within = Optional.ofNullable(m.get("recovered_within"))
                    .flatMap(n -> duration(n, "expect.recovered_within", Duration.ofSeconds(1), MAX_DURATION, false));
            long valset = Optional.ofNullable(m.get("valset_changes")).flatMap(n -> integer(n, "expect.valset_changes", 0, 1_000_000))
                    .orElse(0L);
            List<Scenario.ExpectedAlarm> alarms = new ArrayList<>();
            List<Node> items = m.containsKey("alarms") ? sequence(m.get("alarms"), "expect.alarms") : List.of();
            for (int i = 0; items != null && i < items.size(); i++) {
                String field = "expect.alarms[" + i + "]";
                Map<String, Node> a = mapping(items.get(i), field, Set.of("meter", "alarm"));
                if (a == null) {
                    continue;
                }
                Optional<Integer> meter = Optional.ofNullable(a.get("meter")).flatMap(n -> meter(n, field + ".meter", fleet));
                Optional<String> phrase = required(a, items.get(i), "alarm", field).flatMap(n -> text(n, field + ".alarm"));
                if (phrase.isPresent() && !ALARMS.contains(phrase.get())) {
                    problem(a.get("alarm"), field + ".alarm", "one of " + ALARMS, quote(phrase.get()));
                } else if (phrase.isPresent()) {
                    alarms.add(new Scenario.ExpectedAlarm(meter, phrase.get()));
                }
            }
            if (!nothingLost && alarms.isEmpty() && within.isEmpty() && !forgeries && valset == 0 && problems.size() == before) {
                problem(node, "expect", "at least one check (nothing_lost, alarms, recovered_within, every_forgery_detected, "
                        + "valset_changes)", "none");
            }
            return new Scenario.Expectations(nothingLost, alarms, within, forgeries, valset);
        }

        private static String describe(Node node) {
            if (node instanceof ScalarNode s) {
                return "the value " + quote(s.getValue());
            }
            if (node instanceof SequenceNode) {
                return "a list";
            }
            if (node instanceof MappingNode) {
                return "a mapping";
            }
            return "nothing";
        }
    }
}
