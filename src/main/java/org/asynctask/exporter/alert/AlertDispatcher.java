package org.asynctask.exporter.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.asynctask.exporter.secret.Redaction;
import org.asynctask.exporter.task.StatusChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the events whose status is an alert status to every configured webhook, after they were
 * delivered to the main sink and checkpointed ({@link #accept} is called then). It never blocks or fails
 * the caller: each webhook has its own queue and thread, retries with back-off, and drops (logging and
 * counting) only when its queue is full or it kept failing for {@link AlertSettings#giveUpAfter()}.
 *
 * <p>An event id is alerted once within the dedup window (a crash replays events with the same ids). A
 * function gets at most {@link AlertSettings#maxPerFunction()} alerts per window; the ones held back are
 * counted and reported in one summary message per function when the window ends.
 */
public final class AlertDispatcher implements Consumer<List<StatusChange>>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);
    private static final int MAX_REMEMBERED_IDS = 100_000;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofMinutes(1);

    private final AlertSettings settings;
    private final Clock clock;
    private final MeterRegistry registry;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Sender> senders;
    /** Event id → when it was alerted, oldest first. */
    private final LinkedHashMap<String, Long> alerted = new LinkedHashMap<>();

    private final Map<String, Budget> budgets = new HashMap<>();
    private final ScheduledExecutorService summaries =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "alert-summaries"));

    /** One function's rate-limit window. */
    private static final class Budget {
        long windowStartMs;
        int sent;
        final Map<String, Integer> heldBack = new TreeMap<>();
    }

    public AlertDispatcher(AlertSettings settings, Clock clock, MeterRegistry registry) {
        this.settings = settings;
        this.clock = clock;
        this.registry = registry;
        this.senders = settings.webhooks().stream().map(Sender::new).toList();
        senders.forEach(s -> s.thread.start());
        summaries.scheduleWithFixedDelay(this::sendDueSummaries, 1, 1, TimeUnit.SECONDS);
    }

    /** Events made durable: the ones in an alert status go out. Never blocks, never throws. */
    @Override
    public void accept(List<StatusChange> delivered) {
        for (StatusChange change : delivered) {
            if (!settings.statuses().contains(change.task().status()) || !admit(change)) {
                continue;
            }
            AlertMessage message = AlertMessage.of(change);
            senders.forEach(s -> s.offer(message));
        }
    }

    /** Not alerted within the dedup window, and within its function's budget. */
    private synchronized boolean admit(StatusChange change) {
        long now = clock.millis();
        for (Iterator<Long> it = alerted.values().iterator(); it.hasNext(); ) {
            long at = it.next();
            if (now - at <= settings.dedupWindow().toMillis() && alerted.size() <= MAX_REMEMBERED_IDS) {
                break;
            }
            it.remove();
        }
        if (alerted.containsKey(change.eventId())) {
            count("duplicate");
            return false;
        }
        alerted.put(change.eventId(), now);
        Budget b = budgets.computeIfAbsent(AlertMessage.functionOf(change.task()), f -> new Budget());
        if (b.sent == 0 && b.heldBack.isEmpty()
                || now - b.windowStartMs >= settings.window().toMillis()) {
            b.windowStartMs = now;
            b.sent = 0;
        }
        if (b.sent < settings.maxPerFunction()) {
            b.sent++;
            return true;
        }
        b.heldBack.merge(change.task().status().name(), 1, Integer::sum);
        count("rate_limited");
        return false;
    }

    /** One summary per function whose window ended with alerts held back. */
    private void sendDueSummaries() {
        List<AlertMessage> due = new ArrayList<>();
        synchronized (this) {
            long now = clock.millis();
            budgets.forEach((function, b) -> {
                if (!b.heldBack.isEmpty()
                        && now - b.windowStartMs >= settings.window().toMillis()) {
                    due.add(AlertMessage.suppressed(
                            function,
                            Map.copyOf(b.heldBack),
                            Instant.ofEpochMilli(b.windowStartMs),
                            settings.window()));
                    b.heldBack.clear();
                    b.sent = 0;
                }
            });
            budgets.values()
                    .removeIf(b -> b.heldBack.isEmpty()
                            && now - b.windowStartMs >= settings.window().toMillis());
        }
        due.forEach(m -> senders.forEach(s -> s.offer(m)));
    }

    private void count(String outcome) {
        Counter.builder("asynctask_exporter_alerts_held_back")
                .description("Alerts not sent: duplicate event ids, or over the per-function rate limit")
                .tag("reason", outcome)
                .register(registry)
                .increment();
    }

    /** Gives queued alerts a few seconds to go out, then stops. */
    @Override
    public void close() {
        summaries.shutdownNow();
        senders.forEach(Sender::stop);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One webhook's queue and the thread that empties it. */
    private final class Sender {
        final Webhook hook;
        final BlockingQueue<AlertMessage> queue;
        final Thread thread;
        volatile boolean stopping;
        long lastFullWarningMs;

        Sender(Webhook hook) {
            this.hook = hook;
            this.queue = new ArrayBlockingQueue<>(settings.queueSize());
            this.thread = daemon(this::run, "alert-" + hook.name());
        }

        void offer(AlertMessage m) {
            if (!queue.offer(m)) {
                outcome("dropped_queue_full");
                long now = System.currentTimeMillis();
                if (now - lastFullWarningMs > 60_000) {
                    lastFullWarningMs = now;
                    LOG.warn(
                            "webhook '{}': {} alerts wait already; dropping new ones until it catches up",
                            hook.name(),
                            queue.size());
                }
            }
        }

        void run() {
            try {
                while (!stopping || !queue.isEmpty()) {
                    AlertMessage m = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (m != null) {
                        deliver(m);
                    }
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }

        /** Tries until the service accepts it or {@code giveUpAfter} passed, waiting 1 s, 2 s … 60 s between tries. */
        void deliver(AlertMessage m) throws InterruptedException {
            long giveUpAt = System.nanoTime() + settings.giveUpAfter().toNanos();
            Duration wait = FIRST_RETRY;
            for (int attempt = 1; ; attempt++) {
                String problem;
                try {
                    HttpResponse<String> response = http.send(
                            hook.format().request(hook, m, clock.millis()), HttpResponse.BodyHandlers.ofString());
                    problem = hook.format().rejection(response.statusCode(), response.body());
                } catch (IOException e) {
                    problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                }
                if (problem == null) {
                    outcome("sent");
                    if (attempt > 1) {
                        LOG.info("webhook '{}': delivered '{}' after {} tries", hook.name(), m.title(), attempt);
                    }
                    return;
                }
                outcome("failed_attempt");
                if (System.nanoTime() + wait.toNanos() > giveUpAt || stopping) {
                    outcome("dropped_gave_up");
                    LOG.error(
                            "webhook '{}': gave up on '{}' after {} tries: {}",
                            hook.name(),
                            m.title(),
                            attempt,
                            Redaction.scrub(problem));
                    return;
                }
                LOG.warn(
                        "webhook '{}': try {} of '{}' failed ({}); trying again in {} s",
                        hook.name(),
                        attempt,
                        m.title(),
                        Redaction.scrub(problem),
                        wait.toSeconds());
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
            }
        }

        void outcome(String outcome) {
            Counter.builder("asynctask_exporter_alerts")
                    .description("Webhook alert deliveries by outcome")
                    .tags("webhook", hook.name(), "format", hook.format().id(), "outcome", outcome)
                    .register(registry)
                    .increment();
        }

        void stop() {
            stopping = true;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread.interrupt();
        }
    }
}
