package io.wattproof.crypto.soft;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A device key kept in two files of one directory (0700):
 *
 * <ul>
 *   <li>{@value #PRIVATE_KEY_FILE}: the private key as an RFC 5958 EncryptedPrivateKeyInfo in PEM
 *       ({@code ENCRYPTED PRIVATE KEY}, RFC 7468 §11), encrypted with PBES2 (RFC 8018 §6.2):
 *       PBKDF2-HMAC-SHA-256 and AES-256-CBC. OpenSSL reads it: {@code openssl pkey -in
 *       device-key.p8.pem -passin file:SECRET}.
 *   <li>{@value #PUBLIC_KEY_FILE}: the SubjectPublicKeyInfo in PEM, for tools and for a check on
 *       opening that the pair belongs together.
 * </ul>
 *
 * Both files are mode 0600 from the moment they exist. The encryption secret is a separate file
 * (see {@link #createSecret}), e.g. on another partition or provisioned by the technician, and is
 * refused unless only its owner can access it.
 */
public final class SoftwareKeyStore {
    public static final String PRIVATE_KEY_FILE = "device-key.p8.pem";
    public static final String PUBLIC_KEY_FILE = "device-key.pub.pem";

    /**
     * PBKDF2 iterations (RFC 8018 §5.2). The secret we generate has 256 bits of entropy, so
     * stretching adds little against guessing; it matters for a hand-written secret. Opening took
     * ~0.2 s with 100 000 rounds on a shared 2-core x86 machine, paid once per agent start; not
     * yet measured on a Raspberry Pi. The count is stored in the file, so changing it later only
     * affects new keys.
     */
    static final int PBKDF2_ITERATIONS = 100_000;
    /** RFC 8018 §4.2 recommends at least 1000. */
    public static final int MIN_PBKDF2_ITERATIONS = 1000;

    private static final String ENCRYPTED_PEM_TYPE = "ENCRYPTED PRIVATE KEY";

    private SoftwareKeyStore() {}

    /** Held unregistered: the store must not change the JVM's global provider list. */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    /**
     * Writes a new secret file (32 random bytes as hex, mode 0600; missing parent directories are
     * created 0700) unless one exists. Returns whether it wrote one; an existing file is left
     * untouched and is checked when the store is created or opened.
     */
    public static boolean createSecret(Path secretFile) throws SoftKeyStoreFailure {
        return SecretFile.create(secretFile, new SecureRandom());
    }

    /**
     * Generates a new key pair and stores it in {@code dir} (created 0700 if absent), encrypted
     * with the secret in {@code secretFile}.
     *
     * @throws SoftKeyStoreFailure.AlreadyExists if either key file exists: an identity is never replaced
     * @throws SoftKeyStoreFailure for a missing, short or insecure secret file and for I/O
     *     failures; a failed create leaves no key file of its own behind
     */
    public static DeviceKey create(Path dir, KeyAlgorithm algorithm, Path secretFile) throws SoftKeyStoreFailure {
        return create(dir, algorithm, secretFile, PBKDF2_ITERATIONS);
    }

    /**
     * As {@link #create(Path, KeyAlgorithm, Path)}, with {@code iterations} PBKDF2 rounds instead of
     * {@value #PBKDF2_ITERATIONS}. Only for a secret made by {@link #createSecret} (256 random bits,
     * which stretching does not strengthen): a simulator that creates thousands of device key stores
     * would otherwise spend a fifth of a second on each, and as much again on each open.
     *
     * @throws IllegalArgumentException unless 1000 ≤ iterations ≤ {@value #PBKDF2_ITERATIONS}
     */
    public static DeviceKey create(Path dir, KeyAlgorithm algorithm, Path secretFile, int iterations) throws SoftKeyStoreFailure {
        Objects.requireNonNull(algorithm, "algorithm");
        if (iterations < MIN_PBKDF2_ITERATIONS || iterations > PBKDF2_ITERATIONS) {
            throw new IllegalArgumentException("iterations: expected " + MIN_PBKDF2_ITERATIONS + ".." + PBKDF2_ITERATIONS + ", got "
                    + iterations);
        }
        Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
        Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
        char[] secret = SecretFile.read(secretFile);
        try {
            for (Path file : List.of(privateFile, publicFile)) {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new SoftKeyStoreFailure.AlreadyExists(file);
                }
            }
            SecureRandom random = new SecureRandom();
            SoftwareDeviceKey key = SoftwareDeviceKey.of(generate(algorithm, random));
            byte[] privatePem = encryptedPem(key.privateKeyInfo(), secret, random, iterations);
            byte[] publicPem = PublicKeys.toPem(key.publicKeyInfo()).getBytes(StandardCharsets.US_ASCII);
            PrivateFiles.createDirectories(dir);
            PrivateFiles.writeNew(privateFile, privatePem);
            try {
                PrivateFiles.writeNew(publicFile, publicPem);
            } catch (SoftKeyStoreFailure e) {
                PrivateFiles.deleteAfterFailure(privateFile, e);
                throw e;
            }
            return key;
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /**
     * Opens the key in {@code dir}: decrypts the private key with the secret and checks that the
     * public key file holds the matching public key. Changes no file.
     */
    public static DeviceKey open(Path dir, Path secretFile) throws SoftKeyStoreFailure {
        Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
        Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
        char[] secret = SecretFile.read(secretFile);
        SoftwareDeviceKey key;
        try {
            key = decrypt(readEncryptedPrivateKey(privateFile), secret, privateFile, secretFile);
        } finally {
            Arrays.fill(secret, '\0');
        }
        byte[] found;
        try {
            found = PublicKeys.subjectPublicKeyInfoFromPem(PrivateFiles.readText(publicFile, "public key"));
        } catch (IllegalArgumentException e) {
            throw new SoftKeyStoreFailure.CorruptFile(publicFile, "a PUBLIC KEY pem block", e.getMessage(), e);
        }
        if (!Arrays.equals(found, key.publicKeyInfo())) {
            throw new SoftKeyStoreFailure.PublicKeyMismatch(publicFile, key.deviceId(), DeviceId.fromPublicKeyInfo(found));
        }
        return key;
    }

    private static AsymmetricKeyParameter generate(KeyAlgorithm algorithm, SecureRandom random) {
        return switch (algorithm) {
            case ECDSA_P256_SHA256 -> {
                // Named parameters, so PKCS#8 and SPKI carry the curve OID (RFC 5480 §2.1.1), not explicit parameters.
                ECKeyPairGenerator generator = new ECKeyPairGenerator();
                generator.init(new ECKeyGenerationParameters(ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1), random));
                AsymmetricCipherKeyPair pair = generator.generateKeyPair();
                yield pair.getPrivate();
            }
            case ED25519 -> new Ed25519PrivateKeyParameters(random);
            case SM2_SM3 -> {
                // sm2p256v1 by name (GB/T 32918.5-2017), so PKCS#8 and SPKI carry its OID as the
                // namedCurve of id-ecPublicKey, the form OpenSSL 3 reads as an SM2 key. Bouncy
                // Castle draws d in [1, n − 1]; GB/T 32918.1 §6.1 wants d ≤ n − 2, so the one
                // excluded value (probability 2^-256) is drawn again.
                ECKeyPairGenerator generator = new ECKeyPairGenerator();
                ECNamedDomainParameters curve = ECNamedDomainParameters.lookup(GMObjectIdentifiers.sm2p256v1);
                generator.init(new ECKeyGenerationParameters(curve, random));
                AsymmetricKeyParameter key;
                do {
                    key = generator.generateKeyPair().getPrivate();
                } while (((ECPrivateKeyParameters) key).getD().equals(curve.getN().subtract(BigInteger.ONE)));
                yield key;
            }
        };
    }

    private static byte[] encryptedPem(PrivateKeyInfo privateKeyInfo, char[] secret, SecureRandom random, int iterations) {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(Bc.PROVIDER)
                    .setRandom(random)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(iterations)
                    .setPassword(secret)
                    .build();
            StringWriter text = new StringWriter();
            try (PemWriter writer = new PemWriter(text)) {
                writer.writeObject(new PKCS8Generator(privateKeyInfo, encryptor).generate());
            }
            return text.toString().getBytes(StandardCharsets.US_ASCII);
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("pbes2 encryption with bouncy castle failed", e);
        }
    }

    private static PKCS8EncryptedPrivateKeyInfo readEncryptedPrivateKey(Path file) throws SoftKeyStoreFailure {
        String text = PrivateFiles.readText(file, "private key");
        PemObject pem;
        try (PemReader reader = new PemReader(new StringReader(text))) {
            pem = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw new SoftKeyStoreFailure.CorruptFile(file, "an " + ENCRYPTED_PEM_TYPE + " pem block",
                    "text that does not parse as pem (" + e.getMessage() + ")", e);
        }
        if (pem == null) {
            throw new SoftKeyStoreFailure.CorruptFile(file, "an " + ENCRYPTED_PEM_TYPE + " pem block", "no pem block");
        }
        if (!pem.getType().equals(ENCRYPTED_PEM_TYPE)) {
            throw new SoftKeyStoreFailure.CorruptFile(file, "pem type " + ENCRYPTED_PEM_TYPE, "pem type " + pem.getType());
        }
        PKCS8EncryptedPrivateKeyInfo encrypted;
        try {
            encrypted = new PKCS8EncryptedPrivateKeyInfo(pem.getContent());
        } catch (IOException | RuntimeException e) {
            throw new SoftKeyStoreFailure.CorruptFile(file, "a der EncryptedPrivateKeyInfo (rfc 5958 §3)",
                    pem.getContent().length + " bytes that do not parse (" + e.getMessage() + ")", e);
        }
        ASN1ObjectIdentifier scheme = encrypted.getEncryptionAlgorithm().getAlgorithm();
        if (!PKCSObjectIdentifiers.id_PBES2.equals(scheme)) {
            throw new SoftKeyStoreFailure.CorruptFile(file, "encryption scheme pbes2 " + PKCSObjectIdentifiers.id_PBES2
                    + " (rfc 8018 §6.2)", "scheme " + scheme);
        }
        return encrypted;
    }

    private static SoftwareDeviceKey decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, char[] secret, Path privateFile, Path secretFile)
            throws SoftKeyStoreFailure {
        PrivateKeyInfo info;
        try {
            info = encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(secret));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("pbes2 decryptor of bouncy castle unavailable", e);
        } catch (PKCSException | RuntimeException e) {
            // A wrong key shows as bad CBC padding, or (1 time in ~256) as plaintext that is not DER.
            throw new SoftKeyStoreFailure.WrongSecret(privateFile, secretFile, e);
        }
        try {
            return SoftwareDeviceKey.of(PrivateKeyFactory.createKey(info));
        } catch (IOException | RuntimeException e) {
            throw new SoftKeyStoreFailure.CorruptFile(privateFile, "an ec p-256, sm2 or ed25519 private key",
                    "algorithm " + info.getPrivateKeyAlgorithm().getAlgorithm() + " (" + e.getMessage() + ")", e);
        }
    }
}
