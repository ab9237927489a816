package io.wattproof.agent.outbox;

class MemoryOutboxTest extends OutboxContractTest {
    @Override
    Outbox open() {
        return new MemoryOutbox();
    }
}
