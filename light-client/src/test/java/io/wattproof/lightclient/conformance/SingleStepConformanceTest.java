package io.wattproof.lightclient.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.ConformanceData;
import io.wattproof.lightclient.json.CometJson;
import io.wattproof.lightclient.verifier.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of tendermint-rs' model-based single-step light-client tests
 * (informalsystems/tendermint-rs, light-client/tests/support/model_based/single_step; read from
 * ../shared/conformance/cometbft/single_step): each step's verdict must equal theirs.
 */
class SingleStepConformanceTest {
    static List<Path> files() throws IOException {
        Path dir = ConformanceData.file("cometbft/single_step");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertFalse(files.isEmpty(), "no .json cases in " + dir);
            return files;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void everyStepGetsTheReferenceVerdict(Path file) throws Exception {
        SingleStepCase c = SingleStepCase.fromJson(CometJson.parse(Files.readString(file), file.toString()));
        assertFalse(c.steps().isEmpty());
        List<SingleStepRunner.StepResult> results = new SingleStepRunner(new Verifier()).run(c);
        StringBuilder failures = new StringBuilder();
        for (SingleStepRunner.StepResult r : results) {
            if (!r.passed()) {
                failures.append("step ").append(r.index()).append(" (height ").append(r.height()).append("): expected ")
                        .append(r.expected()).append(", got ").append(r.actual()).append(": ").append(r.reason()).append('\n');
            }
        }
        assertEquals("", failures.toString());
        assertTrue(results.size() == c.steps().size());
    }
}
