package org.asynctask.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.asynctask.exporter.provider.PartitionKey;
import org.junit.jupiter.api.Test;

class GroupSettingsTest {
    private final GroupSettings group = new GroupSettings("exporters", 12, GroupSettings.DEFAULT_SESSION_TIMEOUT);

    @Test
    void aPartitionsShardIsThePartitionKafkasDefaultPartitionerPicksForItsCheckpointKey() {
        for (int i = 0; i < 200; i++) {
            PartitionKey key = new PartitionKey("fc3", "demo", "123", "cn-hangzhou", null, "fn-" + i, null);
            assertThat(group.shardOf(key))
                    .as(key.id())
                    .isEqualTo(BuiltInPartitioner.partitionForKey(key.id().getBytes(StandardCharsets.UTF_8), 12));
        }
    }

    @Test
    void thousandsOfFunctionsSpreadOverTheShards() {
        Map<Integer, Integer> perShard = new HashMap<>();
        for (int i = 0; i < 12_000; i++) {
            PartitionKey key = new PartitionKey("scf", "prod", null, "ap-guangzhou", "default", "fn-" + i, "$LATEST");
            perShard.merge(group.shardOf(key), 1, Integer::sum);
        }
        assertThat(perShard).hasSize(12);
        assertThat(perShard.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
    }

    @Test
    void withoutAGroupEveryPartitionIsInShardZero() {
        PartitionKey key = new PartitionKey("fc3", "demo", null, null, null, "fn", null);
        assertThat(GroupSettings.SINGLE.shardOf(key)).isZero();
        assertThat(GroupSettings.SINGLE.grouped()).isFalse();
    }
}
