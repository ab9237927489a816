package io.wattproof.simulator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.simulator.Simulation;
import io.wattproof.simulator.SimulationConfig;
import io.wattproof.simulator.fleet.SimulatedDevice;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: a fleet of three simulated meters with their agents, broker,
 * gateway and ledger, the dashboard on a free port, and headless Debian Chromium driven over
 * WebDriver. The page must list every meter, draw the fleet-power chart, show the numbers change
 * as the stream delivers, and open a meter's records with their proofs verified.
 */
class DashboardBrowserIT {
    private static final int METERS = 3;

    @TempDir
    Path tmp;

    @Test
    void thePageListsTheFleetDrawsTheChartUpdatesLiveAndShowsVerifiedProofs() throws Exception {
        assumeTrue(WebDriverSession.isInstalled(), "no browser: " + WebDriverSession.CHROMIUM + " and " + WebDriverSession.CHROMEDRIVER
                + " are needed (apt-get install chromium chromium-driver; .ci/run installs them)");
        Clock clock = Clock.systemUTC();
        SimulationConfig config = new SimulationConfig(METERS, Duration.ofSeconds(1), Duration.ofMinutes(5), KeyAlgorithm.ED25519,
                tmp.resolve("run"), null, "wattproof-dashboard-it", 0, ZoneId.of("Europe/Berlin"), Optional.empty());
        try (Simulation sim = Simulation.start(config, clock);
                DashboardServer dashboard = DashboardServer.start(new SimulationFleet(sim, clock), 0, clock);
                WebDriverSession browser = WebDriverSession.start(java.nio.file.Files.createDirectories(tmp.resolve("browser")))) {
            browser.navigate(dashboard.uri());

            await("every meter in the fleet table", Duration.ofSeconds(20),
                    () -> browser.execute("return document.querySelectorAll('#fleet tbody tr').length").asInt() == METERS);
            for (SimulatedDevice d : sim.devices()) {
                JsonNode serial = browser.execute("return document.querySelector('#fleet tbody tr[data-device=\""
                        + d.key().deviceId().hex() + "\"] td:nth-child(2)')?.textContent ?? null");
                assertEquals(d.meterSerial(), serial.asText(), "row of " + d.key().deviceId().hex());
            }

            // The chart: at least two points, and the line's own blue pixels on the canvas.
            await("the fleet-power chart drawn", Duration.ofSeconds(20), () -> {
                JsonNode chart = browser.execute("""
                        const c = document.getElementById('power-chart');
                        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                        let line = 0;
                        for (let i = 0; i < d.length; i += 4) {
                          if (d[i + 3] > 0 && d[i + 2] > 200 && d[i] < 80) line++;
                        }
                        return {points: Number(c.dataset.points || 0), line: line};
                        """);
                return chart.path("points").asInt() >= 2 && chart.path("line").asInt() > 50;
            });

            // The numbers change: readings counted twice, a few seconds apart, over the live stream.
            long first = browser.execute("return document.getElementById('readings').textContent").asLong();
            await("the readings counter to move on from " + first, Duration.ofSeconds(15),
                    () -> browser.execute("return document.getElementById('readings').textContent").asLong() > first);
            assertEquals("live", browser.execute("return document.getElementById('stream').textContent").asText());
            JsonNode height = browser.execute("return document.getElementById('height').textContent");
            assertTrue(height.asLong() >= 2, "chain height shown: " + height);

            // A meter's drill-down: its records, each signature, header and inclusion proof verified.
            String device = sim.devices().get(0).key().deviceId().hex();
            await("a confirmed record of meter 1 on the ledger", Duration.ofSeconds(20),
                    () -> sim.devices().get(0).confirmed() >= 2);
            browser.execute("document.querySelector('#fleet tbody tr[data-device=\"" + device + "\"]').click(); return true;");
            await("the drill-down with verified proofs", Duration.ofSeconds(20), () -> {
                JsonNode rows = browser.execute("""
                        return Array.from(document.querySelectorAll('#records tbody tr[data-sequence]')).map(tr => ({
                          sequence: Number(tr.dataset.sequence),
                          signature: tr.querySelector('td.signature').dataset.verified,
                          header: tr.querySelector('td.header').dataset.verified,
                          proof: tr.querySelector('td.proof').dataset.verified
                        }));
                        """);
                if (rows.size() == 0) {
                    return false;
                }
                for (JsonNode r : rows) {
                    assertEquals("true", r.path("signature").asText(), rows.toString());
                    assertEquals("true", r.path("header").asText(), rows.toString());
                    assertEquals("true", r.path("proof").asText(), rows.toString());
                }
                return true;
            });
            JsonNode title = browser.execute("return document.getElementById('detail-title').textContent");
            assertTrue(title.asText().contains(device), title.asText());
            // For a person to look at when this test fails in CI: the page as the browser drew it.
            browser.execute("document.getElementById('detail').scrollIntoView(); return true;");
            browser.screenshot(java.nio.file.Files.createDirectories(Path.of("target")).resolve("dashboard-browser-it.png"));
        }
    }

    private static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(TimeUnit.MILLISECONDS.toMillis(250));
        }
    }
}
