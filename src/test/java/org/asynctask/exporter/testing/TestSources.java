package org.asynctask.exporter.testing;

import java.time.Duration;
import java.util.List;
import org.asynctask.exporter.poll.PollTarget;
import org.asynctask.exporter.provider.DiscoverySettings;
import org.asynctask.exporter.provider.FunctionRef;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.ScanSettings;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.secret.AccessKey;
import org.asynctask.exporter.secret.Secret;

/** Source configurations for tests that talk to a provider or simulator directly. */
public final class TestSources {
    public static final ScanSettings SCAN = new ScanSettings(
            Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofMinutes(2), Duration.ofHours(48), 50, 50, 1, true);

    private TestSources() {}

    public static SourceConfig fc3(String endpoint, String keyId, String secret, boolean includePayload) {
        return new SourceConfig(
                "test",
                "alibaba-fc3",
                "1234567890123456",
                "cn-hangzhou",
                endpoint,
                List.of(new FunctionRef(null, "orders", null)),
                Duration.ofSeconds(30),
                100,
                new AccessKey(keyId, new Secret(secret), null),
                includePayload,
                SCAN,
                null,
                DiscoverySettings.OFF,
                null,
                -1,
                null);
    }

    public static PartitionKey partition(String function, String qualifier) {
        return new PartitionKey("alibaba-fc3", "test", "1234567890123456", "cn-hangzhou", null, function, qualifier);
    }

    /** An FC 3.0 poll target of source {@code sourceName} polled every {@code interval}. */
    public static PollTarget target(String sourceName, String function, Duration interval) {
        SourceConfig s = fc3(null, "k", "s", false);
        SourceConfig source = new SourceConfig(
                sourceName,
                s.provider(),
                s.account(),
                s.region(),
                s.endpoint(),
                s.functions(),
                interval,
                s.pageSize(),
                s.credentials(),
                false,
                s.scan(),
                null,
                s.discovery(),
                null,
                -1,
                null);
        return new PollTarget(
                new PartitionKey("alibaba-fc3", sourceName, s.account(), s.region(), null, function, null),
                source,
                new Fc3Provider());
    }
}
