package io.wattproof.agent.config;

/**
 * The shape of a configuration file as Jackson binds it (snake_case keys, unknown keys refused).
 * Every field may be null: {@link DeviceConfigParser} checks presence and meaning.
 */
record ConfigFile(
        String schema,
        String board,
        String deviceId,
        String location,
        KeyStore keyStore,
        Mqtt mqtt,
        Ledger ledger,
        Meter meter,
        String interval,
        String dataDir,
        String outboxBudget,
        Telemetry telemetry,
        Charging charging,
        Ota ota) {

    record KeyStore(String kind, String dir, String secretFile, String pkcs11Library, String tokenLabel,
            String keyLabel, String pinFile, Integer slot) {}

    record Mqtt(String broker, String deviceCert, String brokerCa) {}

    record Ledger(String chainId, String trustAnchor, String receiptTimeout, Integer pruneThreshold) {}

    record Meter(String model, Integer unitId, String serial, String source) {}

    record Telemetry(Boolean enabled, Boolean homeAssistant, String period) {}

    record Charging(String sealKeyFile, String ownerSealKey, String supervisorSealKey, String ownerContact, String ownerSalt,
            Offer offer) {}

    /** Long, not Integer: an out-of-range number is then a problem naming the key, not a binding error. */
    record Offer(Long unitPrice, Long maxPowerW, Long windowDays) {}

    /** Long, not Integer, for the same reason as {@link Offer}; the reboot command a list of words. */
    record Ota(String installer, String rauc, String board, String healthWindow, java.util.List<String> rebootCommand, String stateDir,
            Long provisionedVersion) {}
}
