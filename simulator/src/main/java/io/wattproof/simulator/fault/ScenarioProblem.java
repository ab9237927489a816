package io.wattproof.simulator.fault;

/**
 * What is wrong with a scenario file or a fault request, where.
 *
 * @param origin the file's name, or {@code request} for the dashboard
 * @param line 1-based line of the offending value; 0 when not known
 * @param field path of the field, e.g. {@code timeline[2].for}; {@code (file)} for the whole file
 */
public record ScenarioProblem(String origin, int line, String field, String expected, String actual) {
    public String message() {
        return origin + (line > 0 ? ":" + line : "") + ": " + field + ": expected " + expected + ", got " + actual;
    }
}
