package io.wattproof.agent.driver;

import io.wattproof.agent.charging.ChargingTransactions;
import io.wattproof.agent.uplink.PahoSession;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.seal.RecipientPublicKey;
import io.wattproof.crypto.seal.Suite;
import io.wattproof.protocol.v1.TxResultCode;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The car owner's client over MQTT 5 (Eclipse Paho): books a pile's offer through the gateway and
 * asks the pile to start and stop (docs/charging.md "Car owner's side"). One connection, clean
 * start, subscriptions made again after every reconnect; the receipts topic is subscribed from the
 * start, so no receipt of a booking can arrive before the subscription.
 *
 * <p>Everything from the broker is untrusted: receipts, pile info and events are parsed into
 * values, and one that does not parse is logged and waited past, never thrown. Blocking calls;
 * the simulator's virtual cars call them from their own threads.
 */
public final class CarOwner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CarOwner.class);

    /**
     * @param clientId the MQTT client id; unique per connection (the broker drops an older
     *     connection with the same id, MQTT 5 section 3.1.4)
     * @param resend how long to wait for an answer before sending a booking or request again
     * @param attempts how many times a start or stop request is sent before giving up
     * @param tls for an {@code ssl://} broker: the car owner's TLS; empty: the JVM's trust store,
     *     no client certificate
     */
    public record Settings(String brokerUri, String chainId, String clientId, Duration resend, int attempts,
                           Duration connectTimeout, Optional<SSLSocketFactory> tls) {
        public Settings {
            Objects.requireNonNull(brokerUri, "broker uri");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(chainId, "chain id");
            Objects.requireNonNull(clientId, "client id");
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts: expected ≥ 1, got " + attempts);
            }
        }

        /** Resend every 5 s, 3 attempts, connect within 10 s; client id {@code driver-<D>-<random>}. */
        public static Settings of(String brokerUri, String chainId, DeviceId driver) {
            byte[] suffix = new byte[3];
            new SecureRandom().nextBytes(suffix);
            return new Settings(brokerUri, chainId, "driver-" + driver.hex() + "-" + HexFormat.of().formatHex(suffix),
                    Duration.ofSeconds(5), 3, Duration.ofSeconds(10), Optional.empty());
        }

        public Settings withResend(Duration resend, int attempts) {
            return new Settings(brokerUri, chainId, clientId, resend, attempts, connectTimeout, tls);
        }

        /** For an {@code ssl://} broker: the car owner's TLS (its authorities, its certificate). */
        public Settings withTls(SSLSocketFactory factory) {
            return new Settings(brokerUri, chainId, clientId, resend, attempts, connectTimeout, Optional.of(factory));
        }
    }

    /** A broker that cannot be reached, or refuses a subscription or a publish. */
    public static final class ConnectionException extends Exception {
        public ConnectionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The outcome of {@link #book}. */
    public sealed interface BookingResult {
        /** Accepted in block {@code height}; {@code tx} the booking as submitted. */
        record Booked(byte[] bookingTxHash, long height, long nonce, byte[] tx) implements BookingResult {
            public String bookingHex() {
                return HexFormat.of().formatHex(bookingTxHash);
            }
        }

        /** Refused by the ledger (result code ≠ OK), with its log naming field, expected and actual. */
        record Refused(int code, String codeName, String log, long height, long nonce) implements BookingResult {}

        /** No receipt in time (the last malformed receipt seen, if any, in {@code detail}). */
        record TimedOut(byte[] bookingTxHash, Duration waited, String detail) implements BookingResult {}
    }

    /** The outcome of {@link #start} and {@link #stop}. */
    public sealed interface RequestResult {
        /** The event the request was waiting for: {@code Started} or {@code Closed}. */
        record Answered(SessionMessage event, int attempts) implements RequestResult {}

        /** The pile refused; {@code reason} as the pile gave it. */
        record Refused(String reason, int attempts) implements RequestResult {}

        /** No answer after every attempt. */
        record TimedOut(int attempts, String detail) implements RequestResult {}
    }

    private final Settings settings;
    private final DeviceKey key;
    private final RecipientKeyPair sealKey;
    private final BookingNonces nonces;
    private final Clock clock;
    private final SecureRandom random;
    private final DeviceId driver;
    private final PahoSession session;
    /** Exact topic → handlers; the session's one callback routes every message here. */
    private final Map<String, List<Consumer<MqttMessage>>> routes = new ConcurrentHashMap<>();
    private final Object bookingLock = new Object();

    public CarOwner(Settings settings, DeviceKey key, RecipientKeyPair sealKey, BookingNonces nonces, Clock clock, SecureRandom random)
            throws ConnectionException {
        this.settings = settings;
        this.key = key;
        this.sealKey = sealKey;
        this.nonces = nonces;
        this.clock = clock;
        this.random = random;
        this.driver = key.deviceId();
        try {
            this.session = PahoSession.connect(settings.brokerUri(), settings.clientId(), settings.connectTimeout(), settings.tls(), "car owner",
                    this::onMessage);
        } catch (PahoSession.Failure e) {
            throw new ConnectionException(e.getMessage(), e.getCause());
        }
        try {
            subscribe(DriverTopics.receipts(driver), 1);
        } catch (ConnectionException e) {
            session.close();
            throw e;
        }
        log.info("car owner connected server={} driver={}", settings.brokerUri(), driver.hex());
    }

    /** The session's one callback: each message to the handlers of its exact topic. */
    private void onMessage(String topic, MqttMessage message) {
        List<Consumer<MqttMessage>> handlers = routes.get(topic);
        if (handlers == null) {
            return;
        }
        for (Consumer<MqttMessage> h : handlers) {
            try {
                h.accept(message);
            } catch (RuntimeException e) {
                // One handler's failure must not keep the message from the others.
                log.warn("car owner message handler failed topic={} error={}", topic, e.toString());
            }
        }
    }

    public DeviceId driverId() {
        return driver;
    }

    /** The car owner's account on the ledger, {@code driver:<D>}, which an operator credits. */
    public String account() {
        return ChargingTransactions.driverAccount(driver);
    }

    public RecipientPublicKey sealPublicKey() {
        return sealKey.publicKey();
    }

    public long lastBookingNonce() {
        return nonces.lastAccepted();
    }

    /**
     * The pile's retained {@code charge/info} (docs/charging.md "Topics"): waits up to {@code
     * timeout} for it.
     *
     * @return the parsed info or why it does not parse
     * @throws TimeoutException if the pile has published none (no retained message)
     */
    public PileInfo.Parsed readPileInfo(DeviceId pile, Duration timeout) throws ConnectionException, TimeoutException,
            InterruptedException {
        String topic = DriverTopics.pileInfo(pile);
        CompletableFuture<byte[]> first = new CompletableFuture<>();
        Consumer<MqttMessage> h = m -> first.complete(m.getPayload());
        route(topic, h);
        try {
            subscribe(topic, 1);
            try {
                return PileInfo.parse(first.get(timeout.toMillis(), TimeUnit.MILLISECONDS), pile);
            } catch (TimeoutException e) {
                throw new TimeoutException(topic + ": expected the pile's retained charge/info, got nothing within "
                        + timeout.toSeconds() + " s (is the pile online, and the id right?)");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        } finally {
            unroute(topic, h);
            unsubscribe(topic);
        }
    }

    /**
     * Books an offer: signs a {@code Booking} with the next nonce, submits it on {@code
     * drivers/<D>/tx} and waits for its receipt on {@code drivers/<D>/receipts}; the same bytes
     * are sent again every {@link Settings#resend()} without one (the gateway answers a repeated
     * transaction with the receipt of the block holding it, docs/ledger.md "Gateway"). The nonce
     * counts as used only once the ledger accepted the booking.
     *
     * @param windowStart UTC epoch seconds, with {@code windowEnd} the booked window [start, end)
     * @param driverPseudonym 32 bytes, e.g. {@link DriverData#pseudonym()}
     */
    public BookingResult book(DeviceId pile, byte[] offerTxHash, long maxEnergyWh, long maxAmount, long windowStart, long windowEnd,
                              long deposit, byte[] driverPseudonym, Duration timeout)
            throws KeyStoreFailure, ConnectionException, InterruptedException, IOException {
        synchronized (bookingLock) {
            return book(pile, offerTxHash, maxEnergyWh, maxAmount, windowStart, windowEnd, deposit, driverPseudonym, timeout,
                    nonces.lastAccepted() + 1);
        }
    }

    /**
     * As above with a given nonce, for a counter out of step with the ledger (a booking accepted
     * while its receipt was lost); an accepted nonce moves the counter there.
     */
    public BookingResult book(DeviceId pile, byte[] offerTxHash, long maxEnergyWh, long maxAmount, long windowStart, long windowEnd,
                              long deposit, byte[] driverPseudonym, Duration timeout, long nonce)
            throws KeyStoreFailure, ConnectionException, InterruptedException, IOException {
        synchronized (bookingLock) {
            byte[] tx = ChargingTransactions.booking(settings.chainId(), key, nonce, offerTxHash, driverPseudonym, maxEnergyWh, maxAmount,
                    windowStart, windowEnd, deposit, sealKey.publicKey().encoded());
            byte[] hash = ChargingTransactions.txHash(tx);
            String hashHex = HexFormat.of().formatHex(hash);
            BlockingQueue<byte[]> receipts = new LinkedBlockingQueue<>();
            String topic = DriverTopics.receipts(driver);
            Consumer<MqttMessage> h = m -> receipts.add(m.getPayload());
            route(topic, h);
            String lastProblem = "";
            try {
                long deadline = System.nanoTime() + timeout.toNanos();
                log.info("booking submitted booking={} pile={} offer={} nonce={}", hashHex, pile.hex(),
                        HexFormat.of().formatHex(offerTxHash), nonce);
                while (true) {
                    publish(DriverTopics.tx(driver), tx, 1);
                    long resendAt = Math.min(deadline, System.nanoTime() + settings.resend().toNanos());
                    while (true) {
                        long left = resendAt - System.nanoTime();
                        byte[] payload = left > 0 ? receipts.poll(left, TimeUnit.NANOSECONDS) : null;
                        if (payload == null) {
                            break;
                        }
                        switch (BookingReceipt.match(payload, tx)) {
                            case BookingReceipt.Accepted a -> {
                                nonces.accepted(nonce);
                                log.info("booking accepted booking={} height={} nonce={}", hashHex, a.height(), nonce);
                                return new BookingResult.Booked(hash, a.height(), nonce, tx);
                            }
                            case BookingReceipt.Refused r -> {
                                log.warn("booking refused booking={} code={} height={} log=\"{}\"", hashHex, r.codeName(), r.height(), r.log());
                                return new BookingResult.Refused(r.code(), r.codeName(), r.log(), r.height(), nonce);
                            }
                            case BookingReceipt.NotOurs n -> log.debug("receipt of another tx={} ignored", n.txHashHex());
                            case BookingReceipt.Malformed m -> {
                                lastProblem = m.reason();
                                log.warn("receipt ignored booking={} reason=\"{}\"", hashHex, m.reason());
                            }
                        }
                    }
                    if (System.nanoTime() >= deadline) {
                        log.warn("booking without receipt booking={} waited_s={}", hashHex, timeout.toSeconds());
                        return new BookingResult.TimedOut(hash, timeout, lastProblem);
                    }
                    log.info("no receipt yet booking={}; sending it again", hashHex);
                }
            } finally {
                unroute(topic, h);
            }
        }
    }

    /**
     * Asks the pile to start the booked session: a {@code StartRequest} (new {@code requested_at}
     * each attempt) with {@code data} sealed to the pile's key, on {@code devices/<P>/charge/requests};
     * waits for {@code started} or {@code refused} on the session's events, sending again every
     * {@link Settings#resend()} up to {@link Settings#attempts()} times (a pile subscribed at QoS 0
     * may miss one).
     *
     * @param pileSealKey from the pile's {@code charge/info}; {@code suite} likewise
     * @param data null to send no personal data
     */
    public RequestResult start(DeviceId pile, byte[] bookingTxHash, RecipientPublicKey pileSealKey, Suite suite, DriverData data)
            throws ConnectionException, InterruptedException {
        return request(pile, bookingTxHash, "start", SessionMessage.Started.class, true, () -> DriverRequests.start(settings.chainId(), key,
                bookingTxHash, pile, clock.instant().getEpochSecond(), pileSealKey, suite, data, random));
    }

    /** Asks the pile to stop; waits for {@code closed} (or {@code refused}), as {@link #start}. */
    public RequestResult stop(DeviceId pile, byte[] bookingTxHash) throws ConnectionException, InterruptedException {
        return request(pile, bookingTxHash, "stop", SessionMessage.Closed.class, false, () -> DriverRequests.stop(settings.chainId(), key,
                bookingTxHash, pile, clock.instant().getEpochSecond()));
    }

    @FunctionalInterface
    private interface Signer {
        byte[] sign() throws KeyStoreFailure;
    }

    /**
     * @param liveMeansSuccess a live value on the session's topic answers too: the pile publishes
     *     them only while charging this booking, so one proves a start whose {@code started} event
     *     was lost (events are QoS 0 from the pile, docs/charging.md "Topics")
     */
    private RequestResult request(DeviceId pile, byte[] booking, String what, Class<? extends SessionMessage> success,
                                  boolean liveMeansSuccess, Signer signer) throws ConnectionException, InterruptedException {
        String events = DriverTopics.events(driver, booking);
        String live = DriverTopics.live(driver, booking);
        String bookingHex = HexFormat.of().formatHex(booking);
        BlockingQueue<SessionMessage> queue = new LinkedBlockingQueue<>();
        Consumer<MqttMessage> h = m -> queue.add(SessionMessage.parseEvent(m.getPayload()));
        Consumer<MqttMessage> onLive = m -> queue.add(SessionMessage.parseLive(m.getPayload()));
        route(events, h);
        if (liveMeansSuccess) {
            route(live, onLive);
        }
        try {
            // Subscribed (SUBACK) before the first request, so the answer cannot come first.
            subscribe(events, 1);
            if (liveMeansSuccess) {
                subscribe(live, 0);
            }
            SessionMessage.Refused refusal = null;
            String lastProblem = "";
            for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
                byte[] tx;
                try {
                    tx = signer.sign();
                } catch (KeyStoreFailure e) {
                    throw new ConnectionException("the car owner's key cannot sign: " + e.getMessage(), e);
                }
                publish(DriverTopics.pileRequests(pile), tx, 1);
                log.info("{} request sent booking={} pile={} attempt={}", what, bookingHex, pile.hex(), attempt);
                long until = System.nanoTime() + settings.resend().toNanos();
                while (true) {
                    long left = until - System.nanoTime();
                    SessionMessage m = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (m == null) {
                        break;
                    }
                    if (success.isInstance(m)) {
                        log.info("{} answered booking={} event={}", what, bookingHex, m);
                        return new RequestResult.Answered(m, attempt);
                    }
                    if (liveMeansSuccess && m instanceof SessionMessage.Live l) {
                        log.info("{} answered by a live value booking={} (the started event did not arrive)", what, bookingHex);
                        return new RequestResult.Answered(new SessionMessage.Started(l.time()), attempt);
                    }
                    switch (m) {
                        case SessionMessage.Refused r -> {
                            log.warn("{} refused by the pile booking={} reason=\"{}\"", what, bookingHex, r.reason());
                            if (attempt == 1) {
                                return new RequestResult.Refused(r.reason(), attempt);
                            }
                            // After a resend, a refusal may answer the copy of a request the pile
                            // already accepted; the success event may still come.
                            refusal = r;
                        }
                        case SessionMessage.Malformed bad -> {
                            lastProblem = bad.reason();
                            log.warn("event ignored booking={} reason=\"{}\"", bookingHex, bad.reason());
                        }
                        default -> log.debug("event while waiting for {} booking={}: {}", what, bookingHex, m);
                    }
                }
            }
            if (refusal != null) {
                return new RequestResult.Refused(refusal.reason(), settings.attempts());
            }
            log.warn("{} not answered booking={} attempts={}", what, bookingHex, settings.attempts());
            return new RequestResult.TimedOut(settings.attempts(), lastProblem);
        } finally {
            unroute(events, h);
            unsubscribe(events);
            if (liveMeansSuccess) {
                unroute(live, onLive);
                unsubscribe(live);
            }
        }
    }

    /** Stops a {@link #watch}. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Streams the session's live values and events to {@code listener} (on Paho's thread: return
     * quickly) until closed; malformed payloads arrive as {@link SessionMessage.Malformed}.
     */
    public Watch watch(byte[] bookingTxHash, Consumer<SessionMessage> listener) throws ConnectionException {
        String live = DriverTopics.live(driver, bookingTxHash);
        String events = DriverTopics.events(driver, bookingTxHash);
        Consumer<MqttMessage> onLive = m -> listener.accept(SessionMessage.parseLive(m.getPayload()));
        Consumer<MqttMessage> onEvent = m -> listener.accept(SessionMessage.parseEvent(m.getPayload()));
        route(live, onLive);
        route(events, onEvent);
        try {
            subscribe(live, 0);
            subscribe(events, 1);
        } catch (ConnectionException e) {
            unroute(live, onLive);
            unroute(events, onEvent);
            throw e;
        }
        return () -> {
            unroute(live, onLive);
            unroute(events, onEvent);
            unsubscribe(live);
            unsubscribe(events);
        };
    }

    private void route(String topic, Consumer<MqttMessage> handler) {
        routes.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(handler);
    }

    private void unroute(String topic, Consumer<MqttMessage> handler) {
        routes.computeIfPresent(topic, (t, hs) -> {
            hs.remove(handler);
            return hs.isEmpty() ? null : hs;
        });
    }

    /**
     * Subscribes and waits for the SUBACK (MQTT 5 section 3.9); a reason code ≥ 0x80 is a refusal
     * (e.g. the broker's ACL). The session's one callback routes what arrives.
     */
    private void subscribe(String topic, int qos) throws ConnectionException {
        try {
            session.subscribe(topic, qos, "does the broker's ACL give this car owner the topic?");
        } catch (PahoSession.Failure e) {
            throw new ConnectionException(e.getMessage(), e.getCause());
        }
    }

    private void unsubscribe(String topic) {
        if (topic.equals(DriverTopics.receipts(driver)) || routes.containsKey(topic)) {
            return;
        }
        session.unsubscribe(topic);
    }

    private void publish(String topic, byte[] payload, int qos) throws ConnectionException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        try {
            session.publish(topic, m);
        } catch (PahoSession.Failure e) {
            throw new ConnectionException(e.getMessage(), e.getCause());
        }
    }

    /** A hint for a refusal the car owner can act on, or empty. */
    public static String hint(int code) {
        if (code == TxResultCode.RESULT_BAD_NONCE_VALUE) {
            return "the ledger counts this key's bookings differently from the saved counter; give the next one with --nonce";
        }
        if (code == TxResultCode.RESULT_INVALID_VALUE) {
            return "the log names the field: window, limits, deposit or the account's balance";
        }
        return "";
    }

    @Override
    public void close() {
        session.close();
    }
}
