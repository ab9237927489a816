package io.wattproof.agent.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.agent.uplink.LedgerChannel;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.encoding.LightBlockCodec;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.protocol.v1.LightBlockRequest;
import io.wattproof.protocol.v1.LightBlockResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The provider's side of request/response with a gateway that answers at once in the calling
 * thread: every malformed answer is a {@link ProviderException} naming the field, never a crash.
 */
class MqttLightBlockProviderTest {
    private final LedgerChain chain = new LedgerChain(3);

    MqttLightBlockProviderTest() {
        for (int i = 0; i < 3; i++) {
            chain.commit(List.of(new byte[] {(byte) i}));
        }
    }

    /** Answers each request with what {@code answer} makes of the requested height. */
    private static final class AnsweringChannel implements LedgerChannel {
        final List<Long> asked = new ArrayList<>();
        final Function<Long, byte[]> answer;
        MqttLightBlockProvider provider;
        boolean connected = true;

        AnsweringChannel(Function<Long, byte[]> answer) {
            this.answer = answer;
        }

        @Override
        public void ledger(Subscriber subscriber) {}

        @Override
        public boolean requestLightBlock(byte[] request, byte[] correlationData) {
            if (!connected) {
                return false;
            }
            long height;
            try {
                height = LightBlockRequest.parseFrom(request).getHeight();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            asked.add(height);
            byte[] a = answer.apply(height);
            if (a != null) {
                provider.answered(correlationData, a);
            }
            return true;
        }
    }

    private MqttLightBlockProvider provider(AnsweringChannel channel, Duration timeout) {
        channel.provider = new MqttLightBlockProvider("gateway", channel, timeout);
        return channel.provider;
    }

    private byte[] honest(long height) {
        long h = height == 0 ? chain.height() : height;
        if (h > chain.height()) {
            return LightBlockResponse.newBuilder().setError("height " + h + " is above the latest height " + chain.height())
                    .setLatestHeight(chain.height()).build().toByteArray();
        }
        LightBlock b = chain.block(h);
        return LightBlockResponse.newBuilder().setLightBlock(ByteString.copyFrom(LightBlockCodec.encode(b)))
                .setNextValidatorSet(ByteString.copyFrom(LightBlockCodec.encodeValidatorSet(b.nextValidators().orElseThrow())))
                .setLatestHeight(chain.height()).build().toByteArray();
    }

    @Test
    void fetchesABlockWithItsNextSetAndTheLatestWithHeightZero() throws Exception {
        AnsweringChannel channel = new AnsweringChannel(this::honest);
        MqttLightBlockProvider p = provider(channel, Duration.ofSeconds(5));
        LightBlock two = p.lightBlock(2);
        assertEquals(Hashes.header(chain.block(2).header()), Hashes.header(two.header()));
        assertTrue(two.nextValidators().isPresent());
        assertEquals(3, p.latest().height());
        assertEquals(List.of(2L, 0L), channel.asked);
    }

    @Test
    void anErrorIsNotFound() {
        MqttLightBlockProvider p = provider(new AnsweringChannel(this::honest), Duration.ofSeconds(5));
        ProviderException.NotFound e = assertThrows(ProviderException.NotFound.class, () -> p.lightBlock(9));
        assertEquals(9, e.height());
        assertTrue(e.getMessage().contains("height 9 is above the latest height 3"), e.getMessage());
    }

    @Test
    void malformedAnswersAreBadResponsesNamingTheField() {
        byte[] block = LightBlockCodec.encode(chain.block(2));
        assertBad(new byte[] {(byte) 0xff, 0x00}, "expected a wattproof.v1.LightBlockResponse");
        assertBad(new byte[0], "light_block: expected a block or an error, got neither");
        assertBad(LightBlockResponse.newBuilder().setLightBlock(ByteString.copyFrom(new byte[] {0x0a, 0x05, 1})).build().toByteArray(),
                "light_block");
        assertBad(LightBlockResponse.newBuilder().setLightBlock(ByteString.copyFrom(block))
                .setNextValidatorSet(ByteString.copyFrom(new byte[] {0x0a, 0x7f})).build().toByteArray(), "next_validator_set");
        assertBad(LightBlockResponse.newBuilder().setLightBlock(ByteString.copyFrom(LightBlockCodec.encode(chain.block(1))))
                .build().toByteArray(), "header.height: expected 2, got 1");
        for (int n = 0; n < block.length; n += 7) {
            byte[] cut = java.util.Arrays.copyOf(block, n);
            AnsweringChannel c = new AnsweringChannel(h -> LightBlockResponse.newBuilder().setLightBlock(ByteString.copyFrom(cut))
                    .build().toByteArray());
            MqttLightBlockProvider p = provider(c, Duration.ofSeconds(5));
            assertThrows(ProviderException.class, () -> p.lightBlock(2), "cut at " + n);
        }
    }

    private void assertBad(byte[] answer, String says) {
        MqttLightBlockProvider p = provider(new AnsweringChannel(h -> answer), Duration.ofSeconds(5));
        ProviderException.BadResponse e = assertThrows(ProviderException.BadResponse.class, () -> p.lightBlock(2));
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    @Test
    void notConnectedIsUnavailableWithoutWaiting() {
        AnsweringChannel channel = new AnsweringChannel(this::honest);
        channel.connected = false;
        MqttLightBlockProvider p = provider(channel, Duration.ofDays(1));
        ProviderException.Unavailable e = assertThrows(ProviderException.Unavailable.class, () -> p.lightBlock(1));
        assertTrue(e.getMessage().contains("not connected"), e.getMessage());
    }

    @Test
    void noAnswerIsUnavailableAfterTheTimeout() {
        MqttLightBlockProvider p = provider(new AnsweringChannel(h -> null), Duration.ofMillis(50));
        ProviderException.Unavailable e = assertThrows(ProviderException.Unavailable.class, () -> p.lightBlock(1));
        assertTrue(e.getMessage().contains("no answer for the light block at height 1 within 50 ms"), e.getMessage());
    }

    @Test
    void anAnswerNobodyAwaitsIsDropped() {
        MqttLightBlockProvider p = new MqttLightBlockProvider("gateway", new AnsweringChannel(h -> null), Duration.ofSeconds(1));
        assertFalse(p.answered(new byte[16], honest(1)));
    }
}
