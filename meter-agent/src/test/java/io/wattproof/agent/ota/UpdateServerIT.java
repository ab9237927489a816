package io.wattproof.agent.ota;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.agent.driver.TestMosquitto;
import io.wattproof.agent.ota.UpdateServer.RequestRefusal;
import io.wattproof.ota.transport.OtaTopics;
import io.wattproof.ota.v1.Announcement;
import io.wattproof.ota.v1.Chunk;
import io.wattproof.ota.v1.ChunkRequest;
import io.wattproof.ota.v1.UpdatePhase;
import io.wattproof.ota.v1.UpdateStatus;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UpdateServer} against Debian's Mosquitto, with devices played by raw Paho clients. */
class UpdateServerIT {
    private static final String PREFIX = "wattproof/v1";
    private static final int IMAGE_LENGTH = 200_000;

    @TempDir
    Path dir;
    private TestMosquitto broker;
    private UpdateServer server;
    private byte[] image;

    @BeforeEach
    void start() throws Exception {
        broker = TestMosquitto.start(dir);
        image = new byte[IMAGE_LENGTH];
        new Random(7).nextBytes(image);
        server = new UpdateServer(UpdateServer.Settings.of(broker.uri(), PREFIX), Clock.systemUTC());
        server.serve("app", 7, Files.write(dir.resolve("app-7"), image));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private RawDevice device(String id) throws Exception {
        RawDevice d = new RawDevice(broker.uri(), "dev-" + id);
        d.subscribe(OtaTopics.chunk(PREFIX, id), 0);
        return d;
    }

    private static byte[] request(String name, long version, long offset, int max) {
        return ChunkRequest.newBuilder().setImageName(name).setImageVersion(version).setOffset(offset).setMaxLength(max).build().toByteArray();
    }

    @Test
    void aDeviceFetchesEveryChunkAndGetsTheImageByteForByte() throws Exception {
        try (RawDevice d = device("a")) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int chunks = 0;
            boolean last = false;
            while (!last) {
                d.publish(OtaTopics.request(PREFIX, "a"), request("app", 7, got.size(), OtaTopics.MAX_CHUNK_DATA_BYTES));
                RawDevice.Received r = d.next(10);
                Chunk c = Chunk.parseFrom(r.payload());
                assertEquals("app", c.getImageName());
                assertEquals(7, c.getImageVersion());
                assertEquals(got.size(), c.getOffset());
                assertTrue(r.payload().length <= OtaTopics.MAX_CHUNK_MESSAGE_BYTES, "chunk message of " + r.payload().length + " bytes");
                c.getData().writeTo(got);
                last = c.getLast();
                assertEquals(got.size() == IMAGE_LENGTH, last, "last at offset " + c.getOffset());
                chunks++;
            }
            assertArrayEquals(image, got.toByteArray());
            assertEquals(4, chunks); // 3 × 65536 + 3392
            assertEquals(new UpdateServer.Counters(4, IMAGE_LENGTH, 0, 0), server.counters());

            // A smaller chunk size, and a request reaching past the end, answered with what there is.
            d.publish(OtaTopics.request(PREFIX, "a"), request("app", 7, 1000, 10));
            Chunk small = Chunk.parseFrom(d.next(10).payload());
            assertEquals(ByteString.copyFrom(image, 1000, 10), small.getData());
            assertFalse(small.getLast());
            d.publish(OtaTopics.request(PREFIX, "a"), request("app", 7, IMAGE_LENGTH - 5, 100));
            Chunk tail = Chunk.parseFrom(d.next(10).payload());
            assertEquals(ByteString.copyFrom(image, IMAGE_LENGTH - 5, 5), tail.getData());
            assertTrue(tail.getLast());
        }
    }

