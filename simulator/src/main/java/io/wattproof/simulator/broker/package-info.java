/**
 * The simulator's in-process MQTT 5 broker: HiveMQ Community Edition, embedded, on 127.0.0.1
 * only, with a configuration tuned for QoS 1 throughput ({@link io.wattproof.simulator.broker.EmbeddedBroker}).
 * Choice, measurements and the client settings that go with it: {@code docs/broker.md}.
 */
package io.wattproof.simulator.broker;
