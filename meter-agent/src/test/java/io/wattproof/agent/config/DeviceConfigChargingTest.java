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
}
