package org.asynctask.exporter.poll;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.camel.Exchange;
import org.asynctask.exporter.checkpoint.Checkpoint;
import org.asynctask.exporter.checkpoint.CheckpointStore;
import org.asynctask.exporter.config.CommitPolicy;
import org.asynctask.exporter.metrics.ExporterMetrics;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.ProviderException;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.TaskProvider;
import org.asynctask.exporter.sink.EventSink;
import org.asynctask.exporter.task.ChangeDetector;
import org.asynctask.exporter.task.StatusChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the poll route ({@code routes/poll.camel.yaml}), one method per step. It adapts
 * Camel exchanges to {@link PollCycle}, which holds the logic. The cycle of the exchange in flight
 * lives in the exchange property {@value #CYCLE}.
 */
public final class Poller {
    public static final String CYCLE = "pollCycle";
    /** The exchange property with the polled partition, for the publish step ({@code EventSink.publish(partition, …)}). */
    public static final String PARTITION = "polledPartition";

    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    private final EventSink sink;
    private final RequestRateLimiter rateLimiter;
    private final PollScheduler scheduler;
    private final PollStats stats;
    private final Clock clock;
    private final CommitPolicy commitPolicy;
    private final ExporterMetrics metrics;
    private final PollLog log;
    private final CommittedCheckpoints committed;

    /** Told of every batch once delivered and checkpointed (webhook alerts); must not block. */
    private final Consumer<List<StatusChange>> afterCommit;

    /** Null for the live exporter. */
    private final BackfillWindow backfill;

    public Poller(
            CheckpointStore store,
            EventSink sink,
            PollScheduler scheduler,
            RequestRateLimiter rateLimiter,
            PollStats stats,
            Clock clock,
            CommitPolicy commitPolicy,
            ExporterMetrics metrics,
            Consumer<List<StatusChange>> afterCommit,
            BackfillWindow backfill) {
        this.afterCommit = afterCommit;
        this.backfill = backfill;
        this.commitPolicy = commitPolicy;
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
        this.sink = sink;
        this.scheduler = scheduler;
        this.stats = stats;
        this.clock = clock;
        this.log = new PollLog(stats, new SourceProgress(scheduler::polled));
        this.committed = new CommittedCheckpoints(store, clock, backfill);
    }

    /**
     * Binds one running poll to the route's exchange.
     *
     * @param deferredNanos the poll did not start: its account's rate limit has no request left for this
     *                      long (0: it started)
     */
    record Running(PollTarget target, PollCycle cycle, long startedNanos, long deferredNanos, boolean notOwned) {
        Running(PollTarget target, PollCycle cycle, long startedNanos) {
            this(target, cycle, startedNanos, 0, false);
        }

        boolean started() {
            return deferredNanos == 0 && !notOwned;
        }
    }

    public void begin(Exchange exchange) {
        PollTarget target = exchange.getMessage().getBody(PollTarget.class);
        // Set first, so that a failure to load still reaches failed() with its target.
        exchange.setProperty(CYCLE, new Running(target, null, System.nanoTime()));
        exchange.setProperty(PARTITION, target.key());
        if (!scheduler.owns(target.key())) {
            // Queued before its shard went to another member (group mode): that member polls it now.
            exchange.setProperty(CYCLE, new Running(target, null, System.nanoTime(), 0, true));
            return;
        }
        // A poll starts only with a request at hand: one whose account's limit is used up would hold a poll
        // thread until a request fits, and enough of them hold every thread, starving the other sources.
        long wait = rateLimiter.nanosUntilFree(
                target.source().rateLimitKey(), rateLimit(target.source(), target.provider()));
        if (wait > 0) {
            exchange.setProperty(CYCLE, new Running(target, null, System.nanoTime(), wait, false));
            return;
        }
        Checkpoint checkpoint = committed.load(target);
        // A backfill's "now" stops at the end of its window: no scan lists past it.
        Instant now = backfill != null && clock.instant().isAfter(backfill.to()) ? backfill.to() : clock.instant();
        PollCycle cycle = new PollCycle(
                checkpoint,
                target.source().scan(),
                commitPolicy,
                target.source().pageSize(),
                new ChangeDetector(target.provider().statuses()::normalize),
                now,
                target.provider().scansAscending(),
                target.provider().listsByEndTime());
        exchange.setProperty(CYCLE, new Running(target, cycle, System.nanoTime()));
    }

    /**
     * While Camel shuts down (SIGTERM), a poll stops after the page in hand: that page was delivered and
     * committed, nothing else was fetched, so the graceful stop is quick and saves only what was delivered.
     */
    public boolean hasNextRequest(Exchange exchange) {
        Running r = running(exchange);
        return r.started() && !exchange.getContext().isStopping() && r.cycle().hasNextRequest();
    }

    /** Waits, if it must, until the account's request rate limit lets the next request go (shared by its sources). */
    public void takeRequestPermit(Exchange exchange) throws InterruptedException {
        Running r = running(exchange);
        long waited = rateLimiter.acquire(
                r.target().source().rateLimitKey(),
                rateLimit(r.target().source(), r.target().provider()));
        if (waited > 0) {
            metrics.rateLimitWait(r.target().key(), waited);
        }
    }

    /** Replaces every message header by the signed request's, for camel-http to send. */
    public void prepareRequest(Exchange exchange) {
        Running r = running(exchange);
        PageQuery query = r.cycle().nextQuery();
        ProviderCalls.prepare(
                exchange,
                r.target().provider().request(r.target().source(), r.target().key(), query, clock.instant()));
        stats.apiCalls.incrementAndGet();
    }

    /** Parses the provider's answer into the changes to publish (the new message body). */
    public List<StatusChange> readResponse(Exchange exchange) {
        Running r = running(exchange);
        HttpReply reply = ProviderCalls.reply(exchange);
        try {
            Page page = r.target()
                    .provider()
                    .parse(r.target().source(), r.target().key(), r.cycle().pendingQuery(), reply);
            metrics.apiCall(r.target().key(), "ok", "");
            if (!r.cycle().pendingQuery().isLookup()) {
                metrics.page(r.target().key());
            }
            return r.cycle().accept(page);
        } catch (ProviderException refused) {
            ProviderException e = refused.withRetryAfter(reply.retryAfter());
            metrics.apiCall(r.target().key(), e.kind().name().toLowerCase(Locale.ROOT), e.code());
            if (e.kind() == ProviderException.Kind.INVALID_PAGE_TOKEN
                    && r.cycle().restartScan()) {
                LOG.warn(
                        "{}: page token refused ({}); scanning the window again from its first page",
                        r.target(),
                        e.getMessage());
                // The batch may be due now: its earlier pages must be published before commit() applies them.
                return r.cycle().dueChanges();
            }
            throw e;
        }
    }

    /** The sink has made the changes of the batch durable: save the checkpoint that covers them. */
    public void commit(Exchange exchange) {
        Running r = running(exchange);
        Checkpoint checkpoint = r.cycle().commit();
        if (checkpoint != null) {
            committed.save(r.target().key(), r.cycle().forStore(checkpoint), checkpoint);
            r.cycle().saved();
        }
        metrics.published(r.cycle().lastCommitted());
        afterCommit.accept(r.cycle().lastCommitted());
    }

    public void finish(Exchange exchange) {
        Running r = running(exchange);
        if (r.notOwned()) {
            // Not polled: back to the scheduler, which hands it out again only once this exporter owns it.
            scheduler.handOffFailed(r.target());
            return;
        }
        if (r.deferredNanos() > 0) {
            metrics.rateLimitDeferred(r.target().key());
            scheduler.deferred(r.target(), Duration.ofNanos(r.deferredNanos()));
            return;
        }
        CycleReport report = r.cycle().report();
        stats.polls.incrementAndGet();
        stats.events.addAndGet(report.events);
        stats.lookups.addAndGet(report.lookups);
        if (!report.dropped.isEmpty()) {
            stats.droppedOpenTasks.addAndGet(report.dropped.size());
            log.dropped(r.target(), report.dropped);
        }
        boolean stillPolled = scheduler.succeeded(r.target(), report.moreToFetch);
        if (backfill != null && report.scannedToMs >= backfill.to().toEpochMilli()) {
            scheduler.finish(r.target().key());
            LOG.info("{}: backfill of {} .. {} done", r.target(), backfill.from(), backfill.to());
        }
        Checkpoint state = r.cycle().checkpoint();
        committed.keep(r.target().key(), state);
        long tookNanos = System.nanoTime() - r.startedNanos();
        long open = stillPolled
                ? metrics.pollSucceeded(r.target().key(), Duration.ofNanos(tookNanos), state, report.scannedToMs)
                : 0;
        log.succeeded(r.target(), report, open, tookNanos, state.watermarkMs(), clock.millis());
    }

    /**
     * Drops the checkpoints kept in memory of partitions that moved to another member (group mode): should
     * they come back, their polls start from the store, where the other member left them.
     */
    public void forget(Predicate<PartitionKey> moved) {
        committed.forget(moved);
    }

    /** Any failure of the poll: nothing after the last commit counts; the partition retries later. */
    public void failed(Exchange exchange) {
        Running r = running(exchange);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        boolean fromProvider = error instanceof ProviderException || error instanceof IOException;
        if (fromProvider && r.cycle() != null && r.cycle().hasUncommitted()) {
            salvage(exchange, r);
        }
        committed.drop(r.target().key());
        sink.abandon();
        stats.polls.incrementAndGet();
        stats.failedPolls.incrementAndGet();
        boolean retriable = !(error instanceof ProviderException pe) || pe.retriable();
        if (error instanceof IOException) {
            metrics.apiCall(r.target().key(), "network_error", error.getClass().getSimpleName());
        }
        metrics.pollFailed(r.target().key(), retriable);
        if (r.cycle() != null) {
            stats.events.addAndGet(r.cycle().report().events);
        }
        boolean progressed = r.cycle() != null && r.cycle().report().progressed();
        String reason = error == null ? "unknown error" : error.getClass().getSimpleName() + ": " + error.getMessage();
        Duration retryAfter = error instanceof ProviderException pe ? pe.retryAfter() : null;
        Duration wait = scheduler.failed(
                r.target(), new PollScheduler.Failure(retriable, progressed, retryAfter, reason, fromProvider));
        metrics.backoff(r.target().key(), wait, retryAfter != null);
        log.failed(r.target(), r.cycle() == null ? null : r.cycle().report(), retriable, wait, reason, clock.millis());
    }

    /** The provider failed mid-batch: deliver and commit the pages accepted before, then give up as usual. */
    private void salvage(Exchange exchange, Running r) {
        try {
            sink.publish(r.target().key(), r.cycle().salvage());
            commit(exchange);
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}: could not deliver the pages fetched before the failure; they are fetched again: {}",
                    r.target(),
                    e.toString());
        }
    }

    static int rateLimit(SourceConfig source, TaskProvider provider) {
        return source.rateLimit() >= 0 ? source.rateLimit() : provider.defaultRateLimit();
    }

    private static Running running(Exchange exchange) {
        return exchange.getProperty(CYCLE, Running.class);
    }
}
