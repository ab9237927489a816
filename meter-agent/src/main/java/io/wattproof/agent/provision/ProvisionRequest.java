package io.wattproof.agent.provision;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.cert.Validity;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the technician asked {@code provision} for; anything empty comes from the board profile
 * (docs/provisioning.md lists the defaults).
 *
 * @param board a built-in board name or a profile file
 * @param keyStore {@code software}, {@code pkcs11} or {@code atecc608}; default the board's
 * @param keyDir software: the key folder; default the board's {@code paths.key_dir}
 * @param secretFile software: default {@code <config dir>/device-key.secret}
 * @param keyLabel pkcs11: the key's label
 * @param slot atecc608: 0..15
 * @param ca a CA folder made by {@code ca init}, issuing the certificate directly
 * @param certificate an issued certificate for the device key
 * @param certificateValidity validity of a certificate issued from {@code ca}
 * @param useExistingKey adopt a key the store already holds although no configuration names it
 * @param forceNewIdentity replace the device's identity (still needs confirmation)
 * @param otaRoot the fleet's signed release root, installed as the update trust (docs/ota.md, "In the daemon")
 * @param otaVersion with {@code otaRoot}: the release number of the system image the device runs now
 * @param otaReplaceTrust with {@code otaRoot}: replace an update trust file that holds another root or is damaged
 */
public record ProvisionRequest(
        String board,
        Optional<String> keyStore,
        Optional<Path> keyDir,
        Optional<Path> secretFile,
        Optional<Path> pkcs11Library,
        Optional<String> tokenLabel,
        String keyLabel,
        Optional<Path> pinFile,
        int slot,
        KeyAlgorithm algorithm,
        Optional<String> location,
        String mqtt,
        Optional<Path> brokerCa,
        Optional<String> ca,
        Optional<Path> certificate,
        Validity certificateValidity,
        Path trustAnchor,
        Optional<String> chainId,
        Optional<Path> config,
        Optional<Path> dataDir,
        Optional<String> meterModel,
        Optional<Integer> meterUnit,
        Optional<String> meterSerial,
        Optional<Path> labelOut,
        boolean useExistingKey,
        boolean forceNewIdentity,
        Optional<Path> otaRoot,
        Optional<Long> otaVersion,
        boolean otaReplaceTrust) {

    public ProvisionRequest {
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(keyLabel, "key label");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(mqtt, "mqtt");
        Objects.requireNonNull(certificateValidity, "certificate validity");
        Objects.requireNonNull(trustAnchor, "trust anchor");
        for (Optional<?> o : new Optional<?>[] {keyStore, keyDir, secretFile, pkcs11Library, tokenLabel, pinFile, location, brokerCa,
                ca, certificate, chainId, config, dataDir, meterModel, meterUnit, meterSerial, labelOut, otaRoot, otaVersion}) {
            Objects.requireNonNull(o, "optional option");
        }
    }

    /** Without signed updates. */
    public ProvisionRequest(String board, Optional<String> keyStore, Optional<Path> keyDir, Optional<Path> secretFile,
            Optional<Path> pkcs11Library, Optional<String> tokenLabel, String keyLabel, Optional<Path> pinFile, int slot,
            KeyAlgorithm algorithm, Optional<String> location, String mqtt, Optional<Path> brokerCa, Optional<String> ca,
            Optional<Path> certificate, Validity certificateValidity, Path trustAnchor, Optional<String> chainId, Optional<Path> config,
            Optional<Path> dataDir, Optional<String> meterModel, Optional<Integer> meterUnit, Optional<String> meterSerial,
            Optional<Path> labelOut, boolean useExistingKey, boolean forceNewIdentity) {
        this(board, keyStore, keyDir, secretFile, pkcs11Library, tokenLabel, keyLabel, pinFile, slot, algorithm, location, mqtt, brokerCa,
                ca, certificate, certificateValidity, trustAnchor, chainId, config, dataDir, meterModel, meterUnit, meterSerial, labelOut,
                useExistingKey, forceNewIdentity, Optional.empty(), Optional.empty(), false);
    }
}
