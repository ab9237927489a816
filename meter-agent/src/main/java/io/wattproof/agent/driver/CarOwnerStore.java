package io.wattproof.agent.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattproof.agent.AtomicFiles;
import io.wattproof.agent.driver.JsonFields.Bad;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A car owner's folder (mode 0700), created on first use:
 *
 * <ul>
 *   <li>the signing key, a {@link SoftwareKeyStore} ({@code device-key.p8.pem}, encrypted with the
 *       secret in {@value #SECRET_FILE} unless another secret file is named);
 *   <li>{@value #SEAL_KEY_FILE}: the X25519 HPKE private key (RFC 9180 §7.1.2, 32 bytes, 0600) the
 *       session's personal data is sealed to ({@code Booking.driver_seal_key});
 *   <li>{@value #NONCE_FILE}: the last booking nonce the ledger accepted, decimal;
 *   <li>{@value #BOOKINGS_DIR}{@code /<booking hash>.json}: what {@code start} and {@code stop}
 *       need later: pile, window, and the contact and salt that open the booking's driver_pseudonym.
 * </ul>
 */
public final class CarOwnerStore {
    public static final String SECRET_FILE = "secret";
    public static final String SEAL_KEY_FILE = "seal-key.bin";
    public static final String NONCE_FILE = "booking-nonce";
    public static final String BOOKINGS_DIR = "bookings";

    private final Path dir;
    private final DeviceKey key;
    private final RecipientKeyPair sealKey;
    private final boolean created;

    private CarOwnerStore(Path dir, DeviceKey key, RecipientKeyPair sealKey, boolean created) {
        this.dir = dir;
        this.key = key;
        this.sealKey = sealKey;
        this.created = created;
    }

    /** A failure of the folder: a file missing, damaged or unwritable, named with what was expected. */
    public static final class StoreException extends Exception {
        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Opens the folder, creating what is missing (key, secret, seal key) when {@code create}.
     *
     * @param secretFile null for {@value #SECRET_FILE} inside {@code dir}
     */
    public static CarOwnerStore open(Path dir, Path secretFile, boolean create, KeyAlgorithm algorithm, SecureRandom random)
            throws StoreException {
        Path secret = secretFile != null ? secretFile : dir.resolve(SECRET_FILE);
        boolean made = false;
        DeviceKey key;
        try {
            if (!Files.exists(dir.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE))) {
                if (!create) {
                    throw new StoreException(dir + ": expected a car owner's key (" + SoftwareKeyStore.PRIVATE_KEY_FILE
                            + "), got none; create it with 'meter-agent charge keys --keys " + dir + "'", null);
                }
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                SoftwareKeyStore.createSecret(secret);
                key = SoftwareKeyStore.create(dir, algorithm, secret);
                made = true;
            } else {
                key = SoftwareKeyStore.open(dir, secret);
            }
        } catch (KeyStoreFailure | IOException e) {
            throw new StoreException(dir + ": " + e.getMessage(), e);
        }
        Path sealFile = dir.resolve(SEAL_KEY_FILE);
        RecipientKeyPair sealKey;
        try {
            if (!Files.exists(sealFile)) {
                if (!create) {
                    throw new StoreException(sealFile + ": expected the HPKE private key (32 bytes), got no file", null);
                }
                sealKey = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, random);
                AtomicFiles.replace(sealFile, sealKey.privateKey(), AtomicFiles.OWNER_ONLY, true);
                made = true;
            } else {
                byte[] raw = Files.readAllBytes(sealFile);
                try {
                    sealKey = RecipientKeyPair.fromPrivateKey(Kem.X25519_HKDF_SHA256, raw);
                } catch (IllegalArgumentException e) {
                    throw new StoreException(sealFile + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new StoreException(sealFile + ": " + e.getMessage(), e);
        }
        return new CarOwnerStore(dir, key, sealKey, made);
    }

    public Path dir() {
        return dir;
    }

    public DeviceKey key() {
        return key;
    }

    public DeviceId driverId() {
        return key.deviceId();
    }

    public RecipientKeyPair sealKey() {
        return sealKey;
    }

    /** Whether {@link #open} created the key or the seal key just now. */
    public boolean created() {
        return created;
    }

    /** The counter in {@value #NONCE_FILE}, written durably on every accepted booking. */
    public BookingNonces nonces() throws StoreException {
        Path file = dir.resolve(NONCE_FILE);
        long initial = readNonce(file);
        return new BookingNonces() {
            private long last = initial;

            @Override
            public synchronized long lastAccepted() {
                return last;
            }

            @Override
            public synchronized void accepted(long nonce) throws IOException {
                if (nonce > last) {
                    AtomicFiles.replace(file, (nonce + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY, true);
                    last = nonce;
                }
            }
        };
    }

    static long readNonce(Path file) throws StoreException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new StoreException(file + ": " + e.getMessage(), e);
        }
        try {
            long n = Long.parseLong(text);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new StoreException(file + ": expected the last accepted booking nonce (a decimal integer ≥ 0), got '"
                    + JsonFields.abbreviate(text) + "'", null);
        }
    }

    /**
     * A booking as the car owner keeps it.
     *
     * @param windowStart UTC epoch seconds, with {@code windowEnd} the booked window [start, end)
     * @param driverData the contact and salt that open the booking's driver_pseudonym
     */
    public record SavedBooking(byte[] bookingTxHash, DeviceId pile, byte[] offerTxHash, long windowStart, long windowEnd,
                               long maxEnergyWh, long maxAmount, long deposit, long nonce, long height, DriverData driverData) {
        public SavedBooking {
            bookingTxHash = bookingTxHash.clone();
            offerTxHash = offerTxHash.clone();
        }

        @Override
        public byte[] bookingTxHash() {
            return bookingTxHash.clone();
        }

        @Override
        public byte[] offerTxHash() {
            return offerTxHash.clone();
        }

        public String bookingHex() {
            return HexFormat.of().formatHex(bookingTxHash);
        }
    }

    public void saveBooking(SavedBooking b) throws StoreException {
        HexFormat hex = HexFormat.of();
        ObjectNode n = JsonFields.MAPPER.createObjectNode()
                .put("booking", b.bookingHex())
                .put("pile", b.pile().hex())
                .put("offer", hex.formatHex(b.offerTxHash))
                .put("window_start", b.windowStart())
                .put("window_end", b.windowEnd())
                .put("max_energy_wh", b.maxEnergyWh())
                .put("max_amount", b.maxAmount())
                .put("deposit", b.deposit())
                .put("nonce", b.nonce())
                .put("height", b.height())
                .put("contact", b.driverData().contact())
                .put("salt", hex.formatHex(b.driverData().salt()));
        Path bookings = dir.resolve(BOOKINGS_DIR);
        try {
            Files.createDirectories(bookings);
            AtomicFiles.replace(bookings.resolve(b.bookingHex() + ".json"), JsonFields.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(n), AtomicFiles.OWNER_ONLY, true);
        } catch (IOException e) {
            throw new StoreException(bookings + ": cannot save booking " + b.bookingHex() + ": " + e.getMessage(), e);
        }
    }

    /** The saved booking with this hash, if this folder made it. */
    public Optional<SavedBooking> booking(byte[] bookingTxHash) throws StoreException {
        Path file = dir.resolve(BOOKINGS_DIR).resolve(HexFormat.of().formatHex(bookingTxHash) + ".json");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException(file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode n = JsonFields.MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new Bad("booking: expected a JSON object, got " + JsonFields.describe(n));
            }
            String w = "booking";
            byte[] hash = JsonFields.hex(n, "booking", 32, w);
            DeviceId pile = DeviceId.of(JsonFields.hex(n, "pile", DeviceId.LENGTH, w));
            return Optional.of(new SavedBooking(hash, pile, JsonFields.hex(n, "offer", 32, w),
                    JsonFields.epochSeconds(n, "window_start", w), JsonFields.epochSeconds(n, "window_end", w),
                    JsonFields.positiveLong(n, "max_energy_wh", w), JsonFields.positiveLong(n, "max_amount", w),
                    JsonFields.positiveLong(n, "deposit", w), JsonFields.positiveLong(n, "nonce", w),
                    JsonFields.nonNegativeLong(n, "height", w),
                    new DriverData(JsonFields.text(n, "contact", w), JsonFields.hex(n, "salt", 32, w))));
        } catch (Bad e) {
            throw new StoreException(file + ": " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreException(file + ": expected a saved booking (JSON), got content that does not parse: " + e.getMessage(), e);
        }
    }
}
