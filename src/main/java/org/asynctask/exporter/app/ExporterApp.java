package org.asynctask.exporter.app;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.apache.camel.spi.ShutdownStrategy;
import org.asynctask.exporter.alert.AlertDispatcher;
import org.asynctask.exporter.checkpoint.BackfillCheckpointStore;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.config.SinkKind;
import org.asynctask.exporter.config.StoreKind;
import org.asynctask.exporter.health.MonitoredCheckpointStore;
import org.asynctask.exporter.health.MonitoredSink;
import org.asynctask.exporter.health.OutputHealth;
import org.asynctask.exporter.kafka.CheckpointLease;
import org.asynctask.exporter.kafka.KafkaCheckpointStore;
import org.asynctask.exporter.kafka.ShardTransactions;
import org.asynctask.exporter.metrics.ExporterMetrics;
import org.asynctask.exporter.metrics.PartitionState;
import org.asynctask.exporter.metrics.StatusReport;
import org.asynctask.exporter.poll.BackfillWindow;
import org.asynctask.exporter.poll.Discoverer;
import org.asynctask.exporter.poll.PollScheduler;
import org.asynctask.exporter.poll.PollStats;
import org.asynctask.exporter.poll.PollTarget;
import org.asynctask.exporter.poll.Poller;
import org.asynctask.exporter.poll.RequestRateLimiter;
import org.asynctask.exporter.poll.SignedHeaderFilter;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.sink.EventSink;

/**
 * The exporter, wired in one place: configuration in, Camel Main running {@code routes/*.camel.yaml}
 * with the beans those routes name ({@code scheduler}, {@code poller}, {@code eventSink}).
 */
public final class ExporterApp implements AutoCloseable {
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Main main = new Main();
    private final CheckpointStore store;
    /** The live exporter's Kafka store, which must be claimed before polling starts; else null. */
    private final KafkaCheckpointStore kafkaStore;

    /** The shards' transactional producers (exactly-once, and group mode); else null. */
    private final ShardTransactions transactions;
    /** Group mode: starts and stops the polls of the shards Kafka moves; else null. */
    private final ShardHandover handover;

    private final EventSink sink;
    private final OutputHealth sinkHealth;
    private final OutputHealth storeHealth;
    private final PollStats stats = new PollStats();
    private final PollScheduler scheduler;
    private final List<PollTarget> targets;
    private final ExporterMetrics metrics;
    private final MetricsEndpoint metricsEndpoint;
    private final StatusReport statusReport;
    private final ExporterConfig config;
    /** Null when no webhook is configured. */
    private final AlertDispatcher alerts;
    /** Set once Camel runs the routes: only then can the stop be clean. */
    private volatile boolean started;

    private final RouteBindings routes = new RouteBindings(main);
    /** Set when the routes run in another Camel context (see {@link #runRoutesIn}). */
    private volatile CamelContext hostContext;

    public ExporterApp(ExporterConfig config, Clock clock) {
        this(config, clock, UnaryOperator.identity());
    }

    /**
     * @param decorateStore wraps the configured checkpoint store (tests use it to fail or slow down
     *                      saves, to put crashes between publishing and saving)
     */
    public ExporterApp(ExporterConfig config, Clock clock, UnaryOperator<CheckpointStore> decorateStore) {
        this(config, clock, decorateStore, null);
    }

    /**
     * A backfill of the window: the same pipeline into the configured sink, with checkpoints of its own
     * ({@link BackfillCheckpointStore}) and no webhook alerts (history is not news). Wait for it with
     * {@link #awaitBackfill}.
     */
    public static ExporterApp backfill(ExporterConfig config, BackfillWindow window, Clock clock) {
        return new ExporterApp(config, clock, UnaryOperator.identity(), window);
    }

