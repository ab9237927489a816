package io.wattproof.simulator.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattproof.simulator.ledger.app.AppSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The dashboard's JSON documents (docs/dashboard.md, "Endpoints"), built as trees so the field
 * names are the documented ones whatever the records are called. Instants are ISO-8601 UTC
 * strings; the chart's points are {@code [epochMillis, watts]} pairs; absent values are null.
 */
public final class DashboardJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardJson() {}

    /** {@code GET /api/fleet} (with {@code history}) and each {@code /events} message (without). */
    public static ObjectNode fleet(FleetSnapshot snapshot, Optional<List<FleetHistory.PowerPoint>> history) {
        FleetSample s = snapshot.sample();
        ObjectNode o = JSON.createObjectNode();
        o.put("at", s.at().toString());
        o.put("atMillis", s.at().toEpochMilli());
        o.put("chainId", s.chainId());
        o.put("height", s.height());
        o.put("blockTime", s.blockTime().map(Object::toString).orElse(null));
        if (s.blockInterval().isPresent()) {
            o.put("blockIntervalMs", s.blockInterval().get().toMillis());
        } else {
            o.putNull("blockIntervalMs");
        }
        o.put("readings", s.readings());
        o.put("confirmed", s.confirmed());
        o.put("verified", s.verified());
        o.put("rejected", s.rejected());
        o.put("gaps", s.gaps());
        o.put("forgeriesDetected", s.forgeriesDetected());
        o.put("outboxDepth", s.outboxDepth());
        o.put("fleetPowerW", s.fleetPowerW());
        o.put("readingsPerSecond", snapshot.readingsPerSecond());
        o.put("confirmationsPerSecond", snapshot.confirmationsPerSecond());
        strings(o.putArray("alarms"), snapshot.alarms());
        ArrayNode meters = o.putArray("meters");
        for (MeterRow m : s.meters()) {
            meters.add(meter(m));
        }
        if (history.isPresent()) {
            ArrayNode points = o.putArray("history");
            for (FleetHistory.PowerPoint p : history.get()) {
                points.addArray().add(p.at().toEpochMilli()).add(p.powerW());
            }
        }
        return o;
    }

    static ObjectNode meter(MeterRow m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("index", m.index());
        o.put("deviceId", m.deviceId());
        o.put("serial", m.serial());
        if (m.powerW().isPresent()) {
            o.put("powerW", m.powerW().get());
        } else {
            o.putNull("powerW");
        }
        o.put("readings", m.readings());
        o.put("confirmed", m.confirmed());
        o.put("outboxDepth", m.outboxDepth());
        o.put("unconfirmed", m.unconfirmed());
        o.put("connected", m.connected());
        o.put("ledgerHead", m.ledgerHead());
        strings(o.putArray("alarms"), m.alarms());
        return o;
    }

    /** {@code GET /api/meters/{deviceId}}. */
    public static ObjectNode meterDetail(MeterDetail d) {
        ObjectNode o = JSON.createObjectNode();
        o.set("meter", meter(d.row()));
        ObjectNode ledger = o.putObject("ledger");
        ledger.put("registered", d.onLedger().isPresent());
        if (d.onLedger().isPresent()) {
            AppSnapshot.DeviceView v = d.onLedger().get();
            ledger.put("algorithm", v.algorithm().toString());
            ledger.put("board", v.board());
            ledger.put("location", v.location());
            ledger.put("account", v.account());
            ledger.put("revoked", v.revoked());
            ledger.put("headSequence", v.headSequence());
            ledger.put("accepted", v.accepted());
            ledger.put("missing", v.missing());
        }
        ArrayNode records = o.putArray("records");
        for (RecordView r : d.records()) {
            records.add(record(r));
        }
        return o;
    }

    static ObjectNode record(RecordView r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", r.kind());
        o.put("sequence", r.sequence());
        o.put("height", r.height());
        o.put("index", r.index());
        o.put("txHash", r.txHash());
        o.put("start", r.start().toString());
        o.put("seconds", r.seconds());
        o.put("importWh", r.importWh());
        o.put("energyWh", r.energyWh());
        if (r.averagePowerW().isPresent()) {
            o.put("averagePowerW", r.averagePowerW().get());
        } else {
            o.putNull("averagePowerW");
        }
        o.put("resultCode", r.resultCode());
        o.set("signature", check(r.signature()));
        o.set("header", check(r.header()));
        o.set("inclusion", check(r.inclusion()));
        RecordView.ProofFacts p = r.proof();
        ObjectNode proof = o.putObject("proof");
        proof.put("rootHash", p.rootHash());
        proof.put("leafHash", p.leafHash());
        proof.put("index", p.index());
        proof.put("total", p.total());
        strings(proof.putArray("aunts"), p.aunts());
        proof.put("dataHash", p.dataHash().orElse(null));
        proof.put("headerHash", p.headerHash().orElse(null));
        return o;
    }

    private static ObjectNode check(Check c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("passed", c.passed());
        o.put("detail", c.detail());
        return o;
    }

    /** Every error the dashboard answers: {@code {"error": "..."}}, lowercase, naming the field. */
    public static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    public static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises: " + e.getMessage(), e);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
