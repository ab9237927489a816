// The simulator's dashboard (docs/dashboard.md). Plain browser JavaScript, no build step and no
// library: the first snapshot with the chart's history from /api/fleet, then one snapshot a second
// from the /events stream (server-sent events); a meter's drill-down from /api/meters/{deviceId}.
"use strict";

const HISTORY_LIMIT = 600; // points, as the server keeps: ten minutes at one a second
const history = []; // [epochMillis, watts]
let selected = null; // device id of the open drill-down

const $ = (id) => document.getElementById(id);

function formatWatts(w) {
  if (w === null || w === undefined) return "–";
  return Math.abs(w) >= 10000 ? (w / 1000).toFixed(1) + " kW" : w.toFixed(0) + " W";
}

function setText(id, text) {
  const el = $(id);
  if (el.textContent !== String(text)) el.textContent = text;
}

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function render(s) {
  setText("chain", s.chainId);
  setText("fleet-power", formatWatts(s.fleetPowerW));
  setText("readings", s.readings);
  setText("readings-per-second", s.readingsPerSecond.toFixed(1));
  setText("confirmed", s.confirmed);
  setText("confirmations-per-second", s.confirmationsPerSecond.toFixed(1));
  setText("height", s.height);
  setText("block-time", s.blockIntervalMs === null ? "–" : (s.blockIntervalMs / 1000).toFixed(2) + " s");
  $("block-time").title = s.blockTime ? "latest block at " + s.blockTime : "";
  setText("outbox", s.outboxDepth);
  setText("rejected", s.rejected);

  const alarms = $("alarms");
  alarms.replaceChildren();
  if (s.alarms.length === 0) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = "none";
    alarms.appendChild(li);
  }
  for (const a of s.alarms) {
    const li = document.createElement("li");
    li.textContent = a;
    alarms.appendChild(li);
  }

  const body = $("fleet").tBodies[0];
  body.replaceChildren();
  for (const m of s.meters) {
    const tr = document.createElement("tr");
    tr.dataset.device = m.deviceId;
    if (m.deviceId === selected) tr.className = "selected";
    cell(tr, m.index, "num");
    cell(tr, m.serial);
    cell(tr, m.deviceId.slice(0, 12) + "…", "id").title = m.deviceId;
    cell(tr, m.powerW === null ? "–" : m.powerW.toFixed(0), "num power");
    cell(tr, m.readings, "num readings");
    cell(tr, m.confirmed, "num");
    cell(tr, m.ledgerHead, "num");
    cell(tr, m.outboxDepth + m.unconfirmed, "num").title = m.outboxDepth + " not acknowledged, " + m.unconfirmed + " awaiting a verified receipt";
    cell(tr, m.connected ? "up" : "down", m.connected ? "ok" : "bad");
    cell(tr, m.alarms.join("; "), m.alarms.length ? "bad" : "");
    tr.addEventListener("click", () => openMeter(m.deviceId, m.serial));
    body.appendChild(tr);
  }
}

function addPoint(atMillis, watts) {
  if (history.length && history[history.length - 1][0] >= atMillis) return;
  history.push([atMillis, watts]);
  while (history.length > HISTORY_LIMIT) history.shift();
}

// Fleet power over time on a canvas: a line through every point, the zero line, and the range
// and time span written on the axes.
function drawChart() {
  const canvas = $("power-chart");
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height;
  const left = 70, right = 10, top = 12, bottom = 24;
  ctx.clearRect(0, 0, w, h);
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillStyle = "#6b7785";
  canvas.dataset.points = String(history.length);
  if (history.length < 2) {
    ctx.fillText("waiting for samples…", left, h / 2);
    return;
  }
  const t0 = history[0][0], t1 = history[history.length - 1][0];
  let lo = Math.min(0, ...history.map((p) => p[1]));
  let hi = Math.max(0, ...history.map((p) => p[1]));
  if (hi - lo < 1) hi = lo + 1;
  const pad = (hi - lo) * 0.08;
  lo -= lo < 0 ? pad : 0;
  hi += pad;
  const x = (t) => left + ((t - t0) / Math.max(1, t1 - t0)) * (w - left - right);
  const y = (v) => top + (1 - (v - lo) / (hi - lo)) * (h - top - bottom);

  ctx.strokeStyle = "#c9d1da";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(left, y(0));
  ctx.lineTo(w - right, y(0));
  ctx.stroke();
  ctx.fillText(formatWatts(hi), 4, top + 10);
  ctx.fillText("0 W", 4, y(0) + 4);
  if (lo < 0) ctx.fillText(formatWatts(lo), 4, h - bottom);
  const span = Math.round((t1 - t0) / 1000);
  ctx.fillText("−" + span + " s", left, h - 6);
  ctx.fillText(new Date(t1).toLocaleTimeString(), w - right - 70, h - 6);

  ctx.strokeStyle = "#1f6feb";
  ctx.lineWidth = 2;
  ctx.beginPath();
  history.forEach((p, i) => (i === 0 ? ctx.moveTo(x(p[0]), y(p[1])) : ctx.lineTo(x(p[0]), y(p[1]))));
  ctx.stroke();
}

function checkCell(row, check, cls) {
  const td = cell(row, check.passed ? "✔ verified" : "✘ failed", (check.passed ? "ok " : "bad ") + cls);
  td.dataset.verified = String(check.passed);
  td.title = check.detail;
  return td;
}

