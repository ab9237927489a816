package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.driver.CarOwnerStore;
import io.wattproof.agent.driver.GatewayDouble;
import io.wattproof.agent.driver.PileDouble;
import io.wattproof.agent.driver.TestMosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meter-agent charge} over Debian's Mosquitto against the gateway and pile test doubles. */
class ChargeCommandIT extends CommandLineTest {
    @TempDir
    Path dir;
    private TestMosquitto broker;
    private PileDouble pile;
    private GatewayDouble gateway;

    @BeforeEach
    void start() throws Exception {
        broker = TestMosquitto.start(dir);
        pile = new PileDouble(broker.uri());
        gateway = new GatewayDouble(broker.uri(), pile::booked);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, pile, broker}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private String[] common(String command, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("charge", command, "--keys", dir.resolve("owner").toString(),
                "--broker", broker.uri(), "--resend", "2"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void bookStartWatchAndStop() throws Exception {
        assertEquals(0, run(common("info", "--pile", pile.id().hex())), err);
        assertTrue(out.contains("offer " + java.util.HexFormat.of().formatHex(pile.offerHash()) + " unit_price 300000 per kWh"), out);
        String from = Instant.now().minusSeconds(10).toString();
        assertEquals(0, run(common("book", "--pile", pile.id().hex(), "--energy", "10000", "--amount", "3000000", "--from", from,
                "--until", "1h", "--contact", "Erika, B-EM 123E")), err);
        assertTrue(out.contains("(the pile's first current offer)"), out);
        Matcher m = Pattern.compile("booked: ([0-9a-f]{64}) at height (\\d+) \\(nonce 1\\)").matcher(out);
        assertTrue(m.find(), out);
        String booking = m.group(1);
        assertTrue(Files.exists(dir.resolve("owner").resolve(CarOwnerStore.BOOKINGS_DIR).resolve(booking + ".json")));
        assertEquals("1", Files.readString(dir.resolve("owner").resolve(CarOwnerStore.NONCE_FILE)).strip());

        assertEquals(0, run(common("start", "--booking", booking)), err);
        assertTrue(out.contains("started at "), out);
        assertEquals(List.of("Erika, B-EM 123E"), pile.openedContacts);

        assertEquals(0, run(common("stop", "--booking", booking)), err);
        assertTrue(out.contains("closed at ") && out.contains(": STOPPED_BY_USER, 250 Wh, amount 75000"), out);

        assertEquals(1, run(common("start", "--booking", booking)));
        assertTrue(err.contains("start refused by the pile: start request booking_tx_hash: expected a booking without a session"), err);

        assertEquals(0, run(common("watch", "--booking", booking, "--for", "1s")), err);
        assertTrue(out.contains("watching booking " + booking), out);
    }

    @Test
    void anExplicitNonceIsUsedAndMovesTheCounter() throws Exception {
        assertEquals(0, run(common("book", "--pile", pile.id().hex(), "--energy", "10000", "--amount", "3000000", "--nonce", "4")), err);
        assertTrue(out.contains("(nonce 4)"), out);
        assertEquals("4", Files.readString(dir.resolve("owner").resolve(CarOwnerStore.NONCE_FILE)).strip());
    }

    @Test
    void aRefusedBookingExitsOneWithTheLedgersReason() throws Exception {
        gateway.mode = GatewayDouble.Mode.REFUSE;
        assertEquals(1, run(common("book", "--pile", pile.id().hex(), "--energy", "10000", "--amount", "3000000")));
        assertTrue(err.contains("refused by the ledger: RESULT_INVALID (11): " + GatewayDouble.REFUSAL_LOG), err);
        assertTrue(err.contains("hint: "), err);
        assertTrue(!Files.exists(dir.resolve("owner").resolve(CarOwnerStore.NONCE_FILE)), "no nonce used up");
    }
}
