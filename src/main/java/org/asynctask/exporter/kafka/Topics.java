package org.asynctask.exporter.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the exporter's topics when they are missing (many clusters disable auto-creation). */
final class Topics {
    private Topics() {
    }

    /** @param compacted topics that must be compacted (checkpoints: only the newest per key matters) */
    /** The largest record the exporter writes (a checkpoint with hundreds of thousands of tracked tasks). */
    static final int MAX_RECORD_BYTES = 64 << 20;

    static void ensure(Properties adminProps, Set<String> topics, Set<String> compacted) {
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    NewTopic topic = new NewTopic(t, compacted.contains(t) ? Optional.of(1) : Optional.empty(), Optional.empty());
                    if (compacted.contains(t)) {
                        // A checkpoint holds every tracked task of its function: it can outgrow Kafka's 1 MB default.
                        topic.configs(Map.of("cleanup.policy", "compact", "max.message.bytes", Integer.toString(MAX_RECORD_BYTES)));
                    }
                    missing.add(topic);
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while creating topics " + topics, e);
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new KafkaUnavailableException("cannot create or list topics " + topics + " at " + adminProps.get("bootstrap.servers")
                    + ": " + cause, cause);
        }
    }
}
