package io.wattproof.agent.cli;

import io.wattproof.agent.provision.DeviceKeyStores;
import io.wattproof.agent.provision.DeviceLabel;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.atecc608.Atecc608Driver;
import io.wattproof.crypto.atecc608.Atecc608KeyStore;
import io.wattproof.crypto.cert.CertificationRequests;
import io.wattproof.crypto.cert.CsrSubject;
import io.wattproof.crypto.pkcs11.Pkcs11Config;
import io.wattproof.crypto.pkcs11.Pkcs11KeyStore;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/meter-agent keys}: the device key, wherever it lives. A technician creates it, shows
 * its public half and signs a file with it, so the key can be checked with OpenSSL on site.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Creates, shows and uses the device key in a software store, on a PKCS#11 token or in an ATECC608.",
        subcommands = {KeysCommand.Create.class, KeysCommand.Show.class, KeysCommand.Sign.class,
                KeysCommand.Csr.class})
final class KeysCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * A key on a PKCS#11 token: which module, token and key, and the PIN's file. Shared by {@code
     * keys} and {@code provision}.
     */
    static final class TokenOptions {
        @Option(names = "--pkcs11-library", paramLabel = "PATH", description = "pkcs11: the token's PKCS#11 module, "
                + "e.g. /usr/lib/softhsm/libsofthsm2.so")
        Path library;

        @Option(names = "--token-label", paramLabel = "LABEL", description = "pkcs11: the token, by label")
        String tokenLabel;

        @Option(names = "--key-label", paramLabel = "LABEL", description = "pkcs11: the key, by label (default: ${DEFAULT-VALUE})")
        String keyLabel = "wattproof-device";

        @Option(names = "--pin-file", paramLabel = "FILE", description = "pkcs11: the file holding the user PIN (mode 0600 or 0400)")
        Path pinFile;
    }

    /** Where the key lives. */
    static final class StoreOptions {
        @Option(names = "--store", paramLabel = "software|pkcs11|atecc608", required = true,
                description = "software: an encrypted key file; pkcs11: a token (HSM, smart card, SoftHSM2) through its PKCS#11 library; "
                        + "atecc608: a Microchip ATECC608A/B secure element on I2C")
        String store;

        @Option(names = "--dir", paramLabel = "DIR", description = "software store: the key folder")
        Path dir;

        @Option(names = "--secret-file", paramLabel = "FILE",
                description = "software store: the file holding the store's encryption secret (mode 0600 or 0400)")
        Path secretFile;

        @Mixin
        TokenOptions token = new TokenOptions();

        @Option(names = "--i2c-bus", paramLabel = "N", description = "atecc608: the I2C bus, /dev/i2c-N (default: ${DEFAULT-VALUE})")
        int i2cBus = 1;

        @Option(names = "--i2c-address", paramLabel = "ADDR", description = "atecc608: the chip's 7-bit I2C address (default: ${DEFAULT-VALUE})")
        String i2cAddress = "0x60";

        @Option(names = "--slot", paramLabel = "N", description = "atecc608: the key slot, 0..15, configured for a P-256 private key "
                + "(default: ${DEFAULT-VALUE})")
        int slot = 0;

        Kind kind(CommandLine cli) {
            Kind kind = switch (store.toLowerCase(Locale.ROOT)) {
                case "software" -> Kind.SOFTWARE;
                case "pkcs11" -> Kind.PKCS11;
                case "atecc608" -> Kind.ATECC608;
                default -> throw new ParameterException(cli, "--store: expected software, pkcs11 or atecc608, actual '" + store + "'");
            };
            if (kind == Kind.SOFTWARE && (dir == null || secretFile == null)) {
                throw new ParameterException(cli, "--store software: needs --dir and --secret-file");
            }
            if (kind == Kind.PKCS11 && (token.library == null || token.tokenLabel == null || token.pinFile == null)) {
                throw new ParameterException(cli, "--store pkcs11: needs --pkcs11-library, --token-label and --pin-file");
            }
            if (kind == Kind.ATECC608 && (slot < 0 || slot >= Atecc608Driver.SLOT_COUNT)) {
                throw new ParameterException(cli, "--slot: expected 0.." + (Atecc608Driver.SLOT_COUNT - 1) + ", actual " + slot);
            }
            if (kind == Kind.ATECC608 && i2cBus < 0) {
                throw new ParameterException(cli, "--i2c-bus: expected a bus number ≥ 0, actual " + i2cBus);
            }
            return kind;
        }

        /** The chip named by --i2c-bus and --i2c-address, through {@link #atecc608Chips}. */
        Atecc608Driver atecc608(CommandLine cli) throws KeyStoreFailure {
            String text = i2cAddress.trim().toLowerCase(Locale.ROOT);
            int address;
            try {
                address = text.startsWith("0x") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
            } catch (NumberFormatException e) {
                address = -1;
            }
            if (address < 0x08 || address > 0x77) {
                throw new ParameterException(cli, "--i2c-address: expected a 7-bit address 0x08..0x77 (e.g. 0x60), actual '" + i2cAddress + "'");
            }
            return atecc608Chips.open(i2cBus, address);
        }

        Pkcs11Config pkcs11(CommandLine cli) {
            try {
                return new Pkcs11Config(token.library, token.tokenLabel, token.keyLabel, token.pinFile);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, "pkcs11: " + e.getMessage());
            }
        }

        DeviceKey open(CommandLine cli) throws KeyStoreFailure {
            return switch (kind(cli)) {
                case SOFTWARE -> SoftwareKeyStore.open(dir, secretFile);
                case PKCS11 -> Pkcs11KeyStore.open(pkcs11(cli));
                case ATECC608 -> Atecc608KeyStore.open(atecc608(cli), slot);
            };
        }

        enum Kind { SOFTWARE, PKCS11, ATECC608 }
    }

    /** Opens an ATECC608 on an I2C bus. */
    @FunctionalInterface
    interface Atecc608Chips {
        Atecc608Driver open(int bus, int address) throws KeyStoreFailure;
    }

    /**
     * How {@code --store atecc608} reaches the chip: Pi4J on the real bus. Tests in this package put
     * a test double of the chip here; nothing else does.
     */
    static Atecc608Chips atecc608Chips = Atecc608OnPi4j::open;

    static void describe(PrintWriter out, DeviceKey key) {
        out.println("device id: " + key.deviceId().hex());
        out.println("algorithm: " + key.algorithm());
        // A key fingerprint a technician can compare with the label: SHA-256 of the SubjectPublicKeyInfo.
        out.println("key fingerprint (sha-256 of the public key info): " + DeviceLabel.fingerprint(key.publicKeyInfo()));
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates the device key inside the store. An existing key is never replaced unless --force is given.")
    static final class Create implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Option(names = "--alg", paramLabel = "p256|ed25519|sm2", description = "key algorithm (default: ${DEFAULT-VALUE}; "
                + "tokens make p256 keys only)")
        String algorithm = "p256";

        @Option(names = "--force", description = "software store: move an existing key aside (into a dated folder) and "
                + "create a new one; atecc608: generate a new key over the one in the slot (the old one is gone for good). "
                + "Either way the device gets a NEW identity")
        boolean force;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            StoreOptions.Kind kind = store.kind(cli);
            KeyAlgorithm alg;
            try {
                alg = KeyAlgorithm.fromShortName(algorithm);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, "--alg: " + e.getMessage());
            }
            PrintWriter out = cli.getOut();
            // Closed at the end: a token key holds the token's login until then.
            try (DeviceKey key = switch (kind) {
                case SOFTWARE -> {
                    if (force) {
                        moveAside(out, store.dir);
                    }
                    SoftwareKeyStore.createSecret(store.secretFile);
                    yield SoftwareKeyStore.create(store.dir, alg, store.secretFile);
                }
                case PKCS11 -> {
                    if (force) {
                        throw new ParameterException(cli, "--force: a token key is never replaced by this command; "
                                + "delete it on the token first (pkcs11-tool --delete-object) if you really mean to");
                    }
                    yield Pkcs11KeyStore.create(store.pkcs11(cli), alg, Clock.systemUTC());
                }
                case ATECC608 -> {
                    if (alg != KeyAlgorithm.ECDSA_P256_SHA256) {
                        throw new ParameterException(cli, "--alg: the atecc608 makes p256 keys only, actual '" + algorithm + "'");
                    }
                    Atecc608Driver chip = store.atecc608(cli);
                    out.println("atecc608 serial number: " + chip.serialNumber().hex());
                    if (force) {
                        out.println("--force: the key in slot " + store.slot + ", if any, is replaced: the device gets a new identity");
                    }
                    yield Atecc608KeyStore.create(chip, store.slot, force);
                }
            }) {
                out.println("created the device key in the " + store.store.toLowerCase(Locale.ROOT) + " store");
                describe(out, key);
            }
            return 0;
        }

        private static void moveAside(PrintWriter out, Path dir) throws IOException {
            DeviceKeyStores.moveSoftwareKeyAside(dir, Clock.systemUTC()).ifPresent(aside ->
                    out.println("moved the previous key to " + aside + " (--force): the device has a new identity"));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints the device id and key fingerprint; with --pem the public key (SubjectPublicKeyInfo) for OpenSSL.")
    static final class Show implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Option(names = "--pem", description = "print only the public key as PEM")
        boolean pem;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (DeviceKey key = store.open(spec.commandLine())) {
                if (pem) {
                    out.print(PublicKeys.toPem(key.publicKeyInfo()));
                } else {
                    describe(out, key);
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = {"Signs a file's bytes with the device key: DER for ECDSA and SM2, raw 64 bytes for Ed25519.",
                "Check it: openssl dgst -sha256 -verify key.pem -signature SIG FILE (ECDSA)"})
    static final class Sign implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Option(names = "--in", paramLabel = "FILE", required = true, description = "the file to sign")
        Path in;

        @Option(names = "--out", paramLabel = "SIG", required = true, description = "where to write the signature")
        Path out;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            byte[] message;
            try {
                message = Files.readAllBytes(in);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--in: cannot read " + in + ": " + e.getMessage());
            }
            try (DeviceKey key = store.open(spec.commandLine())) {
                byte[] raw = key.sign(message);
                byte[] encoded = key.algorithm() == KeyAlgorithm.ED25519 ? raw : Signatures.rawToDer(key.algorithm(), raw);
                Files.write(out, encoded);
                spec.commandLine().getOut().println("signed " + message.length + " bytes of " + in + " -> " + out
                        + " (" + (key.algorithm() == KeyAlgorithm.ED25519 ? "raw Ed25519" : "DER") + ", device " + key.deviceId().hex() + ")");
            }
            return 0;
        }
    }

    @Command(name = "csr", mixinStandardHelpOptions = true,
            description = {"Writes a PKCS#10 certification request (PEM) signed by the device key, subject CN = the device id.",
                "The key never leaves its store. Check it: openssl req -in FILE -verify -noout",
                "(SM2: add -vfyopt distid:1234567812345678). Certify it: meter-agent ca issue --csr FILE ..."})
    static final class Csr implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "where to write the request (PEM)")
        Path out;

        @Option(names = "--organization", paramLabel = "O", description = "optional subject O, e.g. the fleet operator")
        String organization;

        @Option(names = "--unit", paramLabel = "OU", description = "optional subject OU, e.g. the site")
        String unit;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            CsrSubject subject;
            try {
                subject = CsrSubject.of(organization, unit);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, (e.getMessage().startsWith("organization (") ? "--organization: " : "--unit: ")
                        + e.getMessage());
            }
            try (DeviceKey key = store.open(cli)) {
                PKCS10CertificationRequest request = CertificationRequests.create(key, subject);
                Files.writeString(out, CertificationRequests.toPem(request));
                PrintWriter printed = cli.getOut();
                printed.println("device id: " + key.deviceId().hex());
                printed.println("subject: " + CertificationRequests.subject(request));
                printed.println("wrote the certification request to " + out);
            }
            return 0;
        }
    }
}
