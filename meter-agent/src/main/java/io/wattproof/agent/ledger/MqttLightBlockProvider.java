package io.wattproof.agent.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.agent.uplink.LedgerChannel;
import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.encoding.LightBlockCodec;
import io.wattproof.lightclient.provider.LightBlockProvider;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.ValidatorSet;
import io.wattproof.protocol.v1.LightBlockRequest;
import io.wattproof.protocol.v1.LightBlockResponse;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Light blocks from the ledger gateway over the agent's MQTT connection (docs/ledger.md): each
 * request is a {@code LightBlockRequest} (height 0 = the latest) with the device's response topic
 * and correlation data of its own; the answer with the same correlation data is the one awaited.
 * Answers with correlation data nobody waits for (late, duplicated, or someone else's) are dropped.
 * The gateway is not trusted: everything returned goes through the light client's verifier, and an
 * answer that is not a light block is a {@link ProviderException.BadResponse} naming the field.
 *
 * <p>Correlation data are 16 bytes: 8 random bytes drawn once per provider, so that answers meant
 * for an earlier run of the agent cannot match, then a counter.
 */
public final class MqttLightBlockProvider implements LightBlockProvider {
    private static final Logger log = LoggerFactory.getLogger(MqttLightBlockProvider.class);

    private final String id;
    private final LedgerChannel channel;
    private final Duration timeout;
    private final long prefix;
    private final AtomicLong counter = new AtomicLong();
    private final Map<Bytes, CompletableFuture<byte[]>> awaited = new ConcurrentHashMap<>();

    /**
     * @param id how logs and fork evidence name the gateway, e.g. the broker's URI
     * @param timeout how long to wait for each answer
     */
    public MqttLightBlockProvider(String id, LedgerChannel channel, Duration timeout) {
        this.id = Objects.requireNonNull(id, "id");
        this.channel = Objects.requireNonNull(channel, "channel");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: expected > 0, got " + timeout);
        }
        this.timeout = timeout;
        this.prefix = new SecureRandom().nextLong();
    }

    @Override
    public String id() {
        return id;
    }

    /**
     * An answer on the response topic; wakes the request it belongs to. Any thread; never throws.
     *
     * @return whether a request was waiting for it
     */
    public boolean answered(byte[] correlationData, byte[] payload) {
        CompletableFuture<byte[]> f = awaited.remove(Bytes.of(correlationData));
        if (f == null) {
            log.debug("light block answer nobody awaits provider={} correlation={}", id, Bytes.of(correlationData).hex());
            return false;
        }
        f.complete(payload.clone());
        return true;
    }

    @Override
    public LightBlock lightBlock(long height) throws ProviderException {
        if (height < 1) {
            throw new IllegalArgumentException("height: expected ≥ 1, got " + height);
        }
        return fetch(height);
    }

    @Override
    public LightBlock latest() throws ProviderException {
        return fetch(0);
    }

    private LightBlock fetch(long height) throws ProviderException {
        String what = height == 0 ? "the latest light block" : "the light block at height " + height;
        byte[] payload = ask(height, what);
        LightBlockResponse response;
        try {
            response = LightBlockResponse.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new ProviderException.BadResponse(id, "answer for " + what + ": expected a wattproof.v1.LightBlockResponse, got "
                    + payload.length + " unparseable bytes (" + e.getMessage() + ")", e);
        }
        if (response.getLightBlock().isEmpty()) {
            if (!response.getError().isEmpty()) {
                throw new ProviderException.NotFound(id, height, response.getError()
                        + (response.getLatestHeight() > 0 ? " (latest height " + response.getLatestHeight() + ")" : ""));
            }
            throw new ProviderException.BadResponse(id, "answer for " + what + ": light_block: expected a block or an error, got neither",
                    null);
        }
        LightBlock block;
        try {
            block = LightBlockCodec.decode(response.getLightBlock().toByteArray());
        } catch (MalformedInputException | RuntimeException e) {
            throw new ProviderException.BadResponse(id, "answer for " + what + ": light_block: " + e.getMessage(), e);
        }
        if (!response.getNextValidatorSet().isEmpty()) {
            ValidatorSet next;
            try {
                next = LightBlockCodec.decodeValidatorSet(response.getNextValidatorSet().toByteArray());
            } catch (MalformedInputException | RuntimeException e) {
                throw new ProviderException.BadResponse(id, "answer for " + what + ": next_validator_set: " + e.getMessage(), e);
            }
            block = block.withNextValidators(next);
        }
        if (height != 0 && block.height() != height) {
            throw new ProviderException.BadResponse(id, "answer for " + what + ": light_block.signed_header.header.height: expected "
                    + height + ", got " + block.height(), null);
        }
        return block;
    }

    private byte[] ask(long height, String what) throws ProviderException {
        byte[] correlation = ByteBuffer.allocate(16).putLong(prefix).putLong(counter.incrementAndGet()).array();
        Bytes key = Bytes.of(correlation);
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        awaited.put(key, answer);
        try {
            if (!channel.requestLightBlock(LightBlockRequest.newBuilder().setHeight(height).build().toByteArray(), correlation)) {
                throw new ProviderException.Unavailable(id, "cannot ask for " + what + ": not connected to the broker", null);
            }
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ProviderException.Unavailable(id, "no answer for " + what + " within " + timeout.toMillis() + " ms", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException.Unavailable(id, "interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new ProviderException.Unavailable(id, "waiting for " + what + " failed: " + e.getCause(), e.getCause());
        } finally {
            awaited.remove(key);
        }
    }
}