async function openMeter(deviceId, serial) {
  selected = deviceId;
  for (const tr of $("fleet").tBodies[0].rows) tr.classList.toggle("selected", tr.dataset.device === deviceId);
  $("detail").hidden = false;
  setText("detail-title", serial + " · " + deviceId);
  const error = $("detail-error");
  error.hidden = true;
  let d;
  try {
    const response = await fetch("/api/meters/" + encodeURIComponent(deviceId), { cache: "no-store" });
    d = await response.json();
    if (!response.ok) throw new Error(d.error || response.status);
  } catch (e) {
    error.textContent = "could not load the meter: " + e.message;
    error.hidden = false;
    return;
  }
  if (selected !== deviceId) return;
  const l = d.ledger;
  setText("detail-ledger", l.registered
    ? `registered on the ledger: ${l.algorithm}, ${l.board}, ${l.location}, account ${l.account}; ` +
      `head sequence ${l.headSequence}, ${l.accepted} accepted, ${l.missing} missing${l.revoked ? ", REVOKED" : ""}`
    : "not registered on the ledger");
  const body = $("records").tBodies[0];
  body.replaceChildren();
  for (const r of d.records) {
    const tr = document.createElement("tr");
    tr.dataset.sequence = r.sequence;
    cell(tr, r.sequence, "num");
    cell(tr, r.kind);
    cell(tr, new Date(r.start).toLocaleTimeString() + " +" + r.seconds + " s");
    cell(tr, r.energyWh, "num");
    cell(tr, r.averagePowerW === null ? "–" : r.averagePowerW, "num");
    cell(tr, r.height + " #" + r.index, "num");
    checkCell(tr, r.signature, "signature");
    checkCell(tr, r.header, "header");
    const proof = checkCell(tr, r.inclusion, "proof");
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "proof";
    const pre = document.createElement("pre");
    pre.className = "hash";
    pre.textContent = [
      "tx hash     " + r.txHash,
      "leaf        " + r.proof.leafHash + "  (" + r.proof.index + " of " + r.proof.total + ")",
      ...r.proof.aunts.map((a, i) => "aunt " + String(i).padEnd(7) + a),
      "root        " + r.proof.rootHash,
      "data_hash   " + (r.proof.dataHash || "–"),
      "header hash " + (r.proof.headerHash || "–"),
      r.inclusion.detail,
      r.header.detail,
      r.signature.detail,
    ].join("\n");
    details.append(summary, pre);
    proof.appendChild(details);
    body.appendChild(tr);
  }
  if (d.records.length === 0) {
    const tr = document.createElement("tr");
    cell(tr, "no records of this meter in the ledger's recent blocks yet").colSpan = 9;
    body.appendChild(tr);
  }
}

$("detail-close").addEventListener("click", () => {
  selected = null;
  $("detail").hidden = true;
  for (const tr of $("fleet").tBodies[0].rows) tr.classList.remove("selected");
});

async function start() {
  try {
    const response = await fetch("/api/fleet", { cache: "no-store" });
    const s = await response.json();
    for (const p of s.history || []) addPoint(p[0], p[1]);
    render(s);
    drawChart();
  } catch (e) {
    setText("stream", "no snapshot: " + e.message);
  }
  const events = new EventSource("/events");
  const badge = $("stream");
  events.onopen = () => { badge.dataset.state = "live"; badge.textContent = "live"; };
  events.onerror = () => { badge.dataset.state = "lost"; badge.textContent = "reconnecting"; };
  events.addEventListener("fleet", (e) => {
    const s = JSON.parse(e.data);
    // As the server's history: no point before any meter has been read.
    if (s.meters.some((m) => m.powerW !== null)) addPoint(s.atMillis, s.fleetPowerW);
    render(s);
    drawChart();
  });
}

// The faults panel (docs/faults.md): shown only when the run takes faults from the dashboard.
function faultBody(kind) {
  const meters = $("fault-meters").value.split(",").map((m) => Number(m.trim()));
  const forHow = $("fault-for").value.trim();
  switch (kind) {
    case "broker-restart": return { down: forHow };
    case "partition": return { meters, for: forHow };
    case "clock-jump": return { meter: meters[0], by: $("fault-by").value.trim(), for: forHow };
    case "byzantine-gateway": return { rate: Number($("fault-rate").value), for: forHow };
    default: return { meter: meters[0], for: forHow };
  }
}

function logFault(text, cls) {
  const li = document.createElement("li");
  li.textContent = new Date().toLocaleTimeString() + " " + text;
  if (cls) li.className = cls;
  $("faults-log").prepend(li);
}

async function startFaults() {
  let kinds;
  try {
    const response = await fetch("/api/faults", { cache: "no-store" });
    if (!response.ok) return;
    kinds = (await response.json()).kinds;
  } catch (e) {
    return;
  }
  for (const k of kinds) {
    const option = document.createElement("option");
    option.value = k;
    option.textContent = k;
    $("fault-kind").append(option);
  }
  $("faults-section").hidden = false;
  $("faults-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const kind = $("fault-kind").value;
    try {
      const response = await fetch("/api/faults/" + encodeURIComponent(kind), {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(faultBody(kind)),
      });
      const answer = await response.json();
      if (response.ok) logFault("#" + answer.id + " " + answer.injected, "ok");
      else logFault(kind + ": " + answer.error, "bad");
    } catch (err) {
      logFault(kind + ": " + err.message, "bad");
    }
  });
}

start();
startFaults();
