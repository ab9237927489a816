package io.wattproof.crypto.atecc608;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * A test double of an ATECC608A on an I2C bus, built from the data sheet's I/O chapters: what the
 * driver sees on the wire is what a chip would send, as far as the commands below go. It runs on
 * virtual time ({@link #pause()} and {@link #advance}), so tests never sleep.
 *
 * <p>Modelled: sleep, idle and awake states (an asleep or idle chip NACKs everything until the
 * wake token; the wake response 0x04 0x11 0x33 0x43 is readable after t_WHI); the watchdog (1.3 s
 * after wake the chip falls asleep, losing TempKey; a command whose maximum execution time would
 * not fit answers 0xEE); word addresses reset/sleep/idle/command; packet checks (count out of
 * range: 0x03; count not matching the bytes written or CRC wrong: 0xFF, checked before anything
 * else); execution time (reads NACK until the command is done); and the commands Info (revision),
 * Random, Read (configuration zone), GenKey (private and public key mode), Nonce (pass-through to
 * TempKey), Sign (external, from TempKey) and Counter (read and increment of Counter[0] and
 * Counter[1], each kept by this double from 0, never going down; KeyID above 1 or another mode is a
 * parse error; an increment at 2,097,151 answers 0x0F and counts nothing, since the data sheet
 * only says "an error code" and the SHA104's counter documents an execution error). Keys are P-256 key pairs made by Bouncy Castle; Sign
 * uses a random k and, like the chip, does not normalise s.
 *
 * <p>Not modelled: other commands and modes (the double throws {@link UnsupportedOperationException}
 * so a test cannot pass by accident), SlotConfig access rules, the data and OTP zones, I/O
 * protection, and clock dividers. The execution times are our own choice below each command's
 * maximum, not measured values. GenKey in public key mode on a slot without a generated key
 * answers 0x0F (execution error), which is what the key store relies on to call a slot empty; a
 * real chip's answer for a slot holding its factory contents is not verified.
 */
public final class Atecc608I2cDouble implements I2cBus {
    public static final Duration WATCHDOG = Duration.ofMillis(1300);
    static final Duration WAKE_HIGH_TIME = Duration.ofNanos(1_500_000);
    static final Duration STATUS_TIME = Duration.ofMillis(1);
    /** Serial number as programmed: SN[0:1] = 0x01 0x23 on every device, SN[8] = 0x01. */
    public static final byte[] SERIAL_NUMBER = {0x01, 0x23, 0x6a, (byte) 0x9e, 0x41, (byte) 0xc2, 0x07, 0x5d, 0x01};
    private static final byte[] REVISION_608A = {0x00, 0x00, 0x60, 0x02};
    private static final ECNamedDomainParameters P256 = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);
    /** Opcodes the data sheet defines that this double does not model. */
    private static final Set<Integer> UNMODELLED_OPCODES = Set.of(0x51, 0x28, 0x1C, 0x43, 0x15, 0x56, 0x17, 0x08, 0x46,
            0x80, 0x77, 0x47, 0x20, 0x45, 0x12);

    public enum Power { SLEEP, IDLE, AWAKE }

    private final int address;
    private final SecureRandom random = new SecureRandom();
    private final byte[] config = new byte[128];
    private final ECPrivateKeyParameters[] slots = new ECPrivateKeyParameters[Atecc608Driver.SLOT_COUNT];
    private final long[] counters = new long[Atecc608Driver.COUNTER_COUNT];
    private final Deque<Integer> scriptedStatuses = new ArrayDeque<>();
    private final List<Integer> executed = new ArrayList<>();
    private long now;
    private Power power = Power.SLEEP;
    private long awakeSince;
    private long readyAt;
    private byte[] output = new byte[0];
    private int outputPosition;
    private byte[] tempKey;
    private int responsesToCorrupt;
    private int commandResponsesToCorrupt;
    private int corruptOpcode = -1;
    private int silentOpcode = -1;
    private int wakes;

    private Atecc608I2cDouble(int address, boolean configLocked) {
        this.address = address;
        System.arraycopy(SERIAL_NUMBER, 0, config, 0, 4);
        System.arraycopy(REVISION_608A, 0, config, 4, 4);
        System.arraycopy(SERIAL_NUMBER, 4, config, 8, 5);
        config[86] = 0x55;
        config[87] = (byte) (configLocked ? 0x00 : 0x55);
        for (int slot = 0; slot < slots.length; slot++) {
            // Slots 0..7: P-256 private keys (Private = 1, PubInfo = 1, KeyType = 4, Lockable = 1 -> 0x0033);
            // slots 8..15: data (KeyType = 7 -> 0x001C).
            int keyConfig = slot < 8 ? 0x0033 : 0x001C;
            config[96 + 2 * slot] = (byte) keyConfig;
            config[97 + 2 * slot] = (byte) (keyConfig >> 8);
        }
    }

    /** A personalised chip at 0x60: configuration zone locked, slots 0..7 for P-256 keys, all empty. */
    public static Atecc608I2cDouble personalised() {
        return new Atecc608I2cDouble(Atecc608Driver.DEFAULT_ADDRESS, true);
    }

    /** A chip as delivered: configuration zone unlocked (LockConfig 0x55). */
    public static Atecc608I2cDouble unlocked() {
        return new Atecc608I2cDouble(Atecc608Driver.DEFAULT_ADDRESS, false);
    }

    /** A pause that advances this chip's virtual time: give it to the driver. */
    public Pause pause() {
        return this::advance;
    }

    public void advance(Duration duration) {
        now += duration.toNanos();
    }

    public Power power() {
        tick();
        return power;
    }

    /** Makes the next {@code count} responses (wake response included) fail their CRC by flipping bit 0 of byte 1. */
    public void corruptNextResponses(int count) {
        responsesToCorrupt = count;
    }

    /** Makes the next {@code count} command responses (not wake responses) fail their CRC. */
    public void corruptNextCommandResponses(int count) {
        commandResponsesToCorrupt = count;
    }

    /** Makes the next successful response to {@code opcode} fail its CRC (the command was executed). */
    public void corruptNextSuccessOf(Opcode opcode) {
        corruptOpcode = opcode.code();
    }

    /**
     * Executes the next command with {@code opcode} but never answers it (the chip acknowledges the
     * command and then NACKs every read), as when its answer is lost: the driver times out.
     */
    public void loseNextAnswerTo(Opcode opcode) {
        silentOpcode = opcode.code();
    }

    /** The next {@code count} intact commands are answered with {@code status} instead of being executed. */
    public void answerNextCommandsWith(int status, int count) {
        for (int i = 0; i < count; i++) {
            scriptedStatuses.add(status);
        }
    }

    /** Opcodes of the commands executed (not those refused), in order. */
    public List<Integer> executed() {
        return List.copyOf(executed);
    }

    /** How many wake tokens found the chip asleep or idle. */
    public int wakes() {
        return wakes;
    }

    /** The value of monotonic counter {@code counter} (0 or 1). */
    public long counter(int counter) {
        return counters[counter];
    }

    /**
     * Sets a counter as a chip would leave the factory or a long life with it: only upwards, like
     * the counter itself, and at most to the maximum.
     */
    public void presetCounter(int counter, long value) {
        if (value < counters[counter] || value > Atecc608Driver.COUNTER_MAX) {
            throw new IllegalArgumentException("counter " + counter + ": expected " + counters[counter] + ".." + Atecc608Driver.COUNTER_MAX
                    + " (it never goes down), got " + value);
        }
        counters[counter] = value;
    }

    /** X||Y of the key in {@code slot}, or null when it holds none. */
    public byte[] slotPublicKey(int slot) {
        return slots[slot] == null ? null : xy(slots[slot]);
    }

    // ---- the bus ----

    @Override
    public void wakePulse() {
        tick();
        if (power != Power.AWAKE) {
            power = Power.AWAKE;
            wakes++;
            awakeSince = now;
            respond(Atecc608Driver.WAKE_RESPONSE.clone(), WAKE_HIGH_TIME, false);
        }
    }

    @Override
    public boolean write(int address, byte[] bytes) {
        tick();
        if (address != this.address || power != Power.AWAKE || now < readyAt) {
            return false;
        }
        if (bytes.length == 0) {
            return true;
        }
        switch (bytes[0]) {
            case Atecc608Driver.WORD_ADDRESS_RESET -> outputPosition = 0;
            case Atecc608Driver.WORD_ADDRESS_SLEEP -> sleepNow();
            case Atecc608Driver.WORD_ADDRESS_IDLE -> {
                power = Power.IDLE;
                output = new byte[0];
            }
            case Command.WORD_ADDRESS_COMMAND -> receive(Arrays.copyOfRange(bytes, 1, bytes.length));
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public Optional<byte[]> read(int address, int length) {
        tick();
        if (address != this.address || power != Power.AWAKE || now < readyAt || output.length == 0) {
            return Optional.empty();
        }
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            int at = outputPosition + i;
            bytes[i] = at < output.length ? output[at] : (byte) 0xff;
        }
        outputPosition += length;
        return Optional.of(bytes);
    }

    @Override
    public void close() {}

    private void tick() {
        if (power == Power.AWAKE && now - awakeSince >= WATCHDOG.toNanos()) {
            sleepNow();
        }
    }

    private void sleepNow() {
        power = Power.SLEEP;
        tempKey = null;
        output = new byte[0];
        readyAt = 0;
    }

    private void respond(byte[] packet, Duration after, boolean toCommand) {
        if (responsesToCorrupt > 0) {
            responsesToCorrupt--;
            packet[1] ^= 0x01;
        } else if (toCommand && commandResponsesToCorrupt > 0) {
            commandResponsesToCorrupt--;
            packet[1] ^= 0x01;
        }
        output = packet;
        outputPosition = 0;
        readyAt = now + after.toNanos();
    }

    private void respondStatus(int status) {
        byte[] packet = {0x04, (byte) status, 0, 0};
        PacketCrc.append(packet, 2);
        respond(packet, STATUS_TIME, true);
    }

    // ---- command processing ----

    private void receive(byte[] packet) {
        int count = packet.length == 0 ? 0 : packet[0] & 0xff;
        if (count < 7 || count > Command.MAX_PACKET_LENGTH) {
            respondStatus(Status.PARSE_ERROR.code());
            return;
        }
        // "CRC errors are always returned before any other type of error."
        if (count != packet.length || !PacketCrc.isValid(packet)) {
            respondStatus(Status.COMMUNICATION_ERROR.code());
            return;
        }
        if (!scriptedStatuses.isEmpty()) {
            respondStatus(scriptedStatuses.poll());
            return;
        }
        int code = packet[1] & 0xff;
        Opcode op = Opcode.of(code);
        if (op == null) {
            if (UNMODELLED_OPCODES.contains(code)) {
                throw new UnsupportedOperationException("the atecc608 double does not model opcode 0x" + Integer.toHexString(code));
            }
            respondStatus(Status.PARSE_ERROR.code());
            return;
        }
        long left = WATCHDOG.toNanos() - (now - awakeSince);
        if (left < op.maxExecutionTime().toNanos()) {
            respondStatus(Status.WATCHDOG_ABOUT_TO_EXPIRE.code());
            return;
        }
        int mode = packet[2] & 0xff;
        int param2 = (packet[3] & 0xff) | (packet[4] & 0xff) << 8;
        byte[] data = Arrays.copyOfRange(packet, 5, count - 2);
        Outcome outcome = switch (op) {
            case INFO -> info(mode, param2, data);
            case RANDOM -> random(param2, data);
            case READ -> read(mode, param2, data);
            case GENKEY -> genKey(mode, param2, data);
            case NONCE -> nonce(mode, param2, data);
            case SIGN -> sign(mode, param2, data);
            case COUNTER -> counter(mode, param2, data);
        };
        switch (outcome) {
            case Outcome.Fail fail -> respondStatus(fail.status().code());
            case Outcome.Ok ok -> {
                executed.add(code);
                byte[] response = new byte[ok.data().length + 3];
                response[0] = (byte) response.length;
                System.arraycopy(ok.data(), 0, response, 1, ok.data().length);
                PacketCrc.append(response, response.length - 2);
                if (code == corruptOpcode) {
                    corruptOpcode = -1;
                    response[1] ^= 0x01;
                }
                if (code == silentOpcode) {
                    silentOpcode = -1;
                    output = new byte[0];
                    readyAt = now + ok.time().toNanos();
                    return;
                }
                respond(response, ok.time(), true);
            }
        }
    }

    private sealed interface Outcome {
        record Ok(byte[] data, Duration time) implements Outcome {}

        record Fail(Status status) implements Outcome {}
    }

    private static Outcome ok(byte[] data, int millis) {
        return new Outcome.Ok(data, Duration.ofMillis(millis));
    }

    private static Outcome fail(Status status) {
        return new Outcome.Fail(status);
    }

    private Outcome info(int mode, int param2, byte[] data) {
        if (mode != 0x00) {
            throw new UnsupportedOperationException("the atecc608 double models info mode 0x00 (revision) only, got 0x" + Integer.toHexString(mode));
        }
        if (param2 != 0 || data.length != 0) {
            return fail(Status.PARSE_ERROR);
        }
        return ok(REVISION_608A.clone(), 1);
    }

    private Outcome random(int param2, byte[] data) {
        if (param2 != 0 || data.length != 0) {
            return fail(Status.PARSE_ERROR);
        }
        byte[] bytes = new byte[32];
        if (config[87] != 0x00) {
            // "Random Command": before the configuration zone is locked the output is fixed.
            for (int i = 0; i < 32; i += 4) {
                bytes[i] = (byte) 0xff;
                bytes[i + 1] = (byte) 0xff;
            }
        } else {
            random.nextBytes(bytes);
        }
        return ok(bytes, 12);
    }

    private Outcome read(int mode, int param2, byte[] data) {
        if ((mode & 0x03) != 0x00) {
            throw new UnsupportedOperationException("the atecc608 double models reads of the configuration zone only, got zone " + (mode & 0x03));
        }
        if ((mode & 0x7c) != 0 || param2 > 0x1f || data.length != 0) {
            return fail(Status.PARSE_ERROR);
        }
        int block = param2 >> 3;
        boolean whole = (mode & 0x80) != 0;
        int from = whole ? block * 32 : block * 32 + (param2 & 0x07) * 4;
        return ok(Arrays.copyOfRange(config, from, from + (whole ? 32 : 4)), 1);
    }

    private Outcome genKey(int mode, int slot, byte[] data) {
        if (mode != 0x04 && mode != 0x00) {
            throw new UnsupportedOperationException("the atecc608 double models genkey modes 0x04 and 0x00 only, got 0x" + Integer.toHexString(mode));
        }
        if (slot >= slots.length || data.length != 0) {
            return fail(Status.PARSE_ERROR);
        }
        if (config[87] != 0x00 || !isP256PrivateSlot(slot)) {
            return fail(Status.EXECUTION_ERROR);
        }
        if (mode == 0x04) {
            ECKeyPairGenerator generator = new ECKeyPairGenerator();
            generator.init(new ECKeyGenerationParameters(P256, random));
            AsymmetricCipherKeyPair pair = generator.generateKeyPair();
            slots[slot] = (ECPrivateKeyParameters) pair.getPrivate();
        } else if (slots[slot] == null) {
            return fail(Status.EXECUTION_ERROR);
        }
        return ok(xy(slots[slot]), 60);
    }

    private Outcome nonce(int mode, int param2, byte[] data) {
        if (mode != 0x03) {
            throw new UnsupportedOperationException("the atecc608 double models nonce pass-through to tempkey (mode 0x03) only, got 0x"
                    + Integer.toHexString(mode));
        }
        if (param2 != 0 || data.length != 32) {
            return fail(Status.PARSE_ERROR);
        }
        tempKey = data.clone();
        return ok(new byte[] {0x00}, 4);
    }

    private Outcome sign(int mode, int slot, byte[] data) {
        if (mode != 0x80) {
            throw new UnsupportedOperationException("the atecc608 double models sign external from tempkey (mode 0x80) only, got 0x"
                    + Integer.toHexString(mode));
        }
        if (slot >= slots.length || data.length != 0) {
            return fail(Status.PARSE_ERROR);
        }
        if (config[87] != 0x00 || !isP256PrivateSlot(slot) || slots[slot] == null || tempKey == null) {
            return fail(Status.EXECUTION_ERROR);
        }
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, new org.bouncycastle.crypto.params.ParametersWithRandom(slots[slot], random));
        BigInteger[] rs = signer.generateSignature(tempKey);
        tempKey = null;
        byte[] raw = new byte[64];
        BigIntegers.asUnsignedByteArray(rs[0], raw, 0, 32);
        BigIntegers.asUnsignedByteArray(rs[1], raw, 32, 32);
        return ok(raw, 50);
    }

    private Outcome counter(int mode, int keyId, byte[] data) {
        if ((mode != 0x00 && mode != 0x01) || keyId >= counters.length || data.length != 0) {
            return fail(Status.PARSE_ERROR);
        }
        if (mode == 0x01) {
            if (counters[keyId] >= Atecc608Driver.COUNTER_MAX) {
                return fail(Status.EXECUTION_ERROR);
            }
            counters[keyId]++;
        }
        long v = counters[keyId];
        return ok(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)}, 8);
    }

    private boolean isP256PrivateSlot(int slot) {
        int keyConfig = (config[96 + 2 * slot] & 0xff) | (config[97 + 2 * slot] & 0xff) << 8;
        return (keyConfig & 1) == 1 && (keyConfig >> 2 & 7) == 4;
    }

    private static byte[] xy(ECPrivateKeyParameters key) {
        ECPoint q = new ECPublicKeyParameters(P256.getG().multiply(key.getD()).normalize(), P256).getQ();
        byte[] xy = new byte[64];
        BigIntegers.asUnsignedByteArray(q.getAffineXCoord().toBigInteger(), xy, 0, 32);
        BigIntegers.asUnsignedByteArray(q.getAffineYCoord().toBigInteger(), xy, 32, 32);
        return xy;
    }
}
