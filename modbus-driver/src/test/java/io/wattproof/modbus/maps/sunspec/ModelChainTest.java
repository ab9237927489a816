package io.wattproof.modbus.maps.sunspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.wattproof.modbus.pdu.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelChainTest {

    @Test
    void walksCommonMeterAndEndMarker() {
        ModelChain chain = ModelChain.start(40000);
        assertEquals(40002, chain.nextAddress());
        chain = assertInstanceOf(ModelChain.Step.More.class, chain.feed(1, 66)).chain();
        assertEquals(40070, chain.nextAddress());
        chain = assertInstanceOf(ModelChain.Step.More.class, chain.feed(203, 105)).chain();
        assertEquals(40177, chain.nextAddress());
        var end = assertInstanceOf(ModelChain.Step.End.class, chain.feed(0xFFFF, 0));
        assertEquals(List.of(new ModelHeader(1, 40002, 66), new ModelHeader(203, 40070, 105)), end.models());
    }

    @Test
    void theCommonModelComesFirst() {
        Violation v = assertInstanceOf(ModelChain.Step.Invalid.class, ModelChain.start(0).feed(203, 105)).violation();
        assertEquals("SunSpec model header (holding registers 0x0002..0x0003): expected the common model (ID 1) first, "
                + "actual ID 203 (bytes 00 cb 00 69)", v.message());
        assertInstanceOf(ModelChain.Step.Invalid.class, ModelChain.start(0).feed(0xFFFF, 0));
    }

    @Test
    void refusesALengthRunningPastRegister65535() {
        ModelChain chain = ((ModelChain.Step.More) ModelChain.start(50000).feed(1, 66)).chain();
        Violation v = assertInstanceOf(ModelChain.Step.Invalid.class, chain.feed(203, 0xFFFF)).violation();
        assertEquals("SunSpec model header (holding registers 0xc396..0xc397): expected a model length ending at or "
                + "before register 65535 (at most 15464), actual ID 203 length 65535 (bytes 00 cb ff ff)", v.message());
    }

    @Test
    void refusesModelIdZero() {
        ModelChain chain = ((ModelChain.Step.More) ModelChain.start(0).feed(1, 66)).chain();
        assertInstanceOf(ModelChain.Step.Invalid.class, chain.feed(0, 0));
    }

    /** A device repeating empty models forever: bounded, never more than MAX_MODELS + 1 headers read. */
    @Test
    void stopsAfterTheModelCap() {
        ModelChain chain = ((ModelChain.Step.More) ModelChain.start(0).feed(1, 66)).chain();
        int headers = 1;
        while (true) {
            ModelChain.Step step = chain.feed(64000, 0);
            headers++;
            if (step instanceof ModelChain.Step.More more) {
                chain = more.chain();
                continue;
            }
            Violation v = assertInstanceOf(ModelChain.Step.Invalid.class, step).violation();
            assertEquals("the end marker after at most 64 models", v.expected());
            break;
        }
        assertEquals(ModelChain.MAX_MODELS + 1, headers);
    }

    @Test
    void endsWhenNoHeaderFitsBeforeRegister65535() {
        ModelChain chain = ((ModelChain.Step.More) ModelChain.start(50000).feed(1, 66)).chain();
        // A model reaching the last register leaves no room for the end marker: the chain ends there.
        var end = assertInstanceOf(ModelChain.Step.End.class, chain.feed(64000, 0xFFFF - chain.nextAddress() - 1));
        assertEquals(2, end.models().size());
    }
}