    private ExporterApp(
            ExporterConfig config, Clock clock, UnaryOperator<CheckpointStore> decorateStore, BackfillWindow backfill) {
        // The stop is ours (runUntilStopped's hook). Camel Main's own hangup hook, racing it on SIGTERM, registers
        // a listener that waits for the context to stop, which our main.stop() then ran into and waited out
        // (15 s + 15 s) before stopping it: a stop that took 30 s when that hook happened to run first (CI,
        // SecretsTest and KafkaStoreOwnershipIT: "did not stop within 30 s of SIGTERM").
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        this.targets = PollTargets.of(config);
        boolean grouped = backfill == null && grouped(config);
        ShardTransactions transactions = config.exactlyOnce() || grouped ? new ShardTransactions(config.kafka()) : null;
        this.transactions = transactions;
        // At-least-once by one exporter publishes through camel-kafka, in the poll route's publish-kafka route.
        boolean camelKafka = config.sink() == SinkKind.KAFKA && transactions == null;
        EventSink chosen = Outputs.sink(config, transactions, camelKafka, this::camelContext, clock, backfill);
        this.sinkHealth = new OutputHealth("sink", Outputs.describe(config, chosen));
        this.storeHealth = new OutputHealth("checkpoint-store", Outputs.describeStore(config));
        this.sink = new MonitoredSink(chosen, sinkHealth);
        this.kafkaStore = backfill == null && config.checkpointStore() == StoreKind.KAFKA
                ? new KafkaCheckpointStore(config.kafka(), transactions)
                : null;
        this.store = new MonitoredCheckpointStore(
                decorateStore.apply(
                        backfill != null
                                ? Outputs.backfillStore(config, backfill)
                                : kafkaStore != null ? kafkaStore : Outputs.fileStore(config.checkpointDir())),
                storeHealth);
        this.scheduler = new PollScheduler(
                targets, clock, config.retry(), config.pollThreads() + RouteProperties.pollQueueSize(config));
        bind("scheduler", scheduler);
        RequestRateLimiter rateLimiter = new RequestRateLimiter();
        this.config = config;
        this.metricsEndpoint = new MetricsEndpoint(config, this::bind);
        this.metrics = new ExporterMetrics(metricsEndpoint.registry(), clock, config.taskDurationByFunction());
        GroupHealth group = grouped ? new GroupHealth(config.kafka(), kafkaStore) : null;
        HealthChecks.register(config, scheduler, List.of(sinkHealth, storeHealth), group, metrics, this::bind);
        this.statusReport = new StatusReport(
                config.sources().stream().map(SourceConfig::name).toList(),
                List.of(sinkHealth, storeHealth),
                scheduler,
                metrics,
                clock,
                group != null ? group::status : () -> null);
        this.alerts = config.alerts().webhooks().isEmpty() || backfill != null
                ? null
                : new AlertDispatcher(config.alerts(), clock, metrics.registry());
        Poller poller = new Poller(
                this.store,
                sink,
                scheduler,
                rateLimiter,
                stats,
                clock,
                config.commit(),
                metrics,
                alerts == null ? changes -> {} : alerts,
                backfill);
        bind("poller", poller);
        this.handover = grouped
                ? new ShardHandover(config.kafka().group(), scheduler, poller::forget, metrics, rateLimiter)
                : null;
        if (handover != null) {
            scheduler.pollOnly(handover.owned());
            handover.shareRateLimits(); // no shard yet: a request a second per account, for discovery
        }
        bind("eventSink", sink);
        if (camelKafka) {
            Outputs.bindCamelKafka(config, sinkHealth, this::bind);
        }
        bind("signedHeaderFilter", new SignedHeaderFilter());
        bind(
                "discoverer",
                new Discoverer(PollTargets.discovering(config), scheduler, rateLimiter, stats, metrics, clock));
        routes.setProperties(config, camelKafka);
    }

    private void bind(String name, Object bean) {
        routes.bind(name, bean);
    }

    /**
     * The named beans the routes call ({@code poller}, {@code eventSink}, …), for running the routes in another
     * Camel Main: the route tests' {@code CamelMainTestSupport}. See {@link #runRoutesIn}.
     */
    public Map<String, Object> beans() {
        return routes.beans();
    }

    /** The properties the routes read ({@code {{exporter.poll-threads}}}, …) and the configuration's camel.* keys. */
    public Properties routeProperties() {
        return routes.properties();
    }

