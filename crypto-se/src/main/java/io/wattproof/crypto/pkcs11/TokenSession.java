package io.wattproof.crypto.pkcs11;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.login.LoginException;

/**
 * The one SunPKCS11 provider of a token in this JVM, and the user login the keys opened on it
 * share.
 *
 * <p>Why one: each {@code SunPKCS11.configure} makes a provider with its own session pool and its
 * own view of the login, over a module that is initialised once per process (PKCS#11 v2.40 base
 * specification, C_Initialize). Keys opened again and again would pile up providers and sessions.
 *
 * <p>Why counted: a PKCS#11 login belongs to the application, not to a session: all sessions of
 * the process with the token share it, and C_Logout ends it for all of them (v2.40 base
 * specification §5.6, "Session management functions", C_Login and C_Logout). So the token is
 * logged out when the last open key is closed, not when any one is.
 *
 * <p>Why the PIN is compared: SunPKCS11 does not call C_Login when the token is already logged in,
 * and accepts any password then. A second open with another PIN file would otherwise succeed on
 * the strength of the first one's PIN. We keep an HMAC of the PIN that logged in, under a key drawn
 * for this login and dropped at logout, and refuse an open whose PIN differs.
 */
final class TokenSession {
    /** Keyed by library path as configured (SunPKCS11 shares a module per path string) and slot id. */
    private record Slot(String library, long slot) {}

    private static final Map<Slot, TokenSession> SESSIONS = new HashMap<>();

    private final Provider provider;
    private final String tokenLabel;
    private int openKeys;
    private byte[] pinMacKey;
    private byte[] pinMac;

    private TokenSession(Provider provider, String tokenLabel) {
        this.provider = provider;
        this.tokenLabel = tokenLabel;
    }

    /** The session of the token {@code config} names, configuring its provider on first use. */
    static TokenSession of(Pkcs11Config config) throws Pkcs11Failure {
        if (!Files.isRegularFile(config.library())) {
            throw new Pkcs11Failure.LibraryUnavailable(config.library(),
                    Files.exists(config.library()) ? "something that is not a regular file" : "no file", null);
        }
        long slot = Pkcs11Slots.slotOf(config.library(), config.tokenLabel());
        synchronized (SESSIONS) {
            Slot key = new Slot(config.library().toString(), slot);
            TokenSession session = SESSIONS.get(key);
            if (session == null) {
                session = new TokenSession(configure(config, slot), config.tokenLabel());
                SESSIONS.put(key, session);
            }
            return session;
        }
    }

    Provider provider() {
        return provider;
    }

    String tokenLabel() {
        return tokenLabel;
    }

    /**
     * Logs in with the PIN in {@link Pkcs11Config#pinFile()} unless an open key already did, and
     * counts one more open key; pair each successful call with one {@link #release}.
     *
     * @return the token's key store, loaded after the login (so private objects are listed)
     */
    synchronized KeyStore acquire(Pkcs11Config config) throws Pkcs11Failure {
        char[] pin = PinFile.read(config.pinFile());
        try {
            if (openKeys == 0) {
                // Whatever state a failed logout left behind, the token must judge this PIN itself.
                logout();
            } else if (!MessageDigest.isEqual(pinMac, mac(pinMacKey, pin))) {
                throw new Pkcs11Failure.PinDiffers(tokenLabel, config.pinFile());
            }
            KeyStore store;
            try {
                store = KeyStore.getInstance("PKCS11", provider);
            } catch (GeneralSecurityException e) {
                throw new Pkcs11Failure.TokenError("open key store", tokenLabel, e);
            }
            try {
                // P11KeyStore.engineLoad logs in with the password as the user PIN (C_Login, CKU_USER),
                // or, when the token is logged in already, only reads the entries.
                store.load(null, pin);
            } catch (IOException e) {
                if (hasCause(e, LoginException.class)) {
                    throw new Pkcs11Failure.LoginRefused(tokenLabel, config.pinFile(), e);
                }
                throw new Pkcs11Failure.TokenError("login", tokenLabel, e);
            } catch (GeneralSecurityException e) {
                throw new Pkcs11Failure.TokenError("login", tokenLabel, e);
            }
            if (openKeys == 0) {
                pinMacKey = new byte[32];
                new SecureRandom().nextBytes(pinMacKey);
                pinMac = mac(pinMacKey, pin);
            }
            openKeys++;
            return store;
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** One open key fewer; the last one logs the token out (C_Logout). */
    synchronized void release() throws Pkcs11Failure {
        if (openKeys == 0) {
            throw new IllegalStateException("release without acquire on token '" + tokenLabel + "'");
        }
        openKeys--;
        if (openKeys == 0) {
            pinMac = null;
            Arrays.fill(pinMacKey, (byte) 0);
            pinMacKey = null;
            logout();
        }
    }

    /** How many keys hold this session open. */
    synchronized int openKeys() {
        return openKeys;
    }

    private void logout() throws Pkcs11Failure {
        try {
            // SunPKCS11 returns at once when the token is not logged in.
            ((AuthProvider) provider).logout();
        } catch (LoginException | RuntimeException e) {
            throw new Pkcs11Failure.TokenError("logout", tokenLabel, e);
        }
    }

    private static byte[] mac(byte[] key, char[] pin) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pin));
        byte[] pinBytes = new byte[bytes.remaining()];
        bytes.get(pinBytes);
        Arrays.fill(bytes.array(), (byte) 0);
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            return hmac.doFinal(pinBytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        } finally {
            Arrays.fill(pinBytes, (byte) 0);
        }
    }

    private static Provider configure(Pkcs11Config config, long slot) throws Pkcs11Failure {
        // SunPKCS11 configuration (JDK PKCS#11 Reference Guide, "SunPKCS11 Configuration"): an
        // inline configuration starts with "--". CKA_PRIVATE=true: the key is invisible without login.
        String text = String.join("\n",
                "name = wattproof-slot-" + Long.toUnsignedString(slot),
                "library = " + quoted(config.library().toString()),
                "slot = " + Long.toUnsignedString(slot),
                "attributes(generate, CKO_PRIVATE_KEY, CKK_EC) = {",
                "  CKA_TOKEN = true",
                "  CKA_PRIVATE = true",
                "  CKA_SENSITIVE = true",
                "  CKA_EXTRACTABLE = false",
                "  CKA_SIGN = true",
                // A device key signs and does nothing else: no decryption, unwrapping or key
                // derivation (ECDH) that could make it an oracle for someone on the board.
                "  CKA_DECRYPT = false",
                "  CKA_UNWRAP = false",
                "  CKA_DERIVE = false",
                "}",
                "");
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new Pkcs11Failure.LibraryUnavailable(config.library(), "a jvm without the SunPKCS11 provider", null);
        }
        try {
            return base.configure("--" + text);
        } catch (RuntimeException e) {
            throw new Pkcs11Failure.TokenError("configure SunPKCS11 for slot " + Long.toUnsignedString(slot),
                    config.tokenLabel(), e);
        }
    }

    private static String quoted(String value) {
        if (value.indexOf('"') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("library path: expected no quote or line break, got '" + value + "'");
        }
        return '"' + value + '"';
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        List<Throwable> seen = new ArrayList<>();
        for (Throwable c = t; c != null && !seen.contains(c); c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            seen.add(c);
        }
        return false;
    }
}
