package io.wattproof.simulator.ledger.gateway;

import io.wattproof.agent.uplink.NoDelaySocketFactory;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.protocol.v1.LightBlockResponse;
import io.wattproof.protocol.v1.Receipt;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.LedgerException;
import io.wattproof.simulator.ledger.LedgerNode;
import io.wattproof.simulator.ledger.TxResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway between MQTT and a {@link LedgerNode} (docs/ledger.md, "Gateway"). It subscribes
 * through MQTT 5 shared subscriptions, so gateways of one group split the fleet; submits every
 * transaction to the node ({@code broadcast_tx_sync}); answers refusals at once and accepted
 * transactions when their block is committed, with the inclusion proof; publishes each committed
 * block as the retained latest light block; sends the receipt of every committed booking to the
 * {@code bookings} topic of the pile whose offer it books, once the next block proves its result;
 * and answers light-block requests on the response topic the request names, if that lies in the
 * requester's own subtree.
 *
 * <p>Threads: Paho's callback thread only queues (so PUBACKs are not held up by the node), the
 * node's commit thread only queues, and one worker thread does everything else in arrival order.
 * That order is what makes receipts complete: a transaction's hash is remembered by the task that
 * submitted it, before the task for the block that commits it can run.
 *
 * <p>The session starts clean and is not kept: while a gateway is away, the broker hands the shared
 * subscriptions' messages to the other gateways of the group (MQTT 5 section 4.8.2), and a device
 * re-submits whatever it got no receipt for.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final long CONNECT_TIMEOUT_MILLIS = 30_000;
    /** How long a publish waits for a free slot in the broker's Receive Maximum before it gives up. */
    private static final long PUBLISH_WAIT_MILLIS = 10_000;
    private static final int RESULT_ALREADY_INCLUDED = io.wattproof.protocol.v1.TxResultCode.RESULT_ALREADY_INCLUDED_VALUE;
    private static final int OFFER_CACHE = 10_000;

    /** A booking's receipt and the pile's bookings topic it goes to. */
    private record BookingReceipt(String topic, IncludedTx tx) {}

    private final GatewayConfig config;
    private final LedgerNode node;
    /** Volatile: a fault scenario or the dashboard switches it while the gateway runs (docs/faults.md). */
    private volatile ByzantinePolicy policy;
    private final MqttAsyncClient client;
    private final MqttSubscription[] subscriptions;
    private final ExecutorService worker;
    private final PendingReceipts pending;
    private final Object slotFreed = new Object();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();

    private final AtomicLong txsSubmitted = new AtomicLong();
    private final Map<Integer, AtomicLong> refusedByCode = new ConcurrentHashMap<>();
    private final AtomicLong submitFailures = new AtomicLong();
    private final AtomicLong receiptsPublished = new AtomicLong();
    private final AtomicLong requestsAnswered = new AtomicLong();
    private final AtomicLong requestsIgnored = new AtomicLong();
    private final AtomicLong forgedHeadersServed = new AtomicLong();
    private final AtomicLong badProofsServed = new AtomicLong();
    private final AtomicLong receiptsWithheld = new AtomicLong();
    private final ServedForgeries served = new ServedForgeries();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong bookingsPublished = new AtomicLong();

    // Worker-thread state of the bookings topic (docs/charging.md, "How the pile learns of a booking").
    /** Receipts of bookings of block h, published once block h + 1 (whose header proves their results) is committed. */
    private final List<BookingReceipt> bookingsAwaitingNextBlock = new java.util.ArrayList<>();
    /** Offer tx hash to pile id (hex), as looked up on the ledger; offers never change, so any entry stays true. */
    private final Map<Bytes, String> offerPiles = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes, String> eldest) {
            return size() > OFFER_CACHE;
        }
    };

    private volatile AutoCloseable commitSubscription;
    private volatile boolean closed;

    private Gateway(GatewayConfig config, LedgerNode node) throws MqttException {
        this.config = config;
        this.node = node;
        this.policy = config.byzantine();
        this.pending = new PendingReceipts(config.pendingLimit());
        this.client = new MqttAsyncClient(config.serverUri(), config.clientId(), new MemoryPersistence());
        this.subscriptions = Topics.sharedFilters(config.topicPrefix(), config.shareGroup()).stream()
                .map(f -> new MqttSubscription(f, 1))
                .toArray(MqttSubscription[]::new);
        this.worker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("gateway-" + config.clientId()).daemon().unstarted(r));
    }

    /**
     * Connects, follows the node's commits, subscribes and publishes the node's latest block as the
     * retained latest.
     *
     * @throws MqttException if the broker cannot be reached or refuses a subscription (for example a
     *     broker without shared subscriptions: SUBACK 0x9E)
     * @throws LedgerException if the node refuses the commit subscription
     */
    public static Gateway start(GatewayConfig config, LedgerNode node) throws MqttException, LedgerException {
        Gateway g = new Gateway(config, node);
        try {
            // Commits first: a transaction accepted right after the subscription below must not
            // have its block go by unseen.
            g.commitSubscription = node.onCommit(g::queueBlock);
            g.connect();
            g.queue(g::publishCurrentLatest);
        } catch (MqttException | LedgerException | RuntimeException e) {
            g.close();
            throw e;
        }
        log.info("gateway started client_id={} share_group={} prefix={} policy={}", config.clientId(), config.shareGroup(),
                config.topicPrefix(), config.byzantine());
        return g;
    }

    private void connect() throws MqttException {
        client.setCallback(new Callback());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 10);
        if (config.serverUri().startsWith("tcp://")) {
            // docs/broker.md: without TCP_NODELAY a connection carrying PUBLISH and PUBACK both ways stalls ~40 ms a time.
            options.setSocketFactory(new NoDelaySocketFactory());
        }
        client.connect(options).waitForCompletion(CONNECT_TIMEOUT_MILLIS);
        subscribe(true);
    }

    private void subscribe(boolean wait) throws MqttException {
        IMqttToken token = client.subscribe(subscriptions);
        if (!wait) {
            return;
        }
        token.waitForCompletion(CONNECT_TIMEOUT_MILLIS);
        int[] codes = token.getReasonCodes();
        for (int i = 0; codes != null && i < codes.length; i++) {
            // MQTT 5 section 3.9.3: reason codes of 0x80 and above refuse the subscription.
            if (codes[i] >= 0x80) {
                throw new MqttException(codes[i]);
            }
        }
    }

    // ---------------------------------------------------------------- queueing (any thread)

    private void queue(Runnable task) {
        queued.incrementAndGet();
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("gateway task failed error={}", e.toString(), e);
                } finally {
                    finished.incrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            finished.incrementAndGet(); // closing
        }
    }

    private void queueBlock(CommittedBlock block) {
        queue(() -> onBlock(block));
    }

    /** Waits until everything received so far has been handled (handed to the client to publish). */
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (finished.get() < queued.get()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    // ---------------------------------------------------------------- the worker

    private void onTx(Topics.Source source, byte[] tx) {
        Bytes hash = TxInclusion.txHash(Bytes.of(tx));
        txsSubmitted.incrementAndGet();
        TxResult result;
        try {
            result = node.submit(tx);
        } catch (LedgerException e) {
            // No receipt: the device re-submits after its timeout, when the node may be back.
            submitFailures.incrementAndGet();
            log.warn("tx not submitted from={} tx_hash={} error={}", source.id(), hash.hex(), e.getMessage());
            return;
        }
        if (result.isOk()) {
            pending.remember(hash, source);
            log.debug("tx in mempool from={} tx_hash={}", source.id(), hash.hex());
            return;
        }
        refusedByCode.computeIfAbsent(result.code(), c -> new AtomicLong()).incrementAndGet();
        if (result.code() == RESULT_ALREADY_INCLUDED) {
            Optional<IncludedTx> included;
            try {
                included = node.findTx(hash.toArray());
            } catch (LedgerException e) {
                submitFailures.incrementAndGet();
                log.warn("included tx not found from={} tx_hash={} error={}", source.id(), hash.hex(), e.getMessage());
                return;
            }
            if (included.isPresent()) {
                // docs/ledger.md: a duplicate is answered with the receipt of the block that holds it.
                log.debug("tx already included from={} tx_hash={} height={}", source.id(), hash.hex(), included.get().height());
                sendReceipt(source, included.get(), List.of());
                return;
            }
            log.warn("node says already included but finds no such tx from={} tx_hash={}", source.id(), hash.hex());
        } else {
            log.info("tx refused from={} tx_hash={} code={} log={}", source.id(), hash.hex(), result.code(), result.log());
        }
        if (publish(Topics.receipts(config.topicPrefix(), source), WireMessages.refused(hash.toArray(), result).toByteArray(), false, null)) {
            receiptsPublished.incrementAndGet();
        }
    }

    private void onBlock(CommittedBlock block) {
        publishLatest(block.height());
        List<TxProof> proofs = policy.isHonest() ? List.of() : block.txs().stream().map(IncludedTx::proof).toList();
        for (IncludedTx tx : block.txs()) {
            pending.take(Bytes.of(tx.hash())).ifPresent(submitter -> sendReceipt(submitter, tx, proofs));
        }
        publishBookings(block);
    }

    /**
     * The bookings of the blocks before this one go to their piles now that this block's header,
     * whose {@code last_results_hash} proves their results, is committed (docs/charging.md, "Topics");
     * the bookings of this block wait for the next. Accepted and refused bookings alike: the pile
     * tells them apart by the result proof. Always honest, whatever the policy: a booking receipt
     * is sent once and never asked for again, so a lie would lose the booking rather than test the
     * pile.
     */
    private void publishBookings(CommittedBlock block) {
        for (BookingReceipt b : bookingsAwaitingNextBlock) {
            if (publish(b.topic(), WireMessages.receipt(b.tx()).toByteArray(), false, null)) {
                bookingsPublished.incrementAndGet();
                log.debug("booking published topic={} tx_hash={} height={} code={}", b.topic(), Bytes.of(b.tx().hash()).hex(),
                        b.tx().height(), b.tx().result().code());
            }
        }
        bookingsAwaitingNextBlock.clear();
        for (IncludedTx tx : block.txs()) {
            Optional<Bytes> offer = WireMessages.bookedOffer(tx.tx());
            if (offer.isEmpty()) {
                continue;
            }
            Optional<String> pile = pileOf(offer.get());
            if (pile.isEmpty()) {
                log.info("booking of an offer not on the ledger tx_hash={} height={} offer={}", Bytes.of(tx.hash()).hex(), tx.height(),
                        offer.get().hex());
                continue;
            }
            bookingsAwaitingNextBlock.add(new BookingReceipt(Topics.bookings(config.topicPrefix(), pile.get()), tx));
        }
    }

    /** The pile of an offer, looked up on the ledger ({@code /tx}); empty when no offer transaction has that hash. */
    private Optional<String> pileOf(Bytes offerHash) {
        String cached = offerPiles.get(offerHash);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<IncludedTx> offer;
        try {
            offer = node.findTx(offerHash.toArray());
        } catch (LedgerException e) {
            publishFailures.incrementAndGet();
            log.warn("offer of a booking not found offer={} error={}; the pile does not hear of the booking", offerHash.hex(),
                    e.getMessage());
            return Optional.empty();
        }
        Optional<String> pile = offer.flatMap(o -> WireMessages.offeringPile(o.tx()));
        pile.ifPresent(p -> offerPiles.put(offerHash, p));
        return pile;
    }

    private void sendReceipt(Topics.Source submitter, IncludedTx tx, List<TxProof> sameBlock) {
        String topic = Topics.receipts(config.topicPrefix(), submitter);
        Receipt receipt = WireMessages.receipt(tx);
        boolean badProof = false;
        switch (policy.receiptAnswer(tx.proof(), sameBlock, tx.result().code())) {
            case ByzantinePolicy.ReceiptAnswer.Honest h -> { }
            case ByzantinePolicy.ReceiptAnswer.Withhold w -> {
                receiptsWithheld.incrementAndGet();
                log.info("byzantine: receipt withheld topic={} tx_hash={} height={}", topic, Bytes.of(tx.hash()).hex(), tx.height());
                return;
            }
            case ByzantinePolicy.ReceiptAnswer.BadProof b -> {
                receipt = receipt.toBuilder().setProof(WireMessages.toWire(b.proof())).build();
                badProof = true;
                log.info("byzantine: bad proof served topic={} tx_hash={} height={} lie={}", topic, Bytes.of(tx.hash()).hex(),
                        tx.height(), b.lie());
            }
            case ByzantinePolicy.ReceiptAnswer.WrongResult w -> {
                // Counted with the bad proofs: the result proof no longer backs the receipt's code.
                receipt = receipt.toBuilder().setCode(w.code()).build();
                badProof = true;
                log.info("byzantine: wrong result served topic={} tx_hash={} height={} code={} proven_code={}", topic,
                        Bytes.of(tx.hash()).hex(), tx.height(), w.code(), tx.result().code());
            }
        }
        if (publish(topic, receipt.toByteArray(), false, null)) {
            receiptsPublished.incrementAndGet();
            if (badProof) {
                badProofsServed.incrementAndGet();
                served.add(submitter.id());
            }
        }
    }

    private void publishCurrentLatest() {
        try {
            long latest = node.latestHeight();
            if (latest >= 1) {
                publishLatest(latest);
            }
        } catch (LedgerException e) {
            log.warn("latest height unavailable error={}", e.getMessage());
        }
    }

    /** The retained latest block is never forged: a lie there would reach every device at once. */
    private void publishLatest(long height) {
        if (!client.isConnected()) {
            // A block committed while the gateway connects (or reconnects): the block after it, or
            // publishCurrentLatest once connected, is retained instead. Nothing is owed to anyone.
            return;
        }
        Optional<LightBlock> block;
        long latest;
        try {
            block = node.lightBlock(height);
            latest = node.latestHeight();
        } catch (LedgerException e) {
            log.warn("light block unavailable height={} error={}", height, e.getMessage());
            return;
        }
        if (block.isEmpty()) {
            log.warn("node has no light block at a committed height height={}", height);
            return;
        }
        publish(Topics.latest(config.topicPrefix()), WireMessages.lightBlock(block.get(), Math.max(latest, height)).toByteArray(),
                true, null);
    }

    private void onRequest(Topics.Source source, byte[] payload, String responseTopic, byte[] correlationData) {
        Optional<String> problem = Topics.responseTopicProblem(config.topicPrefix(), source.role(), source.id(), responseTopic);
        if (problem.isPresent()) {
            requestsIgnored.incrementAndGet();
            log.warn("light block request ignored from={} reason={}", source.id(), problem.get());
            return;
        }
        LightBlockResponse response = answer(source, payload);
        if (publish(responseTopic, response.toByteArray(), false, correlationData)) {
            requestsAnswered.incrementAndGet();
        }
    }

    private LightBlockResponse answer(Topics.Source source, byte[] payload) {
        long latest;
        try {
            latest = node.latestHeight();
        } catch (LedgerException e) {
            return WireMessages.error("ledger unavailable: " + e.getMessage(), 0);
        }
        long height;
        switch (WireMessages.parseRequest(payload)) {
            case WireMessages.ParsedRequest.Malformed m -> {
                log.info("malformed light block request from={} reason={}", source.id(), m.reason());
                return WireMessages.error(m.reason(), latest);
            }
            case WireMessages.ParsedRequest.Height h -> height = h.height() == 0 ? latest : h.height();
        }
        if (height == 0) {
            return WireMessages.error("the ledger has no block yet", latest);
        }
        if (height > latest) {
            return WireMessages.error("height " + height + " is above the latest height " + latest, latest);
        }
        Optional<LightBlock> block;
        try {
            block = node.lightBlock(height);
        } catch (LedgerException e) {
            return WireMessages.error("ledger unavailable: " + e.getMessage(), latest);
        }
        if (block.isEmpty()) {
            return WireMessages.error("no light block at height " + height, latest);
        }
        Optional<LightBlock> forged = policy.lightBlockAnswer(block.get());
        if (forged.isPresent()) {
            forgedHeadersServed.incrementAndGet();
            served.add(source.id());
            log.info("byzantine: forged header served to={} height={}", source.id(), height);
            return WireMessages.lightBlock(forged.get(), latest);
        }
        return WireMessages.lightBlock(block.get(), latest);
    }

    /**
     * QoS 1, without blocking on the PUBACK. Paho v5 throws rather than waits when the broker's
     * Receive Maximum (MQTT 5 sections 3.2.2.3.3 and 4.9) is used up, so wait for a delivery to free a slot.
     */
    private boolean publish(String topic, byte[] payload, boolean retained, byte[] correlationData) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PUBLISH_WAIT_MILLIS);
        while (true) {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(1);
            m.setRetained(retained);
            if (correlationData != null) {
                MqttProperties p = new MqttProperties();
                // MQTT 5 sections 3.3.2.3.6 and 4.10: the responder sends the request's correlation data back unchanged.
                p.setCorrelationData(correlationData);
                m.setProperties(p);
            }
            try {
                client.publish(topic, m);
                return true;
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT && !closed && System.nanoTime() < deadline) {
                    synchronized (slotFreed) {
                        try {
                            slotFreed.wait(10);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    }
                    continue;
                }
                publishFailures.incrementAndGet();
                log.warn("publish failed topic={} error={}", topic, e.getMessage());
                return false;
            } catch (IllegalArgumentException e) {
                publishFailures.incrementAndGet();
                log.warn("publish refused by the client topic={} error={}", topic, e.getMessage());
                return false;
            }
        }
    }

    // ---------------------------------------------------------------- counters

    public long txsSubmitted() {
        return txsSubmitted.get();
    }

    /** CheckTx codes other than 0 and how often each came back. */
    public Map<Integer, Long> refusedByCode() {
        Map<Integer, Long> out = new TreeMap<>();
        refusedByCode.forEach((code, n) -> out.put(code, n.get()));
        return out;
    }

    public long receiptsPublished() {
        return receiptsPublished.get();
    }

    public long requestsAnswered() {
        return requestsAnswered.get();
    }

    public long requestsIgnored() {
        return requestsIgnored.get();
    }

    public long forgedHeadersServed() {
        return forgedHeadersServed.get();
    }

    public long badProofsServed() {
        return badProofsServed.get();
    }

    public long receiptsWithheld() {
        return receiptsWithheld.get();
    }

    /**
     * Every forged header and bad receipt handed to the broker, to whom and when: a lie published
     * to a device that is cut off or powered down is never delivered, so a check that every lie was
     * detected must know where each went (docs/faults.md, "every_forgery_detected").
     */
    public List<ServedForgeries.Served> forgeriesServed() {
        return served.list();
    }

    /** Booking receipts handed to the broker on piles' {@code bookings} topics. */
    public long bookingsPublished() {
        return bookingsPublished.get();
    }

    /** From the next answer on, lies as {@code value} says ({@link ByzantinePolicy#honest()}: never). */
    public void setByzantine(ByzantinePolicy value) {
        policy = java.util.Objects.requireNonNull(value, "policy");
        log.info("gateway policy now {}", value);
    }

    public GatewayCounters counters() {
        return new GatewayCounters(txsSubmitted.get(), refusedByCode(), submitFailures.get(), receiptsPublished.get(),
                requestsAnswered.get(), requestsIgnored.get(), forgedHeadersServed.get(), badProofsServed.get(),
                receiptsWithheld.get(), pending.forgotten(), publishFailures.get());
    }

    public GatewayConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- Paho

    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            Optional<Topics.Source> source = Topics.parse(config.topicPrefix(), topic);
            if (source.isEmpty()) {
                log.debug("message on an unexpected topic dropped topic={}", topic);
                return;
            }
            Topics.Source s = source.get();
            byte[] payload = message.getPayload();
            switch (s.kind()) {
                case TX -> queue(() -> onTx(s, payload));
                case LEDGER_REQUEST -> {
                    MqttProperties p = message.getProperties();
                    String responseTopic = p == null ? null : p.getResponseTopic();
                    byte[] correlation = p == null ? null : p.getCorrelationData();
                    queue(() -> onRequest(s, payload, responseTopic, correlation));
                }
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            synchronized (slotFreed) {
                slotFreed.notifyAll();
            }
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (reconnect) {
                // A clean start forgets the subscriptions; Paho's callback thread must not block on the SUBACK.
                try {
                    subscribe(false);
                } catch (MqttException e) {
                    log.error("gateway could not subscribe again error={}", e.getMessage());
                }
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (!closed) {
                log.warn("gateway disconnected reason={}", response.getReasonString());
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            log.warn("gateway mqtt error={}", exception.getMessage());
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }

    /** Stops following the node, finishes queued work (a few seconds at most) and disconnects; the node stays open. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        AutoCloseable subscription = commitSubscription;
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.debug("commit subscription close error={}", e.toString());
            }
        }
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        worker.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            log.debug("gateway disconnect error={}", e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            log.debug("gateway close error={}", e.getMessage());
        }
    }
}
