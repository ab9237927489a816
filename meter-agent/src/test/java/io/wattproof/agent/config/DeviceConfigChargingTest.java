package io.wattproof.agent.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.seal.PartyPseudonyms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code charging:} section of a pile's configuration file (docs/provisioning.md). */
class DeviceConfigChargingTest {
    private static final String BASE = """
            schema: wattproof-agent/1
            board: raspberry-pi-4b
            device_id: 00112233445566778899aabbccddeeff00112233
            key_store:
              kind: software
              dir: /var/lib/wattproof/keys
              secret_file: /etc/wattproof/device-key.secret
            mqtt:
              broker: tcp://127.0.0.1:1883
            ledger:
              chain_id: wattproof-main
            """;
    private static final String OWNER = "11".repeat(32);
    private static final String SUPERVISOR = "22".repeat(32);
    private static final String SALT = "33".repeat(32);

    private static String charging(String keyFile, String owner, String supervisor, String contact, String salt) {
        return BASE + "charging:\n  seal_key_file: " + keyFile + "\n  owner_seal_key: \"" + owner + "\"\n  supervisor_seal_key: \""
                + supervisor + "\"\n  owner_contact: \"" + contact + "\"\n  owner_salt: \"" + salt + "\"\n";
    }

    private static List<ConfigProblem> problems(String text) {
        return assertInstanceOf(ConfigParseResult.Invalid.class, DeviceConfigParser.parse("agent.yaml", text)).problems();
    }

    @Test
    void aPileSectionReadsWritesBackAndGivesTheOwnersPseudonym() {
        DeviceConfig c = assertInstanceOf(ConfigParseResult.Parsed.class,
                DeviceConfigParser.parse("agent.yaml", charging("/etc/wattproof/pile-seal.key", OWNER, SUPERVISOR, "owner: +49 30 1234", SALT)))
                .config();
        DeviceConfig.Charging ch = c.charging().orElseThrow();
        assertEquals(Path.of("/etc/wattproof/pile-seal.key"), ch.sealKeyFile());
        assertEquals("owner: +49 30 1234", ch.ownerContact());
        assertArrayEquals(PartyPseudonyms.pseudonym(ch.ownerSalt(), "owner: +49 30 1234".getBytes(StandardCharsets.UTF_8)),
                ch.ownerPseudonym());
        assertFalse(ch.toString().contains(SALT), "the salt is not printed");
        DeviceConfig read = assertInstanceOf(ConfigParseResult.Parsed.class,
                DeviceConfigParser.parse("agent.yaml", DeviceConfigWriter.write(c))).config();
        assertEquals(c, read);
        assertEquals(Optional.empty(),
                ((ConfigParseResult.Parsed) DeviceConfigParser.parse("agent.yaml", BASE)).config().charging(), "a meter is no pile");
    }

    @Test
    void everyBadFieldIsNamedWithWhatWasExpected() {
        List<ConfigProblem> p = problems(charging("relative/key", OWNER.substring(2), OWNER, "", "zz"));
        List<String> fields = p.stream().map(ConfigProblem::field).toList();
        assertTrue(fields.containsAll(List.of("charging.seal_key_file", "charging.owner_seal_key", "charging.owner_contact",
                "charging.owner_salt")), p.toString());
        ConfigProblem salt = p.stream().filter(x -> x.field().equals("charging.owner_salt")).findFirst().orElseThrow();
        assertTrue(salt.expected().startsWith("64 lowercase hex characters"), salt.toString());
        assertFalse(salt.actual().contains("zz"), "a malformed salt is not echoed");
        List<ConfigProblem> same = problems(charging("/k", OWNER, OWNER, "c", SALT));
        assertEquals("charging.supervisor_seal_key", same.get(0).field());
        List<ConfigProblem> unknown = problems(BASE + "charging:\n  relay_pin: 17\n");
        assertFalse(unknown.isEmpty());
    }

