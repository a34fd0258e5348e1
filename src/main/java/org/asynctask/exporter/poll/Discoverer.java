package org.asynctask.exporter.poll;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.asynctask.exporter.metrics.ExporterMetrics;
import org.asynctask.exporter.provider.FunctionDiscovery;
import org.asynctask.exporter.provider.FunctionRef;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.TaskProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the discovery route ({@code routes/discover.camel.yaml}): for each source with
 * {@code discover=true}, at start and every discovery interval, list the provider's functions page by
 * page, keep those the include/exclude patterns accept, and hand them to the scheduler, which starts
 * polling new ones and stops polling gone ones. A failed discovery changes nothing and is retried.
 */
public final class Discoverer {
    private final ExporterMetrics metrics;
    public static final String RUN = "discoveryRun";
    private static final Logger LOG = LoggerFactory.getLogger(Discoverer.class);
    private static final Duration RETRY = Duration.ofSeconds(30);
    private static final int MAX_PAGES = 1000;

    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final PollScheduler scheduler;
    private final RequestRateLimiter rateLimiter;
    private final PollStats stats;
    private final Clock clock;

    private static final class Source {
        final SourceConfig config;
        final TaskProvider provider;
        long dueMs;
        boolean inFlight;

        Source(SourceConfig config, TaskProvider provider, long dueMs) {
            this.config = config;
            this.provider = provider;
            this.dueMs = dueMs;
        }
    }

    /** One discovery of one source in progress. */
    static final class Run {
        final Source source;
        final List<FunctionRef> found = new ArrayList<>();
        String token;
        int pages;
        boolean done;

        Run(Source source) {
            this.source = source;
        }
    }

    /** @param discovering sources with discovery enabled, each with its provider */
    public Discoverer(
            Map<SourceConfig, TaskProvider> discovering,
            PollScheduler scheduler,
            RequestRateLimiter rateLimiter,
            PollStats stats,
            ExporterMetrics metrics,
            Clock clock) {
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
        discovering.forEach(
                (config, provider) -> sources.put(config.name(), new Source(config, provider, clock.millis())));
        this.scheduler = scheduler;
        this.stats = stats;
        this.clock = clock;
    }

    /** Sources whose discovery is due, marked in flight. */
    public synchronized List<String> due() {
        long now = clock.millis();
        List<String> due = new ArrayList<>();
        sources.values().forEach(s -> {
            if (!s.inFlight && s.dueMs <= now) {
                s.inFlight = true;
                due.add(s.config.name());
            }
        });
        return due;
    }

    public void begin(Exchange exchange) {
        exchange.setProperty(RUN, new Run(sources.get(exchange.getMessage().getBody(String.class))));
    }

    public boolean hasNextRequest(Exchange exchange) {
        return !run(exchange).done;
    }

    public void prepareRequest(Exchange exchange) throws InterruptedException {
        Run r = run(exchange);
        rateLimiter.acquire(r.source.config.rateLimitKey(), Poller.rateLimit(r.source.config, r.source.provider));
        ProviderCalls.prepare(exchange, discovery(r).request(r.source.config, r.token, clock.instant()));
        stats.apiCalls.incrementAndGet();
    }

    public void readResponse(Exchange exchange) {
        Run r = run(exchange);
        FunctionDiscovery.FunctionPage page =
                discovery(r).parse(r.source.config, r.token, ProviderCalls.reply(exchange));
        r.found.addAll(page.functions());
        r.token = page.nextToken();
        r.pages++;
        r.done = r.token == null || r.pages >= MAX_PAGES;
    }

    public void finish(Exchange exchange) {
        Run r = run(exchange);
        SourceConfig s = r.source.config;
        List<PollTarget> targets = new ArrayList<>();
        for (FunctionRef f : r.found) {
            if (s.discovery().accepts(f)) {
                targets.add(new PollTarget(
                        new PartitionKey(
                                r.source.provider.id(),
                                s.name(),
                                s.account(),
                                s.region(),
                                f.namespace(),
                                f.name(),
                                f.qualifier()),
                        s,
                        r.source.provider));
            }
        }
        PollScheduler.Change change = scheduler.replaceDiscovered(s.name(), targets);
        metrics.discovery(s.name(), change.added().size(), change.removed().size());
        change.removed().forEach(metrics::forget);
        if (!change.added().isEmpty() || !change.removed().isEmpty()) {
            // Group mode: an account's limit is shared by its partitions' holders, and its partitions changed.
            rateLimiter.share(scheduler.ownedShareByRateLimitKey());
            LOG.info(
                    "{}: discovery found {} function(s); polling {} new: {}; stopped polling {}: {}",
                    s.name(),
                    r.found.size(),
                    change.added().size(),
                    change.added(),
                    change.removed().size(),
                    change.removed());
        }
        done(r.source, s.discovery().interval());
    }

    public void failed(Exchange exchange) {
        Run r = run(exchange);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Duration wait = r.source.config.discovery().interval().compareTo(RETRY) < 0
                ? r.source.config.discovery().interval()
                : RETRY;
        // The error as text, one line: given as the last argument, SLF4J would take it for the exception,
        // print its stack trace and leave the last {} unfilled.
        LOG.warn(
                "{}: function discovery failed, keeping the functions found before, retrying in {} s: {}",
                r.source.config.name(),
                wait.toSeconds(),
                String.valueOf(error));
        done(r.source, wait);
    }

    private synchronized void done(Source s, Duration wait) {
        s.inFlight = false;
        s.dueMs = clock.millis() + wait.toMillis();
    }

    private static FunctionDiscovery discovery(Run r) {
        return r.source.provider.discovery();
    }

    private static Run run(Exchange exchange) {
        return exchange.getProperty(RUN, Run.class);
    }
}
