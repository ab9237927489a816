package io.wattproof.agent.driver;

import io.wattproof.protocol.v1.Receipt;
import io.wattproof.protocol.v1.TxResultCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A test double of the gateway's car-owner topics: takes a transaction on {@code
 * wattproof/v1/drivers/<D>/tx} and answers a {@code Receipt} on {@code …/drivers/<D>/receipts} as
 * {@link #mode} says, without any ledger behind it. An accepted booking is handed to {@code
 * onAccepted} (the real gateway publishes it to the pile on {@code devices/<P>/bookings}).
 */
public final class GatewayDouble implements AutoCloseable {
    public enum Mode {
        /** Included at the next height with RESULT_OK. */
        ACCEPT,
        /** Refused by CheckTx with RESULT_INVALID (height 0). */
        REFUSE,
        /** First a receipt that does not parse, then the accepting one. */
        GARBAGE_THEN_ACCEPT,
        /** The first submission gets no answer (a lost message); the repeat is accepted. */
        SILENT_ONCE,
    }

    public static final String REFUSAL_LOG = "booking deposit: expected at most the balance of the account (0), got 3000000";

    private final MqttTestClient client;
    private final Consumer<byte[]> onAccepted;
    private final AtomicInteger height = new AtomicInteger(10);
    public final List<byte[]> received = new CopyOnWriteArrayList<>();
    public volatile Mode mode = Mode.ACCEPT;

    public GatewayDouble(String uri, Consumer<byte[]> onAccepted) throws Exception {
        this.onAccepted = onAccepted;
        this.client = new MqttTestClient(uri, "gateway-double", this::arrived);
        client.subscribe("wattproof/v1/drivers/+/tx", 1);
    }

    private void arrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
        byte[] tx = message.getPayload();
        received.add(tx);
        String receipts = topic.substring(0, topic.length() - "/tx".length()) + "/receipts";
        Receipt r;
        switch (mode) {
            case REFUSE -> r = Receipts.refusedBeforeBlock(tx, TxResultCode.RESULT_INVALID, REFUSAL_LOG);
            case SILENT_ONCE -> {
                if (received.size() == 1) {
                    return;
                }
                r = Receipts.included(tx, height.incrementAndGet(), TxResultCode.RESULT_OK, "");
            }
            case GARBAGE_THEN_ACCEPT -> {
                client.publish(receipts, new byte[] {(byte) 0xff, 0x00, 0x13}, 1, false);
                r = Receipts.included(tx, height.incrementAndGet(), TxResultCode.RESULT_OK, "");
            }
            default -> r = Receipts.included(tx, height.incrementAndGet(), TxResultCode.RESULT_OK, "");
        }
        if (r.getCode() == 0) {
            onAccepted.accept(tx);
        }
        client.publish(receipts, r.toByteArray(), 1, false);
    }

    @Override
    public void close() {
        client.close();
    }
}
