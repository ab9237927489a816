package io.wattproof.agent.config;

import io.wattproof.agent.ledger.LedgerSettings;
import io.wattproof.agent.board.BoardProfileParser;
import io.wattproof.agent.config.DeviceConfig.Atecc608Store;
import io.wattproof.agent.config.DeviceConfig.Pkcs11Store;
import io.wattproof.agent.config.DeviceConfig.SoftwareStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes a configuration as the YAML {@link DeviceConfigParser} reads back to an equal {@link
 * DeviceConfig} (except {@code origin}). Keys are written in a fixed order with a comment per
 * section, so a technician reading the file on site sees what each part is for.
 */
public final class DeviceConfigWriter {
    private DeviceConfigWriter() {}

    public static String write(DeviceConfig c) {
        StringBuilder y = new StringBuilder();
        y.append("# Wattproof meter agent configuration; format: docs/provisioning.md.\n");
        y.append("# Written by 'meter-agent provision'; check it with 'meter-agent provision --check'.\n");
        y.append("schema: ").append(DeviceConfig.SCHEMA).append('\n');
        y.append("# Board profile: a built-in name (meter-agent boards) or a file.\n");
        y.append("board: ").append(scalar(c.board())).append('\n');
        y.append("# The identity this device was provisioned with; the agent refuses any other key.\n");
        y.append("device_id: ").append(c.deviceId().hex()).append('\n');
        c.location().ifPresent(l -> y.append("location: ").append(scalar(l)).append('\n'));
        y.append("key_store:\n");
        y.append("  kind: ").append(c.keyStore().kind()).append('\n');
        switch (c.keyStore()) {
            case SoftwareStore s -> {
                path(y, "  dir", s.dir());
                path(y, "  secret_file", s.secretFile());
            }
            case Pkcs11Store p -> {
                path(y, "  pkcs11_library", p.library());
                y.append("  token_label: ").append(scalar(p.tokenLabel())).append('\n');
                y.append("  key_label: ").append(scalar(p.keyLabel())).append('\n');
                path(y, "  pin_file", p.pinFile());
            }
            case Atecc608Store a -> y.append("  slot: ").append(a.slot()).append('\n');
        }
        y.append("mqtt:\n");
        y.append("  broker: ").append(scalar(c.mqtt().broker().toString())).append('\n');
        optionalPath(y, "  device_cert", c.mqtt().deviceCert());
        optionalPath(y, "  broker_ca", c.mqtt().brokerCa());
        y.append("ledger:\n");
        y.append("  chain_id: ").append(scalar(c.ledger().chainId())).append('\n');
        optionalPath(y, "  trust_anchor", c.ledger().trustAnchor());
        if (!c.ledger().receiptTimeout().equals(LedgerSettings.DEFAULT_RECEIPT_TIMEOUT)) {
            y.append("  receipt_timeout: ").append(BoardProfileParser.formatDuration(c.ledger().receiptTimeout())).append('\n');
        }
        if (c.ledger().pruneThreshold() != LedgerSettings.DEFAULT_PRUNE_THRESHOLD) {
            y.append("  prune_threshold: ").append(c.ledger().pruneThreshold()).append('\n');
        }
        DeviceConfig.MeterOverrides m = c.meter();
        if (m.model().isPresent() || m.unitId().isPresent() || m.serial().isPresent() || m.source() != DeviceConfig.EnergySource.MODBUS) {
            y.append("# Overrides of the board profile's meter.\n");
            y.append("meter:\n");
            m.model().ifPresent(v -> y.append("  model: ").append(scalar(v)).append('\n'));
            m.unitId().ifPresent(v -> y.append("  unit_id: ").append(v).append('\n'));
            m.serial().ifPresent(v -> y.append("  serial: ").append(scalar(v)).append('\n'));
            if (m.source() != DeviceConfig.EnergySource.MODBUS) {
                y.append("  # Energy from the meter's S0 pulse output on the board's gpio.s0 line.\n");
                y.append("  source: ").append(m.source().fileName()).append('\n');
            }
        }
        c.interval().ifPresent(i -> y.append("interval: ").append(BoardProfileParser.formatDuration(i)).append('\n'));
        optionalPath(y, "data_dir", c.dataDir());
        y.append("# At this size the agent stops signing rather than drop a stored record.\n");
        y.append("outbox_budget: ").append(DeviceConfigParser.formatSize(c.outboxBudgetBytes())).append('\n');
        y.append("telemetry:\n");
        y.append("  enabled: ").append(c.telemetry().enabled()).append('\n');
        y.append("  home_assistant: ").append(c.telemetry().homeAssistant()).append('\n');
        y.append("  period: ").append(BoardProfileParser.formatDuration(c.telemetry().period())).append('\n');
        c.charging().ifPresent(ch -> {
            java.util.HexFormat hex = java.util.HexFormat.of();
            y.append("# A charging pile (docs/charging.md); the relay is the board's gpio.relay.\n");
            y.append("charging:\n");
            y.append("  seal_key_file: ").append(scalar(ch.sealKeyFile().toString())).append('\n');
            y.append("  owner_seal_key: ").append(scalar(hex.formatHex(ch.ownerSealKey()))).append('\n');
            y.append("  supervisor_seal_key: ").append(scalar(hex.formatHex(ch.supervisorSealKey()))).append('\n');
            y.append("  owner_contact: ").append(scalar(ch.ownerContact())).append('\n');
            y.append("  owner_salt: ").append(scalar(hex.formatHex(ch.ownerSalt()))).append('\n');
            ch.offer().ifPresent(o -> {
                y.append("  # The pile keeps an offer of [now, now + window_days) open on the ledger.\n");
                y.append("  offer:\n");
                y.append("    unit_price: ").append(o.unitPrice()).append('\n');
                y.append("    max_power_w: ").append(o.maxPowerW()).append('\n');
                y.append("    window_days: ").append(o.windowDays()).append('\n');
            });
        });
        c.ota().ifPresent(o -> {
            y.append("# Signed updates through RAUC (docs/daemon.md, \"Updates\"); trust: <state_dir>/ota-trust.bin.\n");
            y.append("ota:\n");
            y.append("  installer: rauc\n");
            path(y, "  rauc", o.rauc());
            o.board().ifPresent(b -> y.append("  board: ").append(scalar(b)).append('\n'));
            o.healthWindow().ifPresent(w -> y.append("  health_window: ").append(BoardProfileParser.formatDuration(w)).append('\n'));
            y.append("  reboot_command: [").append(String.join(", ", o.rebootCommand().stream().map(DeviceConfigWriter::scalar).toList()))
                    .append("]\n");
            optionalPath(y, "  state_dir", o.stateDir());
            y.append("  # The release the system image was provisioned with: nothing older is ever installed.\n");
            y.append("  provisioned_version: ").append(o.provisionedVersion()).append('\n');
        });
        return y.toString();
    }

    private static void path(StringBuilder y, String key, Path p) {
        y.append(key).append(": ").append(scalar(p.toString())).append('\n');
    }

    private static void optionalPath(StringBuilder y, String key, Optional<Path> p) {
        p.ifPresent(v -> path(y, key, v));
    }

    /**
     * A YAML double-quoted scalar (YAML 1.2 section 7.3.1), so that no value — a location with a
     * colon, a label that looks like a number — is read back as something else.
     */
    static String scalar(String s) {
        StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        q.append(String.format("\\x%02x", cp));
                    } else {
                        q.appendCodePoint(cp);
                    }
                }
            }
        });
        return q.append('"').toString();
    }
}
