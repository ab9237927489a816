package io.wattproof.crypto.atecc608;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Talks to one ATECC608A/B over an {@link I2cBus}: wakes it, sends command packets, polls for the
 * result, checks it, and puts the chip back to sleep.
 *
 * <p>Every public operation is one awake period ("session"): wake token, wake response check,
 * the command(s), sleep. The chip's watchdog (t_WATCHDOG, about 1.3 s; data sheet, "Watchdog
 * Failsafe") sends it to sleep on its own anyway, so nothing is kept awake between calls, and
 * sleep clears the volatile state (TempKey with the digest last signed; "Sleep Sequence").
 *
 * <p>A session that fails in a way the data sheet calls transient — the chip saw a bad CRC
 * (0xFF), its watchdog was about to expire (0xEE), it had fallen asleep (0x11), an ECC fault
 * (0x05), a response whose CRC or count is wrong, no answer in time — is retried from a fresh wake,
 * at most {@value #MAX_ATTEMPTS} times in all. Data from a response that failed its CRC is never
 * returned.
 *
 * <p>Sessions take turns: a device key and a monotonic counter on the same chip share one driver,
 * and each awake period runs alone (one chip, one conversation at a time).
 */
public final class Atecc608Driver {
    /** The factory default 7-bit address of a standard ATECC608A/B (I2C address byte 0xC0). */
    public static final int DEFAULT_ADDRESS = 0x60;
    public static final int SLOT_COUNT = 16;
    /** Counter[0] and Counter[1] ("Counter Command"). */
    public static final int COUNTER_COUNT = 2;
    /** The highest value a monotonic counter reaches; an increment there fails ("Counter Command"). */
    public static final long COUNTER_MAX = 2_097_151;
    static final int MAX_ATTEMPTS = 3;
    /** Wake response: count 0x04, status 0x11 ("after wake"), CRC 0x33 0x43 ("Wake Condition"). */
    static final byte[] WAKE_RESPONSE = {0x04, 0x11, 0x33, 0x43};
    static final int WORD_ADDRESS_RESET = 0x00;
    static final int WORD_ADDRESS_SLEEP = 0x01;
    static final int WORD_ADDRESS_IDLE = 0x02;
    /** t_WHI: after the wake token, SDA high for at least 1500 µs before the chip talks ("AC Parameters"). */
    static final Duration WAKE_HIGH_TIME = Duration.ofNanos(1_500_000);
    static final Duration POLL_INTERVAL = Duration.ofMillis(2);

    private final I2cBus bus;
    private final int address;
    private final Pause pause;

    public Atecc608Driver(I2cBus bus, int address, Pause pause) {
        if (address < 0x08 || address > 0x77) {
            throw new IllegalArgumentException("i2c address: expected a 7-bit device address 0x08..0x77, got 0x" + Integer.toHexString(address));
        }
        this.bus = bus;
        this.address = address;
        this.pause = pause;
    }

    public int address() {
        return address;
    }

    /** Info, Revision mode (mode 0x00, param2 0x0000; "Info Command"). */
    public Revision info() throws Atecc608Failure {
        return new Revision(session(() -> execute(new Command(Opcode.INFO, 0x00, 0x0000, new byte[0], 4)), true));
    }

    /**
     * Random, mode 0x00 (seed updated; "Random Command"): 32 bytes from the chip's generator. Until
     * the configuration zone is locked the chip returns the fixed pattern 0xFF 0xFF 0x00 0x00 × 8.
     */
    public byte[] random() throws Atecc608Failure {
        return session(() -> execute(new Command(Opcode.RANDOM, 0x00, 0x0000, new byte[0], 32)), true);
    }

    /**
     * Reads 32-byte block {@code block} (0..3) of the 128-byte configuration zone ("Read Command":
     * param1 zone 0x00 with bit 7 set for 32 bytes; param2 = block in bits 4:3, word offset 0).
     */
    public byte[] readConfigBlock(int block) throws Atecc608Failure {
        if (block < 0 || block > 3) {
            throw new IllegalArgumentException("config block: expected 0..3, got " + block);
        }
        return session(() -> execute(new Command(Opcode.READ, 0x80, block << 3, new byte[0], 32)), true);
    }

    /** Reads the 4-byte word {@code word} (0..31) of the configuration zone, config bytes 4·word .. 4·word + 3. */
    public byte[] readConfigWord(int word) throws Atecc608Failure {
        if (word < 0 || word > 31) {
            throw new IllegalArgumentException("config word: expected 0..31, got " + word);
        }
        int param2 = (word / 8) << 3 | (word % 8);
        return session(() -> execute(new Command(Opcode.READ, 0x00, param2, new byte[0], 4)), true);
    }

    public SerialNumber serialNumber() throws Atecc608Failure {
        return SerialNumber.fromConfigBlock0(readConfigBlock(0));
    }

    /** LockValue and LockConfig: config bytes 86 and 87, the last two bytes of word 21. */
    public LockState lockState() throws Atecc608Failure {
        byte[] word = readConfigWord(21);
        return new LockState(word[2] & 0xff, word[3] & 0xff);
    }

    /** KeyConfig of {@code slot}: config bytes 96 + 2·slot (LSB) and 97 + 2·slot ("KeyConfig"). */
    public int keyConfig(int slot) throws Atecc608Failure {
        requireSlot(slot);
        byte[] block3 = readConfigBlock(3);
        return (block3[2 * slot] & 0xff) | (block3[2 * slot + 1] & 0xff) << 8;
    }

    /**
     * GenKey, private key mode (mode 0x04; "GenKey Command"): the chip makes a new P-256 private
     * key in {@code slot}, replacing what was there, and returns its public key X||Y (64 bytes).
     * Not resent after a corrupted response, because the key has then already been made: the
     * caller fetches its public key with {@link #genKeyPublic} instead.
     */
    public byte[] genKeyCreate(int slot) throws Atecc608Failure {
        requireSlot(slot);
        return session(() -> execute(new Command(Opcode.GENKEY, 0x04, slot, new byte[0], 64)), false);
    }

    /** GenKey, public key mode (mode 0x00): X||Y of the private key already in {@code slot}. */
    public byte[] genKeyPublic(int slot) throws Atecc608Failure {
        requireSlot(slot);
        return session(() -> execute(new Command(Opcode.GENKEY, 0x00, slot, new byte[0], 64)), true);
    }

    /**
     * Signs a 32-byte digest with the key in {@code slot}, in one awake period: Nonce in
     * pass-through mode (mode 0x03, param2 0x0000; "Nonce Command") loads the digest into TempKey
     * unchanged, then Sign in external mode (mode 0x80, message in TempKey; "Sign Command") returns
     * r||s, 32 bytes each, big-endian, s as the chip computed it (either half).
     */
    public byte[] signDigest(int slot, byte[] digest) throws Atecc608Failure {
        requireSlot(slot);
        if (digest.length != 32) {
            throw new IllegalArgumentException("digest: expected 32 bytes, got " + digest.length);
        }
        byte[] copy = digest.clone();
        return session(() -> {
            execute(new Command(Opcode.NONCE, 0x03, 0x0000, copy, 1));
            return execute(new Command(Opcode.SIGN, 0x80, slot, new byte[0], 64));
        }, true);
    }

    /**
     * Counter, read mode (mode 0x00, KeyID = counter 0 or 1; "Counter Command"): the counter's value,
     * sent as 4 bytes least significant first.
     */
    public long counterRead(int counter) throws Atecc608Failure {
        requireCounter(counter);
        return counterValue(session(() -> execute(new Command(Opcode.COUNTER, 0x00, counter, new byte[0], 4)), true));
    }

    /**
     * Counter, increment mode (mode 0x01): counts one up and returns the new value. Not resent when
     * the answer is damaged or does not come after the chip took the command, because the count may
     * already have happened and a second one would count twice; the caller reads the counter
     * instead. At the maximum the chip refuses with a status error.
     */
    public long counterIncrement(int counter) throws Atecc608Failure {
        requireCounter(counter);
        return counterValue(session(() -> execute(new Command(Opcode.COUNTER, 0x01, counter, new byte[0], 4)), false));
    }

    private long counterValue(byte[] le) throws Atecc608Failure {
        long value = (le[0] & 0xffL) | (le[1] & 0xffL) << 8 | (le[2] & 0xffL) << 16 | (le[3] & 0xffL) << 24;
        if (value > COUNTER_MAX) {
            throw new Atecc608Failure.CorruptResponse(address, Opcode.COUNTER, "counter value: expected 0.." + COUNTER_MAX + ", got " + value);
        }
        return value;
    }

    private static void requireCounter(int counter) {
        if (counter < 0 || counter >= COUNTER_COUNT) {
            throw new IllegalArgumentException("counter: expected 0.." + (COUNTER_COUNT - 1) + ", got " + counter);
        }
    }

    /** Idle ("Word Address Values" 0x02): ignores the bus until the next wake, keeps TempKey. */
    public void idle() {
        bus.write(address, new byte[] {WORD_ADDRESS_IDLE});
    }

    /** Sleep (0x01): lowest power, volatile state cleared, command engine reset. */
    public void sleep() {
        bus.write(address, new byte[] {WORD_ADDRESS_SLEEP});
    }

    private static void requireSlot(int slot) {
        if (slot < 0 || slot >= SLOT_COUNT) {
            throw new IllegalArgumentException("slot: expected 0.." + (SLOT_COUNT - 1) + ", got " + slot);
        }
    }

    @FunctionalInterface
    private interface Work {
        byte[] run() throws Atecc608Failure;
    }

    /**
     * Runs {@code work} in one awake period and retries transient failures from a fresh wake.
     * After any failure the chip is sent to sleep, which resets its command engine and I/O buffer,
     * so a retry never reads a stale result.
     */
    private synchronized byte[] session(Work work, boolean idempotent) throws Atecc608Failure {
        Atecc608Failure last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                wake();
                byte[] result = work.run();
                sleep();
                return result;
            } catch (Atecc608Failure e) {
                sleep();
                if (!isTransient(e, idempotent)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private static boolean isTransient(Atecc608Failure failure, boolean idempotent) {
        return switch (failure) {
            case Atecc608Failure.StatusError e -> e.status() != null && e.status().retryable();
            case Atecc608Failure.CorruptResponse e -> idempotent;
            // A command the chip took and then did not answer may have been executed.
            case Atecc608Failure.NoResponse e -> (idempotent || !e.commandAccepted()) && !Thread.currentThread().isInterrupted();
            case Atecc608Failure.WakeFailed e -> true;
            default -> false;
        };
    }

    /**
     * Wake token, t_WHI, then the 4-byte wake response. A chip that was already awake ignores the
     * token and answers with whatever its output buffer holds (or NACKs); that is a failed wake,
     * and the session's sleep-and-retry puts it right.
     */
    private void wake() throws Atecc608Failure {
        bus.wakePulse();
        pause.pause(WAKE_HIGH_TIME);
        Optional<byte[]> answer = bus.read(address, WAKE_RESPONSE.length);
        if (answer.isEmpty()) {
            throw new Atecc608Failure.WakeFailed(address, "no acknowledge (no chip at this address, or the bus runs faster"
                    + " than 100 kHz, which makes the wake token shorter than t_WLO = 60 µs)");
        }
        if (!Arrays.equals(answer.get(), WAKE_RESPONSE)) {
            throw new Atecc608Failure.WakeFailed(address, "0x" + HexFormat.of().formatHex(answer.get()));
        }
    }

    /**
     * Writes the command, then polls: the chip NACKs its address until execution is done ("I2C
     * Interface", polling), so read attempts are made every {@link #POLL_INTERVAL} until the
     * command's maximum execution time has passed. The count byte is read first, then the rest of
     * the packet, so a 4-byte status answer and a full result are both read exactly.
     */
    private byte[] execute(Command command) throws Atecc608Failure {
        Opcode op = command.opcode();
        if (!bus.write(address, command.i2cWrite())) {
            throw new Atecc608Failure.NoResponse(address, op + ": expected the command to be acknowledged, it was not (chip asleep or absent)", false);
        }
        Duration waited = Duration.ZERO;
        while (true) {
            pause.pause(POLL_INTERVAL);
            waited = waited.plus(POLL_INTERVAL);
            Optional<byte[]> first = bus.read(address, 1);
            if (first.isPresent()) {
                return check(command, first.get()[0] & 0xff);
            }
            if (waited.compareTo(op.maxExecutionTime()) > 0 || Thread.currentThread().isInterrupted()) {
                throw new Atecc608Failure.NoResponse(address, op + ": expected a response within " + op.maxExecutionTime().toMillis()
                        + " ms, got none after " + waited.toMillis() + " ms", true);
            }
        }
    }

    private byte[] check(Command command, int count) throws Atecc608Failure {
        Opcode op = command.opcode();
        int longest = Math.max(4, command.responseLength() + 3);
        if (count < 4 || count > longest) {
            throw new Atecc608Failure.CorruptResponse(address, op, "response count: expected 4.." + longest + ", got " + count);
        }
        Optional<byte[]> rest = bus.read(address, count - 1);
        if (rest.isEmpty()) {
            throw new Atecc608Failure.NoResponse(address, op + ": the chip stopped answering in the middle of a " + count + "-byte response", true);
        }
        byte[] packet = new byte[count];
        packet[0] = (byte) count;
        System.arraycopy(rest.get(), 0, packet, 1, count - 1);
        return switch (Response.parse(packet, command.responseLength())) {
            case Response.Data data -> data.bytes();
            case Response.Failed failed -> throw new Atecc608Failure.StatusError(address, op, failed.code(), failed.status(), failed.meaning());
            case Response.Corrupt corrupt -> throw new Atecc608Failure.CorruptResponse(address, op, corrupt.reason());
        };
    }
}
