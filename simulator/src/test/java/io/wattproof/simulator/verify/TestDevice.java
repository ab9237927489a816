package io.wattproof.simulator.verify;

import com.google.protobuf.ByteString;
import io.wattproof.agent.charging.ChargingTransactions;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A simulated device for tests: a fresh JDK key pair and the records a correct agent would sign
 * with it (sign-bytes per SignBytes, ECDSA normalised to low-S as DeviceKey promises).
 */
final class TestDevice {
    static final String CHAIN_ID = "wattproof-test";
    private static final Provider BC = new BouncyCastleProvider();
    private static final BigInteger N = new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16); // n of P-256 (SEC 2 section 2.4.2)

    final KeyAlgorithm algorithm;
    final KeyPair keys;
    final byte[] spki;
    final DeviceId id;

    private TestDevice(KeyAlgorithm algorithm, KeyPair keys) {
        this.algorithm = algorithm;
        this.keys = keys;
        this.spki = keys.getPublic().getEncoded();
        this.id = DeviceId.fromPublicKeyInfo(spki);
    }

    static TestDevice create(KeyAlgorithm algorithm) {
        try {
            KeyPairGenerator generator = switch (algorithm) {
                case ECDSA_P256_SHA256 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    yield g;
                }
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519");
                case SM2_SM3 -> {
                    // The JDK has no sm2p256v1; Bouncy Castle's provider, used unregistered.
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
                    g.initialize(new ECGenParameterSpec("sm2p256v1"));
                    yield g;
                }
            };
            return new TestDevice(algorithm, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    ReadingVerifier registeredIn(ReadingVerifier verifier) {
        verifier.register(id, algorithm, spki);
        return verifier;
    }

    /** A plausible 15-minute reading; {@code importWh} lets tests make two different bodies for one sequence. */
    Reading reading(long sequence, byte[] previousHash, long importWh) {
        return Reading.newBuilder()
                .setDeviceId(ByteString.copyFrom(id.bytes()))
                .setSequence(sequence)
                .setIntervalStart(1_767_225_600L + 900 * (sequence - 1))
                .setIntervalSeconds(900)
                .setImportWh(importWh)
                .setImportDeltaWh(100)
                .setPeakPowerW(900)
                .setAveragePowerW(400)
                .setVoltageMinDv(2281)
                .setVoltageMaxDv(2334)
                .setMeterModel("SDM630")
                .setMeterSerial("SIM-0001")
                .setFirmwareVersion("0.1.0")
                .setPreviousHash(ByteString.copyFrom(previousHash))
                .build();
    }

    Reading reading(long sequence, byte[] previousHash) {
        return reading(sequence, previousHash, 10_000 + 100 * sequence);
    }

    static byte[] signBytes(Reading reading) {
        return SignBytes.of(BodyType.READING, CHAIN_ID, reading.toByteArray());
    }

    /** Raw signature as a device sends it: r||s low-S, R||S, or SM2's r||s. */
    byte[] sign(byte[] message) {
        try {
            return switch (algorithm) {
                case ECDSA_P256_SHA256 -> {
                    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
                    s.initSign(keys.getPrivate());
                    s.update(message);
                    yield lowS(s.sign());
                }
                case ED25519 -> {
                    Signature s = Signature.getInstance("Ed25519");
                    s.initSign(keys.getPrivate());
                    s.update(message);
                    yield s.sign();
                }
                case SM2_SM3 -> {
                    // Bouncy Castle's JCA signer returns DER; the wire carries r||s.
                    Signature s = Signature.getInstance("SM3withSM2", BC);
                    s.setParameter(new SM2ParameterSpec(Signatures.sm2UserId()));
                    s.initSign(keys.getPrivate());
                    s.update(message);
                    yield Signatures.derToRaw(KeyAlgorithm.SM2_SM3, s.sign());
                }
            };
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    SignedTx.Builder txBuilder(Reading reading) {
        return SignedTx.newBuilder()
                .setBodyType(BodyType.READING)
                .setBody(reading.toByteString())
                .setKeyAlgorithmValue(algorithm.wireNumber())
                .setSignature(ByteString.copyFrom(sign(signBytes(reading))));
    }

    byte[] payload(Reading reading) {
        return txBuilder(reading).build().toByteArray();
    }

    /** Readings 1..n, each chained to the one before. */
    List<Reading> readings(int n) {
        List<Reading> out = new ArrayList<>();
        byte[] previous = new byte[0];
        for (long seq = 1; seq <= n; seq++) {
            Reading r = reading(seq, previous);
            out.add(r);
            previous = SignBytes.recordHash(signBytes(r));
        }
        return out;
    }

    /** Payloads of readings 1..n, each chained to the one before. */
    List<byte[]> chain(int n) {
        return readings(n).stream().map(this::payload).toList();
    }

    /** This device's key as the charging code signs with it (ChargingTransactions). */
    DeviceKey deviceKey() {
        VerifyingKey verifying = PublicKeys.fromSubjectPublicKeyInfo(spki);
        return new DeviceKey() {
            @Override
            public VerifyingKey verifyingKey() {
                return verifying;
            }

            @Override
            public byte[] sign(byte[] message) {
                return TestDevice.this.sign(message);
            }
        };
    }

    /**
     * A session record at {@code sequence} of this device's chain, as a charging pile signs it;
     * {@code startTime} and {@code endTime} span readings signed before it.
     */
    ChargingSession session(long sequence, byte[] previousHash, long startTime, long endTime) {
        return ChargingSession.newBuilder()
                .setDeviceId(ByteString.copyFrom(id.bytes()))
                .setSequence(sequence)
                .setContractTxHash(ByteString.copyFrom(new byte[32]))
                .setStartTime(startTime)
                .setEndTime(endTime)
                .setStartImportWh(10_000)
                .setEndImportWh(17_500)
                .setEnergyWh(7_500)
                .setEndReason(ChargingSession.EndReason.STOPPED_BY_USER)
                .setOwnerPseudonym(ByteString.copyFrom(new byte[32]))
                .setDriverPseudonym(ByteString.copyFrom(new byte[32]))
                .setPreviousHash(ByteString.copyFrom(previousHash))
                .build();
    }

    static byte[] signBytes(ChargingSession session) {
        return SignBytes.of(BodyType.CHARGING_SESSION, CHAIN_ID, session.toByteArray());
    }

    byte[] payload(ChargingSession session) {
        try {
            return ChargingTransactions.session(CHAIN_ID, deviceKey(), session);
        } catch (KeyStoreFailure e) {
            throw new AssertionError(e);
        }
    }

    static byte[] lowS(byte[] raw) {
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
        return s.compareTo(N.shiftRight(1)) > 0 ? withS(raw, N.subtract(s)) : raw;
    }

    /** The other valid encoding (r, n - s) of a low-S signature: mathematically valid, but high-S. */
    static byte[] highS(byte[] raw) {
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
        return withS(raw, N.subtract(s));
    }

    static byte[] withS(byte[] raw, BigInteger s) {
        byte[] out = raw.clone();
        byte[] fixed = new byte[32];
        byte[] mag = s.toByteArray();
        int len = Math.min(mag.length, 32);
        System.arraycopy(mag, mag.length - len, fixed, 32 - len, len);
        System.arraycopy(fixed, 0, out, 32, 32);
        return out;
    }
}
