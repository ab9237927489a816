package io.wattproof.crypto.pkcs11;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.VerifyingKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Device keys on a PKCS#11 token, through the JDK's SunPKCS11 provider.
 *
 * <p>The key pair is generated on the token (CKM_EC_KEY_PAIR_GEN) with the private key marked
 * CKA_TOKEN=true, CKA_SENSITIVE=true and CKA_EXTRACTABLE=false (PKCS#11 v2.40 base specification, "Private key objects"): the
 * token refuses to reveal its value, even wrapped, and CKA_NEVER_EXTRACTABLE/CKA_ALWAYS_SENSITIVE
 * stay true for its whole life, which an auditor can check with {@code pkcs11-tool
 * --list-objects}. The attributes are set through SunPKCS11's {@code attributes(generate, ...)}
 * configuration, so every key this provider instance generates gets them.
 *
 * <p>Naming the key: SunPKCS11's KeyStore holds a private key only together with a certificate
 * chain (its {@code setKeyEntry} needs one to link key and alias), so on creation we sign a
 * self-signed placeholder certificate with the new key on the token and store both under the key
 * label. The private key keeps its place on the token (the provider sets its CKA_ID to the label,
 * it does not copy it); the certificate carries the public key, so opening needs no public key
 * object and no file. The certificate means nothing beyond that and expires never (RFC 5280
 * §4.1.2.5, 99991231235959Z). Labelling through raw CKA_LABEL templates instead would need the
 * JDK-internal binding of the slot lookup for every key operation, not just for finding the slot.
 *
 * <p>Lifetime: the returned {@link DeviceKey} holds a share of its token's login and is closed by
 * whoever opened it. The key, not this class, is the resource because it is what callers already
 * hold and pass around (the agent's signer, the command line): a {@link DeviceKey#close} works for
 * every store, and a caller never has to keep a second object alive just to release the first.
 * One SunPKCS11 provider per token and JVM is shared by all its keys ({@link TokenSession}).
 */
public final class Pkcs11KeyStore {
    private static final String CURVE = "secp256r1";
    /** RFC 5280 §4.1.2.5: notAfter 99991231235959Z means "no well-defined expiration date". */
    private static final Instant NO_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");
    private static final byte[] SELF_CHECK_MESSAGE = "wattproof pkcs#11 key check".getBytes(StandardCharsets.US_ASCII);

    private Pkcs11KeyStore() {}

    /**
     * Generates a new key on the token under {@link Pkcs11Config#keyLabel()}.
     *
     * @throws Pkcs11Failure.KeyExists if the token already has an entry with that label
     * @throws Pkcs11Failure.UnsupportedAlgorithm for Ed25519: SunPKCS11 (through JDK 25) has no
     *     EdDSA key generation or signature, although tokens such as SoftHSM2 2.6 offer CKM_EDDSA
     */
    public static DeviceKey create(Pkcs11Config config, KeyAlgorithm algorithm, Clock clock) throws Pkcs11Failure {
        if (algorithm != KeyAlgorithm.ECDSA_P256_SHA256) {
            String reason = algorithm == KeyAlgorithm.ED25519
                    ? "the jdk's SunPKCS11 provider has no EdDSA key generation or signing (CKM_EC_EDWARDS_KEY_PAIR_GEN,"
                            + " CKM_EDDSA), so use p256 on a token or ed25519 in the software store"
                    : "only p-256 keys are made on tokens";
            throw new Pkcs11Failure.UnsupportedAlgorithm("pkcs#11 key algorithm: expected " + KeyAlgorithm.ECDSA_P256_SHA256
                    + ", got " + algorithm + "; " + reason);
        }
        TokenSession session = TokenSession.of(config);
        KeyStore store = session.acquire(config);
        try {
            return create(session, store, config, clock);
        } catch (Pkcs11Failure | RuntimeException e) {
            release(session, e);
            throw e;
        }
    }

    private static DeviceKey create(TokenSession session, KeyStore store, Pkcs11Config config, Clock clock) throws Pkcs11Failure {
        try {
            if (store.containsAlias(config.keyLabel())) {
                throw new Pkcs11Failure.KeyExists(config.tokenLabel(), config.keyLabel());
            }
        } catch (GeneralSecurityException e) {
            throw new Pkcs11Failure.TokenError("list entries", config.tokenLabel(), e);
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", session.provider());
            generator.initialize(new ECGenParameterSpec(CURVE));
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Pkcs11Failure.TokenError("generate p-256 key pair", config.tokenLabel(), e);
        }
        VerifyingKey verifyingKey = verifyingKey(config, pair.getPublic().getEncoded());
        try {
            Certificate certificate = placeholderCertificate(session.provider(), pair, config.keyLabel(), clock.instant());
            store.setKeyEntry(config.keyLabel(), pair.getPrivate(), null, new Certificate[] {certificate});
        } catch (GeneralSecurityException | OperatorCreationException | IOException | RuntimeException e) {
            throw new Pkcs11Failure.TokenError("store key '" + config.keyLabel() + "'", config.tokenLabel(), e);
        }
        return checked(session, config, pair.getPrivate(), verifyingKey);
    }

    /**
     * Opens the key stored under {@link Pkcs11Config#keyLabel()}. Keys of one token opened in one
     * JVM share its provider and its login; the caller closes the key when done, and the last
     * open key of the token to close logs the token out.
     *
     * @throws Pkcs11Failure.PinDiffers if keys of the token are open with another PIN
     */
    public static DeviceKey open(Pkcs11Config config) throws Pkcs11Failure {
        TokenSession session = TokenSession.of(config);
        KeyStore store = session.acquire(config);
        try {
            return open(session, store, config);
        } catch (Pkcs11Failure | RuntimeException e) {
            release(session, e);
            throw e;
        }
    }

    private static DeviceKey open(TokenSession session, KeyStore store, Pkcs11Config config) throws Pkcs11Failure {
        Key key;
        Certificate certificate;
        try {
            if (!store.isKeyEntry(config.keyLabel())) {
                throw new Pkcs11Failure.KeyNotFound(config.tokenLabel(), config.keyLabel(), Collections.list(store.aliases()));
            }
            key = store.getKey(config.keyLabel(), null);
            certificate = store.getCertificate(config.keyLabel());
        } catch (GeneralSecurityException e) {
            throw new Pkcs11Failure.TokenError("read key '" + config.keyLabel() + "'", config.tokenLabel(), e);
        }
        if (!(key instanceof PrivateKey privateKey) || certificate == null) {
            throw new Pkcs11Failure.KeyNotFound(config.tokenLabel(), config.keyLabel(), List.of());
        }
        return checked(session, config, privateKey, verifyingKey(config, certificate.getPublicKey().getEncoded()));
    }

    /** Gives back the share of the session that a failed open or create had taken. */
    private static void release(TokenSession session, Exception failure) {
        try {
            session.release();
        } catch (Pkcs11Failure | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static VerifyingKey verifyingKey(Pkcs11Config config, byte[] subjectPublicKeyInfo) throws Pkcs11Failure {
        try {
            VerifyingKey key = PublicKeys.fromSubjectPublicKeyInfo(subjectPublicKeyInfo);
            if (key.algorithm() != KeyAlgorithm.ECDSA_P256_SHA256) {
                throw new Pkcs11Failure.UnsupportedAlgorithm("pkcs#11 key '" + config.keyLabel() + "' algorithm: expected "
                        + KeyAlgorithm.ECDSA_P256_SHA256 + ", got " + key.algorithm());
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new Pkcs11Failure.UnsupportedAlgorithm("pkcs#11 key '" + config.keyLabel()
                    + "' public key: expected ec p-256 in the canonical encoding, got " + e.getMessage());
        }
    }

    /**
     * Signs once and verifies with the public key we will publish: a certificate that does not
     * belong to the private key (an entry written by another tool) would otherwise give the device
     * an identity whose signatures never verify.
     */
    private static DeviceKey checked(TokenSession session, Pkcs11Config config, PrivateKey privateKey, VerifyingKey verifyingKey)
            throws Pkcs11Failure {
        Pkcs11DeviceKey key = new Pkcs11DeviceKey(session, config.keyLabel(), privateKey, verifyingKey);
        if (!Signatures.verify(KeyAlgorithm.ECDSA_P256_SHA256, key.publicKeyInfo(), SELF_CHECK_MESSAGE, key.sign(SELF_CHECK_MESSAGE))) {
            throw new Pkcs11Failure.TokenError("check key '" + config.keyLabel() + "'", config.tokenLabel(),
                    new IllegalStateException("expected the stored public key to verify the private key's signature, it does not"));
        }
        return key;
    }

    private static Certificate placeholderCertificate(Provider provider, KeyPair pair, String keyLabel, Instant now)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "wattproof")
                .addRDN(BCStyle.CN, "device key " + keyLabel)
                .build();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                Date.from(now), Date.from(NO_EXPIRY), subject, pair.getPublic());
        // Signed on the token: the private key cannot leave it, and need not.
        byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(provider).build(pair.getPrivate()))
                .getEncoded();
        return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
