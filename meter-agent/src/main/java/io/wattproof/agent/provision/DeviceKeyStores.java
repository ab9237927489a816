package io.wattproof.agent.provision;

import io.wattproof.agent.board.BoardProfile.SecureElement;
import io.wattproof.agent.config.DeviceConfig.Atecc608Store;
import io.wattproof.agent.config.DeviceConfig.KeyStoreSettings;
import io.wattproof.agent.config.DeviceConfig.Pkcs11Store;
import io.wattproof.agent.config.DeviceConfig.SoftwareStore;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.atecc608.Atecc608Driver;
import io.wattproof.crypto.atecc608.Atecc608Failure;
import io.wattproof.crypto.atecc608.Atecc608KeyStore;
import io.wattproof.crypto.pkcs11.Pkcs11Config;
import io.wattproof.crypto.pkcs11.Pkcs11Failure;
import io.wattproof.crypto.pkcs11.Pkcs11KeyStore;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * The device key in the store a configuration names ({@link KeyStoreSettings}): open it, find out
 * whether the store already holds one, create one. An ATECC608 is reached on the I2C bus and
 * address of the board's secure element (the configuration records the slot only).
 */
public final class DeviceKeyStores {
    /** Opens an ATECC608 on an I2C bus (Pi4J on a board, a test double in tests). */
    @FunctionalInterface
    public interface Chips {
        Atecc608Driver open(int bus, int address) throws KeyStoreFailure;
    }

    private final Optional<SecureElement> secureElement;
    private final Chips chips;
    private final Clock clock;

    public DeviceKeyStores(Optional<SecureElement> secureElement, Chips chips, Clock clock) {
        this.secureElement = Objects.requireNonNull(secureElement, "secure element");
        this.chips = Objects.requireNonNull(chips, "chips");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public DeviceKey open(KeyStoreSettings settings) throws KeyStoreFailure {
        return switch (settings) {
            case SoftwareStore s -> SoftwareKeyStore.open(s.dir(), s.secretFile());
            case Pkcs11Store p -> Pkcs11KeyStore.open(pkcs11(p));
            case Atecc608Store a -> Atecc608KeyStore.open(chip(), a.slot());
        };
    }

    /**
     * The device id of the key the store holds, or empty when it holds none. A software store is
     * judged by its files (the public key file names the id without the secret); a token or chip is
     * asked, so a store that cannot be reached fails here rather than look empty.
     */
    public Optional<DeviceId> existing(KeyStoreSettings settings) throws KeyStoreFailure {
        switch (settings) {
            case SoftwareStore s -> {
                Path publicFile = s.dir().resolve(SoftwareKeyStore.PUBLIC_KEY_FILE);
                Path privateFile = s.dir().resolve(SoftwareKeyStore.PRIVATE_KEY_FILE);
                if (!Files.exists(publicFile, LinkOption.NOFOLLOW_LINKS) && !Files.exists(privateFile, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.empty();
                }
                try {
                    String pem = Files.readString(publicFile, StandardCharsets.US_ASCII);
                    return Optional.of(DeviceId.fromPublicKeyInfo(PublicKeys.subjectPublicKeyInfoFromPem(pem)));
                } catch (IOException | IllegalArgumentException e) {
                    // A private key without a readable public half is still an identity: open it to name it.
                    try (DeviceKey key = SoftwareKeyStore.open(s.dir(), s.secretFile())) {
                        return Optional.of(key.deviceId());
                    }
                }
            }
            case Pkcs11Store p -> {
                try (DeviceKey key = Pkcs11KeyStore.open(pkcs11(p))) {
                    return Optional.of(key.deviceId());
                } catch (Pkcs11Failure.KeyNotFound e) {
                    return Optional.empty();
                }
            }
            case Atecc608Store a -> {
                try (DeviceKey key = Atecc608KeyStore.open(chip(), a.slot())) {
                    return Optional.of(key.deviceId());
                } catch (Atecc608Failure.NoKey e) {
                    return Optional.empty();
                }
            }
        }
    }

    /**
     * Creates the device key inside the store. With {@code replace}, a software key is first moved
     * aside (see {@link #moveSoftwareKeyAside}) and an ATECC608 slot is generated over; a token key
     * is never replaced (delete it on the token first).
     */
    public DeviceKey create(KeyStoreSettings settings, KeyAlgorithm algorithm, boolean replace) throws KeyStoreFailure, IOException {
        return switch (settings) {
            case SoftwareStore s -> {
                if (replace) {
                    moveSoftwareKeyAside(s.dir(), clock);
                }
                SoftwareKeyStore.createSecret(s.secretFile());
                yield SoftwareKeyStore.create(s.dir(), algorithm, s.secretFile());
            }
            case Pkcs11Store p -> {
                if (replace) {
                    throw new IllegalArgumentException("a token key is never replaced by the agent; delete it on the token first "
                            + "(pkcs11-tool --delete-object) or use another --key-label");
                }
                yield Pkcs11KeyStore.create(pkcs11(p), algorithm, clock);
            }
            case Atecc608Store a -> {
                if (algorithm != KeyAlgorithm.ECDSA_P256_SHA256) {
                    throw new IllegalArgumentException("the atecc608 makes p256 keys only, not " + algorithm);
                }
                yield Atecc608KeyStore.create(chip(), a.slot(), replace);
            }
        };
    }

    /**
     * Moves the key files of a software store into a dated folder inside it ({@code
     * replaced-20261127T151200Z}), so that a key replaced by mistake can still be recovered by
     * hand. Returns that folder, or empty when there was no key.
     */
    public static Optional<Path> moveSoftwareKeyAside(Path dir, Clock clock) throws IOException {
        Path privateKey = dir.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE);
        Path publicKey = dir.resolve(SoftwareKeyStore.PUBLIC_KEY_FILE);
        if (!Files.exists(privateKey) && !Files.exists(publicKey)) {
            return Optional.empty();
        }
        Path aside = dir.resolve("replaced-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC).format(clock.instant()));
        Files.createDirectory(aside, InstallFiles.OWNER_ONLY_DIRECTORY);
        for (Path file : new Path[] {privateKey, publicKey}) {
            if (Files.exists(file)) {
                Files.move(file, aside.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return Optional.of(aside);
    }

    private Atecc608Driver chip() throws KeyStoreFailure {
        SecureElement se = secureElement.orElseThrow(() -> new IllegalArgumentException(
                "key_store atecc608: the board profile names no secure_element (I2C bus and address); use a board that has one"));
        return chips.open(se.i2cBus(), se.i2cAddress());
    }

    private static Pkcs11Config pkcs11(Pkcs11Store p) {
        return new Pkcs11Config(p.library(), p.tokenLabel(), p.keyLabel(), p.pinFile());
    }
}
