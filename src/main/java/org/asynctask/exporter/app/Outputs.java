package org.asynctask.exporter.app;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.asynctask.exporter.checkpoint.BackfillCheckpointStore;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.checkpoint.FileCheckpointStore;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.config.StoreKind;
import org.asynctask.exporter.health.OutputHealth;
import org.asynctask.exporter.kafka.KafkaCheckpointStore;
import org.asynctask.exporter.kafka.KafkaEventSink;
import org.asynctask.exporter.kafka.KafkaProducers;
import org.asynctask.exporter.kafka.KafkaPublishing;
import org.asynctask.exporter.kafka.RecordHeaderFilter;
import org.asynctask.exporter.kafka.ShardTransactions;
import org.asynctask.exporter.poll.BackfillWindow;
import org.asynctask.exporter.sink.CamelEventSink;
import org.asynctask.exporter.sink.EventSink;
import org.asynctask.exporter.sink.FileEventSink;
import org.asynctask.exporter.sink.RouteEventSink;

/** The configured sink and checkpoint store, and how health and messages name them. */
final class Outputs {
    private Outputs() {}

    /**
     * @param transactions the shards' transactional producers (exactly-once, group mode), else null
     * @param camelKafka   at-least-once by one exporter: the poll route publishes through camel-kafka, and this
     *                     sink is that route, for what the poller publishes outside the route's steps
     */
    static EventSink sink(
            ExporterConfig config,
            ShardTransactions transactions,
            boolean camelKafka,
            Supplier<CamelContext> camel,
            Clock clock,
            BackfillWindow backfill) {
        return switch (config.sink()) {
            case KAFKA ->
                camelKafka
                        ? new RouteEventSink(camel, "direct:publish-kafka")
                        : new KafkaEventSink(config.kafka(), transactions, config.exactlyOnce());
            case CAMEL -> new CamelEventSink(camel, config.sinkUri(), config.sinkBatch());
            case FILE ->
                new FileEventSink(config.outputDir(), config.archive(), clock, backfill == null ? null : "backfill");
        };
    }

    /** The beans of the camel-kafka publish route ({@code routes/poll.camel.yaml}): its producer's settings and headers. */
    static void bindCamelKafka(ExporterConfig config, OutputHealth sinkHealth, BiConsumer<String, Object> bind) {
        KafkaProducers producers = new KafkaProducers(config.kafka());
        bind.accept("kafkaProducers", producers);
        bind.accept("kafkaRecordHeaders", new RecordHeaderFilter());
        bind.accept("kafkaPublishing", new KafkaPublishing(config.kafka(), producers, sinkHealth));
    }

    /** The sink as health and the stop message name it: {@code Kafka sink (topic … at …)}. */
    static String describe(ExporterConfig config, EventSink sink) {
        return switch (config.sink()) {
            case KAFKA ->
                "Kafka sink (topic " + config.kafka().topic() + " at "
                        + config.kafka().bootstrapServers() + ")";
            case CAMEL -> "Camel sink (" + ((CamelEventSink) sink).describe() + ")";
            case FILE -> "file sink (" + config.outputDir() + ")";
        };
    }

    static String describeStore(ExporterConfig config) {
        return config.checkpointStore() == StoreKind.KAFKA
                ? "Kafka checkpoint store (topic " + config.kafka().checkpointTopic() + " at "
                        + config.kafka().bootstrapServers() + ")"
                : "file checkpoint store (" + config.checkpointDir() + ")";
    }

    /** The file checkpoint store, or an error naming the key whose directory cannot be made or opened. */
    static FileCheckpointStore fileStore(Path dir) {
        try {
            return new FileCheckpointStore(dir);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("exporter.checkpoint.dir: " + e.getMessage(), e);
        }
    }

    static CheckpointStore backfillStore(ExporterConfig config, BackfillWindow window) {
        CheckpointStore own = config.checkpointStore() == StoreKind.KAFKA
                ? new KafkaCheckpointStore(
                        config.kafka().withCheckpointTopic(config.kafka().checkpointTopic() + ".backfill"), null, false)
                : new FileCheckpointStore(config.checkpointDir().resolve("backfill"));
        return new BackfillCheckpointStore(own, window.id());
    }
}
