package org.asynctask.exporter.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * One transactional producer (of one shard, see {@link ShardTransactions}) shared by the Kafka sink and the
 * Kafka checkpoint store: exactly-once, a page's events and the checkpoint that covers them commit together or
 * not at all. A transaction belongs to the poll thread that opened it (others wait), from the
 * sink's {@link #send} to the store's {@link #commit}, or to {@link #abort} when the poll fails.
 *
 * <p>The transactional id is stable across restarts: a restarted exporter fences the old producer
 * and aborts what it left open, so a {@code read_committed} consumer never sees a half-delivered page.
 * After an error the producer is abandoned and a new one is made at the next transaction, unless the error
 * was a fence: then another holder has the id, and none is made (see {@link #fenced}).
 */
final class KafkaTransactions implements AutoCloseable {
    private final Properties props;
    private final ReentrantLock lock = new ReentrantLock(true);
    private KafkaProducer<String, byte[]> producer;
    /**
     * Another producer with this transactional id started: the shard has another holder. A new producer
     * here would fence that holder in turn (and commit checkpoints older than its), so none is made; the
     * shard's next assignment makes a new {@code KafkaTransactions}.
     */
    private volatile boolean fenced;

    KafkaTransactions(KafkaSettings settings, String transactionalId) {
        this.props = settings.producer(transactionalId);
    }

    /** Adds records to this thread's transaction, opening it if needed. */
    public void send(List<ProducerRecord<String, byte[]>> records) {
        if (!lock.isHeldByCurrentThread()) {
            lock.lock();
            try {
                producer().beginTransaction();
            } catch (RuntimeException e) {
                noteFencing(e);
                discardProducer();
                lock.unlock();
                throw unavailable("begin a transaction", e);
            }
        }
        try {
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r);
            }
        } catch (RuntimeException e) {
            noteFencing(e);
            abort();
            throw unavailable("send in a transaction", e);
        }
    }

    /** Commits this thread's transaction: everything sent since it opened becomes visible at once. */
    public void commit() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("no Kafka transaction is open on this thread");
        }
        try {
            producer.commitTransaction();
            lock.unlock();
        } catch (RuntimeException e) {
            noteFencing(e);
            abort();
            throw unavailable("commit a transaction", e);
        }
    }

    /**
     * Makes sure no earlier transaction of this transactional id is still undecided: starting a
     * producer ({@code initTransactions}) completes or aborts whatever a previous producer left, for
     * example a killed exporter, or a commit that timed out. Call before reading committed state.
     */
    public void settle() {
        lock.lock();
        try {
            producer();
        } catch (RuntimeException e) {
            discardProducer();
            throw unavailable("initialize transactions", e);
        } finally {
            lock.unlock();
        }
    }

    /** Drops this thread's open transaction, if it has one; nothing of it becomes visible. */
    public void abort() {
        if (!lock.isHeldByCurrentThread()) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            // Fenced, timed out or broken: a new producer with the same id aborts it on start.
            discardProducer();
        } finally {
            lock.unlock();
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        if (fenced) {
            throw new KafkaUnavailableException(
                    "transactional id " + props.get("transactional.id")
                            + " was fenced: another exporter holds its shard "
                            + "now; this one writes nothing of it until the shard is assigned to it again",
                    null);
        }
        if (producer == null) {
            KafkaProducer<String, byte[]> p = new KafkaProducer<>(props);
            try {
                p.initTransactions();
            } catch (RuntimeException e) {
                p.close(Duration.ZERO);
                throw e;
            }
            producer = p;
        }
        return producer;
    }

    /** The producer reports a send it could not make, with the cause, at the next call: any of them may say so. */
    private void noteFencing(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                fenced = true;
            }
        }
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    private KafkaUnavailableException unavailable(String what, RuntimeException e) {
        // The producer reports a failed send only as "error state" at commit: the first failure is the cause.
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new KafkaUnavailableException(
                "Kafka at " + props.get("bootstrap.servers") + ": cannot " + what + " (transactional id "
                        + props.get("transactional.id") + "): " + e + (root == e ? "" : ", caused by " + root),
                e);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
