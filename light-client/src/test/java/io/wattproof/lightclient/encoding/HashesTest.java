package io.wattproof.lightclient.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wattproof.lightclient.ConformanceData;
import io.wattproof.lightclient.json.CometJson;
import io.wattproof.lightclient.types.Header;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class HashesTest {
    /** Source: ../shared/conformance/cometbft/header_hash, recorded from a CometBFT node (dockerchain, height 1608). */
    @Test
    void headerRecordedFromARealNodeHashesToItsKnownHash() throws Exception {
        String json = Files.readString(ConformanceData.file("cometbft/header_hash/header_with_known_hash.json"));
        Header h = CometJson.anyHeader(CometJson.parse(json, "header"));
        assertEquals("F30A71F2409FB15AACAEDB6CC122DFA2525BEE9CAE521721B06BFDCA291B8D56", Hashes.header(h).hex());
    }
}