    /**
     * The routes and {@link #beans} run in {@code context} instead of this app's own Camel Main, which is then
     * never started: the beans that send to an endpoint (the Camel sink, a failed poll's salvage) send there.
     */
    public void runRoutesIn(CamelContext context) {
        this.hostContext = context;
    }

    private static boolean grouped(ExporterConfig config) {
        return config.checkpointStore() == StoreKind.KAFKA
                && config.kafka().group().grouped();
    }

    /**
     * Waits until every partition of a backfill has scanned to the end of its window, or every one left
     * failed with an error that needs a fix (see {@link #failedPartitions}), or the timeout passed.
     *
     * @return true when every partition is done
     */
    public boolean awaitBackfill(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<PartitionKey> left = scheduler.polled();
            if (left.isEmpty()) {
                return true;
            }
            if (System.nanoTime() > deadline
                    || scheduler.failedPartitions().keySet().containsAll(left)) {
                return false;
            }
            Thread.sleep(100);
        }
    }

    /** Partitions whose last poll failed with an error that needs a fix, and why (credentials masked by the caller). */
    public Map<PartitionKey, String> failedPartitions() {
        return scheduler.failedPartitions();
    }

    public void start() throws Exception {
        if (kafkaStore != null) {
            // One owner per store: a second exporter on the same checkpoint topic is refused here.
            kafkaStore.claim(handover != null ? handover : CheckpointLease.Listener.NONE);
        }
        metricsEndpoint.start(main::getCamelContext, statusReport);
        try {
            main.start();
        } catch (Exception | Error e) {
            metricsEndpoint.close();
            throw e;
        }
        started = true;
    }

    /**
     * For the demo, which should run anywhere: when the configured metrics port is taken at the moment
     * of binding (no check beforehand, which another process could beat), listen on any free port
     * instead; {@link #metricsPort} tells which.
     */
    public void fallBackToAnyFreeMetricsPort() {
        metricsEndpoint.fallBackToAnyFreePort();
    }

    /**
     * Runs until the JVM is asked to stop (SIGTERM / Ctrl-C), then shuts down gracefully. The stop runs in
     * our own shutdown hook, because the JVM does not wait for the main thread: polls in flight finish
     * their page, the sink and the store are closed, and only then may the JVM go.
     */
    public void runUntilStopped() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                close();
                            } finally {
                                closed.countDown();
                            }
                        },
                        "exporter-shutdown"));
        start();
        closed.await();
    }

    /** The running Camel context, for route tests (advice, mock endpoints); null before {@link #start}. */
    public CamelContext camelContext() {
        CamelContext host = hostContext;
        return host != null ? host : main.getCamelContext();
    }

    /** What the events go to, for messages: {@code file sink (data/events)}, {@code Kafka sink (topic … at …)}. */
    public String sinkDescription() {
        return sinkHealth.description();
    }

    public ExporterMetrics metrics() {
        return metrics;
    }

    /** The port the metrics and health server listens on (the one chosen for port 0), or -1 when it does not run. */
    public int metricsPort() {
        return metricsEndpoint.port();
    }

    public PollStats stats() {
        return stats;
    }

    /** How each polled partition's polling goes now (a copy: for status, metrics and benchmarks). */
    public List<PartitionState> partitionStates() {
        return scheduler.states();
    }

    /** The partitions polled now: the listed ones and those discovery found. */
    public List<PartitionKey> partitions() {
        return scheduler.polled();
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        ShutdownStrategy shutdown =
                main.getCamelContext() == null ? null : main.getCamelContext().getShutdownStrategy();
        ConfiguredBeans beans = ConfiguredBeans.of(main.getCamelContext(), config.camelProperties());
        try {
            if (handover != null && kafkaStore != null) {
                kafkaStore.handOverShards();
            }
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Camel did not stop cleanly", e);
        } finally {
            beans.close();
            metricsEndpoint.close();
            if (alerts != null) {
                alerts.close();
            }
            sink.close();
            store.close();
            if (transactions != null) {
                transactions.close();
            }
        }
        StopSummary.log(started, shutdown, stats);
    }
}