    @Test
    void junkAndOutOfRangeRequestsGetNoAnswerAndServingGoesOn() throws Exception {
        try (RawDevice d = device("a")) {
            String topic = OtaTopics.request(PREFIX, "a");
            d.publish(topic, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});                    // MALFORMED
            d.publish(topic, new byte[UpdateServer.MAX_REQUEST_BYTES + 1]);                           // TOO_LONG
            d.publish(topic, new byte[0]);                                                             // no name: UNKNOWN_IMAGE
            d.publish(topic, request("app", 8, 0, 1024));                                              // UNKNOWN_IMAGE
            d.publish(topic, request("other", 7, 0, 1024));                                            // UNKNOWN_IMAGE
            d.publish(topic, request("app", 7, IMAGE_LENGTH, 1024));                                   // OFFSET_BEYOND_END
            d.publish(topic, request("app", 7, Long.MIN_VALUE, 1024));                                 // 2^63: OFFSET_BEYOND_END
            d.publish(topic, request("app", 7, 0, 0));                                                 // MAX_LENGTH_OUT_OF_RANGE
            d.publish(topic, request("app", 7, 0, OtaTopics.MAX_CHUNK_DATA_BYTES + 1));                // MAX_LENGTH_OUT_OF_RANGE
            d.publish(topic, request("app", 7, 0, -1));                                                // 2^32 - 1: MAX_LENGTH_OUT_OF_RANGE
            d.publish(topic, request("app", 7, 4096, 16));
            // The answers come in the order of the requests (one publisher, one topic, MQTT 5 §4.6), so
            // had any of the bad ones been answered, its chunk would come first.
            Chunk c = Chunk.parseFrom(d.next(10).payload());
            assertEquals(4096, c.getOffset());
            assertEquals(ByteString.copyFrom(image, 4096, 16), c.getData());
            Map<RequestRefusal, Long> refusals = server.refusals();
            assertEquals(1, refusals.get(RequestRefusal.MALFORMED), refusals.toString());
            assertEquals(1, refusals.get(RequestRefusal.TOO_LONG), refusals.toString());
            assertEquals(3, refusals.get(RequestRefusal.UNKNOWN_IMAGE), refusals.toString());
            assertEquals(2, refusals.get(RequestRefusal.OFFSET_BEYOND_END), refusals.toString());
            assertEquals(3, refusals.get(RequestRefusal.MAX_LENGTH_OUT_OF_RANGE), refusals.toString());
            assertEquals(new UpdateServer.Counters(1, 16, 10, 0), server.counters());

            // An image no longer served is unknown; served again (from memory), it is answered again.
            assertTrue(server.stopServing("app", 7));
            d.publish(topic, request("app", 7, 0, 8));
            d.publish(topic, request("app", 7, 0, 8));
            for (int i = 0; i < 200 && server.refusals().get(RequestRefusal.UNKNOWN_IMAGE) < 5; i++) {
                Thread.sleep(50);
            }
            assertEquals(5, server.refusals().get(RequestRefusal.UNKNOWN_IMAGE));
            server.serve("app", 7, image);
            d.publish(topic, request("app", 7, 8, 8));
            Chunk again = Chunk.parseFrom(d.next(10).payload());
            assertEquals(8, again.getOffset());
            assertEquals(ByteString.copyFrom(image, 8, 8), again.getData());
            assertTrue(d.received.isEmpty());
        }
    }

    @Test
    void aRequestIsAnsweredOnlyOnTheChunkTopicOfTheDeviceThatAsked() throws Exception {
        try (RawDevice x = device("x"); RawDevice y = device("y"); RawDevice spy = new RawDevice(broker.uri(), "spy")) {
            spy.subscribe(PREFIX + "/devices/+/ota/chunk", 0);
            x.publish(OtaTopics.request(PREFIX, "x"), request("app", 7, 100, 10));
            RawDevice.Received first = spy.next(10);
            assertEquals(OtaTopics.chunk(PREFIX, "x"), first.topic());
            assertEquals(100, Chunk.parseFrom(first.payload()).getOffset());
            assertEquals(100, Chunk.parseFrom(x.next(10).payload()).getOffset());
            // y asks after x was answered; the spy's next chunk is y's, so x's answer went nowhere else.
            y.publish(OtaTopics.request(PREFIX, "y"), request("app", 7, 200, 10));
            RawDevice.Received second = spy.next(10);
            assertEquals(OtaTopics.chunk(PREFIX, "y"), second.topic());
            assertEquals(200, Chunk.parseFrom(second.payload()).getOffset());
            assertEquals(200, Chunk.parseFrom(y.next(10).payload()).getOffset());
            assertTrue(x.received.isEmpty(), "x got another device's chunk");
        }
    }

    @Test
    void announcementsAreRetainedForDevicesThatComeLaterAndWithdrawClearsThem() throws Exception {
        Announcement a = Announcement.newBuilder().setSignedTargets(ByteString.copyFromUtf8("signed targets"))
                .addSignedRoots(ByteString.copyFromUtf8("root 2")).build();
        server.announceToFleet(a);
        server.announceToDevices(java.util.List.of("b"), a);
        try (RawDevice late = new RawDevice(broker.uri(), "late")) {
            late.subscribe(OtaTopics.fleetAnnouncement(PREFIX), 1);
            RawDevice.Received r = late.next(10);
            assertTrue(r.retained());
            assertEquals(a, Announcement.parseFrom(r.payload()));
            late.subscribe(OtaTopics.announcement(PREFIX, "b"), 1);
            assertEquals(OtaTopics.announcement(PREFIX, "b"), late.next(10).topic());
            // Not announced to c: the first thing c sees is a marker published after it subscribed.
            late.subscribe(OtaTopics.announcement(PREFIX, "c"), 1);
            late.publish(OtaTopics.announcement(PREFIX, "c"), "marker".getBytes(), 1, false, true);
            assertEquals("marker", new String(late.next(10).payload()));
        }
        server.withdrawFromFleet();
        server.withdrawFromDevices(java.util.List.of("b"));
        try (RawDevice later = new RawDevice(broker.uri(), "later")) {
            for (String topic : new String[] {OtaTopics.fleetAnnouncement(PREFIX), OtaTopics.announcement(PREFIX, "b")}) {
                later.subscribe(topic, 1);
                later.publish(topic, "marker".getBytes(), 1, false, true);
                RawDevice.Received r = later.next(10);
                assertEquals(topic, r.topic());
                assertEquals("marker", new String(r.payload()), "a withdrawn announcement is still retained on " + topic);
            }
        }
        // Devices drop announcements over the limit unread, so the server does not send one.
        Announcement big = Announcement.newBuilder().setSignedTargets(ByteString.copyFrom(new byte[OtaTopics.MAX_ANNOUNCEMENT_BYTES])).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> server.announceToFleet(big));
        assertTrue(e.getMessage().startsWith("announcement: expected at most 65536 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> server.announceToDevices(java.util.List.of("ok", "a/b"), big.toBuilder()
                .setSignedTargets(ByteString.copyFromUtf8("t")).build()));
    }

    @Test
    void statusesAreCollectedRetainedAndLiveAndJunkIsIgnored() throws Exception {
        UpdateStatus downloading = UpdateStatus.newBuilder().setPhase(UpdatePhase.UPDATE_PHASE_DOWNLOADING).setRunningVersion(6).setFloor(6)
                .setTargetVersion(7).setReceived(65536).setLength(IMAGE_LENGTH).build();
        try (RawDevice a = new RawDevice(broker.uri(), "a")) {
            a.publish(OtaTopics.status(PREFIX, "a"), downloading.toByteArray(), 1, true, true);
            try (UpdateServer reader = new UpdateServer(UpdateServer.Settings.of(broker.uri(), PREFIX), Clock.systemUTC())) {
                LinkedBlockingQueue<UpdateServer.DeviceStatus> seen = new LinkedBlockingQueue<>();
                reader.onStatus(seen::add);
                UpdateServer.DeviceStatus first = waitFor(reader, "a");
                assertEquals(downloading, first.status());
                assertTrue(first.retained(), "delivered from the broker's store at subscription");

                a.publish(OtaTopics.status(PREFIX, "b"), new byte[] {(byte) 0xff, 1}, 1, true, true);           // not a status
                a.publish(OtaTopics.status(PREFIX, "b"), UpdateStatus.newBuilder().setRunningVersion(3).build().toByteArray(), 1, true,
                        true);                                                                                        // no phase
                a.publish(OtaTopics.status(PREFIX, "b"), new byte[UpdateServer.MAX_STATUS_BYTES + 1], 1, true, true); // too long
                UpdateStatus updated = downloading.toBuilder().setPhase(UpdatePhase.UPDATE_PHASE_UPDATED).setRunningVersion(7).setFloor(7)
                        .clearReceived().clearLength().build();
                a.publish(OtaTopics.status(PREFIX, "a"), updated.toByteArray(), 1, true, true);
                UpdateServer.DeviceStatus live = seen.poll(10, TimeUnit.SECONDS);
                while (live != null && live.status().equals(downloading)) {
                    live = seen.poll(10, TimeUnit.SECONDS);
                }
                assertEquals(updated, live.status());
                assertFalse(live.retained(), "published while subscribed");
                assertEquals(updated, reader.status("a").orElseThrow().status());
                assertFalse(reader.statuses().containsKey("b"));
                assertEquals(3, reader.counters().ignoredStatuses());

                // An empty retained message clears a device's status.
                a.publish(OtaTopics.status(PREFIX, "a"), new byte[0], 1, true, true);
                a.publish(OtaTopics.status(PREFIX, "c"), downloading.toByteArray(), 1, false, true);
                waitFor(reader, "c");
                assertTrue(reader.status("a").isEmpty());
            }
        }
    }

    private static UpdateServer.DeviceStatus waitFor(UpdateServer s, String device) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            var st = s.status(device);
            if (st.isPresent()) {
                return st.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no status of " + device + " within 10 s");
    }
}
