package io.wattproof.agent.driver;

import io.wattproof.agent.TestDeviceKey;
import io.wattproof.agent.charging.BookingCheck;
import io.wattproof.agent.charging.BookingVerdict;
import io.wattproof.agent.charging.ChargingCommand;
import io.wattproof.agent.charging.ChargingController;
import io.wattproof.agent.charging.ChargingTransactions;
import io.wattproof.agent.charging.MeterSample;
import io.wattproof.agent.charging.SessionSealer;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.OpenResult;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.seal.Sealing;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.StartRequest;
import io.wattproof.protocol.v1.StopRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of the pile's shell on the topics of docs/charging.md: publishes a retained {@code
 * charge/info} with one offer and its HPKE key, takes requests on {@code charge/requests} into
 * the pile's real {@link ChargingController} (bookings handed over by {@link GatewayDouble}, checked
 * by the real {@link BookingCheck}), and answers on the session's {@code events}: {@code started}
 * once the relay closed (with a first live value), {@code refused} with the controller's reason,
 * {@code closed} after a stop. The meter is two fixed samples.
 */
public final class PileDouble implements AutoCloseable {
    public static final String CHAIN = "wattproof-sim";
    public static final long PRICE = 300_000;
    public static final long START_WH = 1_000;
    public static final long END_WH = 1_250;

    final TestDeviceKey key = new TestDeviceKey();
    final RecipientKeyPair sealKey = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, new SecureRandom());
    final byte[] offerTx;
    private final PileOffer offer;
    private final ChargingController controller;
    private final MqttTestClient client;
    /** The contact of every start request, as the pile's key opened it. */
    public final List<String> openedContacts = new CopyOnWriteArrayList<>();
    /** Requests to drop before answering, as a pile subscribed at QoS 0 may miss one. */
    public final AtomicInteger ignoreNext = new AtomicInteger();
    public final AtomicInteger requests = new AtomicInteger();
    /** The pile's events are QoS 0: when set, the {@code started} event is lost and only the live value arrives. */
    public volatile boolean loseStartedEvent;

    public PileDouble(String uri) throws Exception {
        Instant now = Instant.now();
        offerTx = ChargingTransactions.offer(CHAIN, key, 1, new byte[32], PRICE, now.minusSeconds(3600).getEpochSecond(),
                now.plusSeconds(10 * 3600).getEpochSecond(), 11_000);
        offer = PileOffer.parseFrom(SignedTx.parseFrom(offerTx).getBody());
        controller = new ChargingController(ChargingController.Settings.defaults(key.deviceId(), CHAIN));
        client = new MqttTestClient(uri, "pile-double", this::arrived);
        client.subscribe(DriverTopics.pileRequests(key.deviceId()), 1);
        client.publish(DriverTopics.pileInfo(key.deviceId()), info().getBytes(StandardCharsets.UTF_8), 1, true);
    }

    public DeviceId id() {
        return key.deviceId();
    }

    public byte[] offerHash() {
        return ChargingTransactions.txHash(offerTx);
    }

    String info() {
        return "{\"pile\":\"" + id().hex() + "\",\"seal_key\":\"" + HexFormat.of().formatHex(sealKey.publicKey().encoded())
                + "\",\"suite\":\"X25519_AES_128_GCM\",\"offers\":[{\"tx_hash\":\"" + HexFormat.of().formatHex(offerHash())
                + "\",\"unit_price\":" + PRICE + ",\"window_start\":" + offer.getWindowStart() + ",\"window_end\":" + offer.getWindowEnd()
                + ",\"max_power_w\":11000}],\"state\":\"idle\"}";
    }

    /** A booking the gateway saw accepted: checked as the pile's ledger follower would after proving it. */
    public synchronized void booked(byte[] bookingTx) {
        BookingVerdict v = new BookingCheck(CHAIN, id()).check(bookingTx, Map.of(HexFormat.of().formatHex(offerHash()), offer));
        if (v instanceof BookingVerdict.Verified ok) {
            controller.onBooking(ok.booking());
        }
    }

    private synchronized void arrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
        requests.incrementAndGet();
        if (ignoreNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return;
        }
        byte[] bytes = message.getPayload();
        Instant now = Instant.now();
        SignedTx tx;
        byte[] booking;
        try {
            tx = SignedTx.parseFrom(bytes);
            booking = tx.getBodyType() == BodyType.START_REQUEST
                    ? StartRequest.parseFrom(tx.getBody()).getBookingTxHash().toByteArray()
                    : StopRequest.parseFrom(tx.getBody()).getBookingTxHash().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return;
        }
        String events = DriverTopics.events(DeviceId.fromPublicKeyInfo(tx.getPublicKey().toByteArray()), booking);
        String live = DriverTopics.live(DeviceId.fromPublicKeyInfo(tx.getPublicKey().toByteArray()), booking);
        if (tx.getBodyType() == BodyType.START_REQUEST) {
            List<ChargingCommand> out = controller.onStartRequest(bytes, now);
            if (out.getFirst() instanceof ChargingCommand.RejectRequest r) {
                event(events, now, "refused", r.reason(), null);
                return;
            }
            open(tx, booking);
            for (ChargingCommand c : controller.onSample(new MeterSample(START_WH, 11_000), now)) {
                if (c instanceof ChargingCommand.PublishLive l) {
                    if (!loseStartedEvent) {
                        event(events, now, "started", "", null);
                    }
                    client.publish(live, l.json().getBytes(StandardCharsets.UTF_8), 0, false);
                }
            }
        } else if (tx.getBodyType() == BodyType.STOP_REQUEST) {
            List<ChargingCommand> out = controller.onStopRequest(bytes, now);
            if (out.getFirst() instanceof ChargingCommand.RejectRequest r) {
                event(events, now, "refused", r.reason(), null);
                return;
            }
            for (ChargingCommand c : controller.onSample(new MeterSample(END_WH, 0), now)) {
                if (c instanceof ChargingCommand.SubmitSession s) {
                    long energy = s.session().energyWh();
                    event(events, now, "closed", "", new ClosedSessionFields(s.session().endReason().name(), energy, energy * PRICE / 1000));
                }
            }
        }
    }

    private void open(SignedTx tx, byte[] booking) {
        try {
            StartRequest r = StartRequest.parseFrom(tx.getBody());
            if (r.hasDriverData() && Sealing.open(SessionSealer.fromWire(r.getDriverData()), sealKey,
                    SessionSealer.driverDataContext(booking)) instanceof OpenResult.Opened o
                    && DriverData.decode(o.plaintext()) instanceof DriverData.Decoded.Ok ok) {
                openedContacts.add(ok.data().contact());
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            // not counted
        }
    }

    private void event(String topic, Instant now, String event, String reason, ClosedSessionFields closed) {
        com.fasterxml.jackson.databind.node.ObjectNode n = JsonFields.MAPPER.createObjectNode()
                .put("time", now.toString()).put("event", event).put("reason", reason);
        if (closed != null) {
            n.put("end_reason", closed.endReason()).put("energy_wh", closed.energyWh()).put("amount", closed.amount());
        }
        client.publish(topic, n.toString().getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private record ClosedSessionFields(String endReason, long energyWh, long amount) {}

    /** A payload that is not the contract's JSON, on a session's live topic. */
    public void publishGarbageLive(DeviceId driver, byte[] booking) {
        client.publish(DriverTopics.live(driver, booking), "{not json".getBytes(StandardCharsets.UTF_8), 0, false);
    }

    @Override
    public void close() {
        client.close();
    }
}
