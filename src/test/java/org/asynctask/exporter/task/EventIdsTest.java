package org.asynctask.exporter.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Event ids are what consumers drop duplicates by: an upgrade must not change one. */
class EventIdsTest {
    @Test
    void anIdIsTheSameAsEveryEarlierVersionMadeIt() {
        // Written down from the release before the hex encoding was written out (issue 24).
        assertThat(EventIds.hash("tencent-scf/125/ap-guangzhou/default/f/req-1\n1000\nRUNNING\n"))
                .isEqualTo("08c276b235548cf9ed8f008d5aed1966");
    }

    @Test
    void everyIdIsTheFirst128BitsOfSha256InLowerCaseHex() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder material = new StringBuilder();
            for (int c = random.nextInt(200); c > 0; c--) {
                material.append((char) (random.nextBoolean() ? 'a' + random.nextInt(26) : random.nextInt(0x3000)));
            }
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(material.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(EventIds.hash(material.toString()))
                    .isEqualTo(HexFormat.of().formatHex(digest, 0, 16));
        }
    }
}
