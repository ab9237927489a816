package io.wattproof.lightclient.store;

class MemoryLightStoreTest extends LightStoreContractTest {
    @Override
    LightStore open() {
        return new MemoryLightStore();
    }
}
