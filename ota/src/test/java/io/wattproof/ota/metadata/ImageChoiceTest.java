package io.wattproof.ota.metadata;

import static io.wattproof.ota.metadata.Repo.NOW;
import static io.wattproof.ota.metadata.Repo.accepted;
import static io.wattproof.ota.metadata.Repo.image;
import static io.wattproof.ota.metadata.Repo.root;
import static io.wattproof.ota.metadata.Repo.signedTargets;
import static io.wattproof.ota.metadata.Repo.targets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.wattproof.ota.v1.Image;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageChoiceTest {
    private static final String PI = "raspberry-pi-4b";
    private static final String CM4 = "raspberry-pi-cm4";
    private static final byte[] V5 = "five".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V7 = "seven".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V9 = "nine, for the cm4".getBytes(StandardCharsets.US_ASCII);

    private final TestKey key = TestKey.ed25519();
    private final TrustedRoot root = Repo.provision(root(1, 1, List.of(key)), key);

    private VerifiedTargets verified(Image... images) {
        return accepted(TargetsCheck.verify(root, signedTargets(targets(1, 1, images), key), NOW, LastTargets.NONE));
    }

    private final Image v5 = image("agent-5", 5, 0, V5, PI, CM4);
    private final Image v7 = image("agent-7", 7, 4, V7, PI);
    private final Image v9cm4 = image("agent-9-cm4", 9, 0, V9, CM4);

    @Test
    void theNewestImageForTheBoardIsChosen() {
        ImageChoice choice = ImageChoice.choose(verified(v5, v7, v9cm4), PI, 5, 3);
        ImageEntry chosen = assertInstanceOf(ImageChoice.Install.class, choice).image();
        assertEquals("agent-7", chosen.name());
        assertEquals(V7.length, chosen.length());
        assertArrayEquals(Repo.sha256(V7), chosen.sha256());
        // The other board gets its own image.
        assertEquals("agent-9-cm4", assertInstanceOf(ImageChoice.Install.class, ImageChoice.choose(verified(v5, v7, v9cm4), CM4, 5, 3))
                .image().name());
    }

    @Test
    void aFloorAboveTheRunningVersionStillAllowsANewerImage() {
        // After a failed install fell back to 5, the floor may already be 6; 7 is still allowed.
        assertEquals("agent-7", assertInstanceOf(ImageChoice.Install.class, ImageChoice.choose(verified(v5, v7), PI, 5, 6)).image().name());
    }

    @Test
    void runningTheNewestIsUpToDate() {
        assertEquals(new ImageChoice.UpToDate(7), ImageChoice.choose(verified(v5, v7), PI, 7, 5));
        // The floor raised to the running version after a good install: still just up to date.
        assertEquals(new ImageChoice.UpToDate(7), ImageChoice.choose(verified(v5, v7), PI, 7, 7));
    }

    @Test
    void anImageForAnotherBoardIsRefused() {
        Refusal why = assertInstanceOf(ImageChoice.Refused.class, ImageChoice.choose(verified(v9cm4), PI, 5, 3)).refusal();
        assertEquals(Refusal.Reason.WRONG_BOARD, why.reason());
        assertEquals("targets.images[].compatible_boards", why.field());
        assertEquals("an image for board 'raspberry-pi-4b'", why.expected());
        assertEquals("images for [raspberry-pi-cm4]", why.actual());
    }

    @Test
    void anImageAtOrBelowTheFloorIsARollback() {
        // Running 5 (fallen back) with floor 7: the newest, 7, is at the floor and is refused.
        Refusal atFloor = assertInstanceOf(ImageChoice.Refused.class, ImageChoice.choose(verified(v5, v7), PI, 5, 7)).refusal();
        assertEquals(Refusal.Reason.ROLLBACK, atFloor.reason());
        assertEquals("image.version", atFloor.field());
        assertEquals("7 (agent-7)", atFloor.actual());
        // Targets that offer only version 5 to a device with floor 6.
        Refusal below = assertInstanceOf(ImageChoice.Refused.class, ImageChoice.choose(verified(v5), PI, 5, 6)).refusal();
        assertEquals(Refusal.Reason.ROLLBACK, below.reason());
        assertEquals("> 6 (running version 5, version floor 6)", below.expected());
        assertEquals("5 (agent-5)", below.actual());
    }

    @Test
    void anImageOlderThanTheRunningOneIsARollback() {
        Refusal why = assertInstanceOf(ImageChoice.Refused.class, ImageChoice.choose(verified(v5), PI, 7, 3)).refusal();
        assertEquals(Refusal.Reason.ROLLBACK, why.reason());
        assertEquals("> 7 (running version 7, version floor 3)", why.expected());
    }

    @Test
    void aRunningVersionBelowMinFromVersionIsRefused() {
        Refusal why = assertInstanceOf(ImageChoice.Refused.class, ImageChoice.choose(verified(v5, v7), PI, 3, 2)).refusal();
        assertEquals(Refusal.Reason.MIN_FROM_VERSION, why.reason());
        assertEquals("image.min_from_version", why.field());
        assertEquals("≤ 3 (the running version)", why.expected());
        assertEquals("4 (agent-7)", why.actual());
    }
}