    private static String withOffer(String offerKeys) {
        return charging("/etc/wattproof/pile-seal.key", OWNER, SUPERVISOR, "owner@example.org", SALT) + "  offer:\n" + offerKeys;
    }

    private static DeviceConfig parsed(String text) {
        return assertInstanceOf(ConfigParseResult.Parsed.class, DeviceConfigParser.parse("agent.yaml", text)).config();
    }

    @Test
    void anOfferSectionReadsWritesBackAndDefaultsToAWeek() {
        DeviceConfig c = parsed(withOffer("    unit_price: 300000\n    max_power_w: 11000\n    window_days: 14\n"));
        assertEquals(Optional.of(new DeviceConfig.Offer(300_000, 11_000, 14)), c.charging().orElseThrow().offer());
        assertEquals(c, parsed(DeviceConfigWriter.write(c)));

        DeviceConfig week = parsed(withOffer("    unit_price: 1000000000\n    max_power_w: 1000000\n"));
        assertEquals(Optional.of(new DeviceConfig.Offer(1_000_000_000L, 1_000_000, 7)), week.charging().orElseThrow().offer());
        assertEquals(week, parsed(DeviceConfigWriter.write(week)));
        assertTrue(DeviceConfigWriter.write(week).contains("window_days: 7"));

        DeviceConfig none = parsed(charging("/k", OWNER, SUPERVISOR, "c", SALT));
        assertEquals(Optional.empty(), none.charging().orElseThrow().offer(), "no offer section: the pile makes no offers");
        assertEquals(none, parsed(DeviceConfigWriter.write(none)));
        assertFalse(DeviceConfigWriter.write(none).contains("offer:"));
    }

    @Test
    void everyBadOfferValueIsNamedWithWhatWasExpectedAndWhatWasFound() {
        record Bad(String keys, String field, String expected, String actual) {}
        for (Bad b : List.of(
                new Bad("    unit_price: 0\n    max_power_w: 11000\n", "charging.offer.unit_price", "1..1000000000 micro-units per kWh", "0"),
                new Bad("    unit_price: 1000000001\n    max_power_w: 11000\n", "charging.offer.unit_price",
                        "1..1000000000 micro-units per kWh", "1000000001"),
                new Bad("    unit_price: -5\n    max_power_w: 11000\n", "charging.offer.unit_price", "1..1000000000 micro-units per kWh",
                        "-5"),
                new Bad("    max_power_w: 11000\n", "charging.offer.unit_price", "1..1000000000 micro-units per kWh", "nothing"),
                new Bad("    unit_price: 300000\n    max_power_w: 0\n", "charging.offer.max_power_w", "1..1000000 W", "0"),
                new Bad("    unit_price: 300000\n    max_power_w: 1000001\n", "charging.offer.max_power_w", "1..1000000 W", "1000001"),
                new Bad("    unit_price: 300000\n", "charging.offer.max_power_w", "1..1000000 W", "nothing"),
                new Bad("    unit_price: 300000\n    max_power_w: 11000\n    window_days: 0\n", "charging.offer.window_days",
                        "1..30 days", "0"),
                new Bad("    unit_price: 300000\n    max_power_w: 11000\n    window_days: 31\n", "charging.offer.window_days",
                        "1..30 days", "31"))) {
            List<ConfigProblem> p = problems(withOffer(b.keys()));
            assertEquals(List.of(new ConfigProblem("agent.yaml", b.field(), b.expected(), b.actual())), p, b.keys());
        }
        List<ConfigProblem> notANumber = problems(withOffer("    unit_price: cheap\n    max_power_w: 11000\n"));
        assertTrue(notANumber.get(0).field().contains("unit_price"), notANumber.toString());
        assertFalse(problems(withOffer("    unit_price: 1\n    max_power_w: 1\n    price_per_hour: 3\n")).isEmpty(),
                "an unknown key is refused");
    }
}
