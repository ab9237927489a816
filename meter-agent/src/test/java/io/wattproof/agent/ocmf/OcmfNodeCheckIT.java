package io.wattproof.agent.ocmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.agent.ocmf.OcmfCodes.CurrentType;
import io.wattproof.agent.ocmf.OcmfCodes.EnergyUnit;
import io.wattproof.agent.ocmf.OcmfCodes.MeterStatus;
import io.wattproof.agent.ocmf.OcmfCodes.ReadingReason;
import io.wattproof.agent.ocmf.OcmfCodes.TimeSync;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our exports checked by another implementation: @road-labs/ocmf (npm, pinned in
 * src/test/ocmf-check/package-lock.json) on Node.js parses each line, verifies the DER signature
 * over the payload section with the pile's public key, and parses every TM with its own reader.
 */
class OcmfNodeCheckIT {
    static final Path NODE = Path.of("/usr/bin/node");
    static final Path CHECKER = Path.of("src/test/ocmf-check").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void theNpmCheckerAcceptsOurExportsAndRefusesAChangedReading() throws Exception {
        requireChecker();
        Path secret = tmp.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        DeviceKey pile = SoftwareKeyStore.create(tmp.resolve("pile"), KeyAlgorithm.ECDSA_P256_SHA256, secret);

        List<OcmfSession> sessions = List.of(
                OcmfSessions.session(),
                OcmfSessions.session(2_935_600),
                withTimes(OcmfSessions.session(3_000_000), TimeSync.UNSYNCHRONIZED, TimeSync.RELATIVE, ZoneOffset.ofHoursMinutes(-3, -30)),
                inWh(OcmfSessions.session()));
        List<String> lines = new ArrayList<>();
        for (OcmfSession s : sessions) {
            lines.add(OcmfSigner.sign(s, pile).line());
        }
        String forged = lines.get(0).replace("\"RV\":2965.105", "\"RV\":2975.105");
        assertFalse(forged.equals(lines.get(0)));
        lines.add(forged);

        Path keyFile = tmp.resolve("pile.pub.pem");
        Files.writeString(keyFile, PublicKeys.toPem(pile.publicKeyInfo()));
        Path linesFile = tmp.resolve("lines.txt");
        Files.write(linesFile, lines, StandardCharsets.UTF_8);

        List<JsonNode> results = runChecker(keyFile, linesFile);
        assertEquals(lines.size(), results.size(), "one result per line: " + results);
        for (int i = 0; i < sessions.size(); i++) {
            JsonNode r = results.get(i);
            assertTrue(r.path("verified").asBoolean(), "line " + (i + 1) + " refused by @road-labs/ocmf: " + r);
            OcmfSession s = sessions.get(i);
            assertEquals(s.begin().time(), Instant.parse(r.path("times").get(0).path("instant").asText()));
            assertEquals(s.begin().sync().code(), r.path("times").get(0).path("sync").asText());
            assertEquals(s.end().time(), Instant.parse(r.path("times").get(1).path("instant").asText()));
            assertEquals(s.end().sync().code(), r.path("times").get(1).path("sync").asText());
        }
        JsonNode refused = results.get(lines.size() - 1);
        assertFalse(refused.path("verified").asBoolean(), "a changed reading was accepted: " + refused);
        assertFalse(refused.has("error"), "a changed reading should fail the signature, not the parse: " + refused);
    }

    private static void requireChecker() {
        if (!Files.isExecutable(NODE)) {
            fail("OCMF interop check needs Node.js at " + NODE + "; install the Debian package nodejs");
        }
        if (!Files.isDirectory(CHECKER.resolve("node_modules/@road-labs/ocmf"))
                || !Files.isDirectory(CHECKER.resolve("node_modules/@road-labs/ocmf-crypto-noble"))) {
            fail("OCMF interop check: " + CHECKER.resolve("node_modules") + " is missing @road-labs/ocmf; run the install step"
                    + " `npm ci` in meter-agent/src/test/ocmf-check (.ci/run does it before the tests)");
        }
    }

    private List<JsonNode> runChecker(Path keyFile, Path linesFile) throws Exception {
        Path out = tmp.resolve("checker.out");
        Path err = tmp.resolve("checker.err");
        Process p = new ProcessBuilder(NODE.toString(), "check.js", keyFile.toString(), linesFile.toString())
                .directory(CHECKER.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("node check.js did not finish within 60 s; stderr: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), "node check.js exit status; stderr: " + Files.readString(err));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> results = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            if (!line.isBlank()) {
                results.add(json.readTree(line));
            }
        }
        return results;
    }

    private static OcmfSession withTimes(OcmfSession s, TimeSync beginSync, TimeSync endSync, ZoneOffset offset) {
        OcmfSession.Reading b = s.begin();
        OcmfSession.Reading e = s.end();
        return new OcmfSession(s.gateway(), s.meter(), s.sequence() + 1, s.identification(), Optional.empty(),
                new OcmfSession.Reading(b.time(), offset, beginSync, b.reason(), b.registerWh(), b.unit(), Optional.of(CurrentType.DC),
                        b.errorFlags(), b.status()),
                new OcmfSession.Reading(e.time(), offset, endSync, ReadingReason.END_POWER_FAILURE, e.registerWh(), e.unit(),
                        Optional.of(CurrentType.DC), Set.of(OcmfCodes.ErrorFlag.TIME), MeterStatus.OK),
                s.previousRecordHash());
    }

    private static OcmfSession inWh(OcmfSession s) {
        OcmfSession.Reading b = s.begin();
        OcmfSession.Reading e = s.end();
        return new OcmfSession(s.gateway(), s.meter(), s.sequence() + 2, s.identification(), s.chargePoint(),
                new OcmfSession.Reading(b.time(), b.offset(), b.sync(), b.reason(), b.registerWh(), EnergyUnit.WH, b.currentType(),
                        b.errorFlags(), b.status()),
                new OcmfSession.Reading(e.time(), e.offset(), e.sync(), e.reason(), e.registerWh(), EnergyUnit.WH, e.currentType(),
                        e.errorFlags(), e.status()),
                s.previousRecordHash());
    }
}
