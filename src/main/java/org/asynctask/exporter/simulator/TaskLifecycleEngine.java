package org.asynctask.exporter.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The provider-agnostic heart of the simulators: functions whose tasks arrive and move through
 * statuses as time passes, every transition recorded in the ground truth. Time is advanced by a
 * background tick and before every query, so answers always reflect "now". All state is guarded by
 * this engine's monitor; simulators query it inside {@link #read}.
 */
public final class TaskLifecycleEngine implements AutoCloseable {
    private final ConcurrentPolls polls = new ConcurrentPolls();
    private final Clock clock;
    private final TransitionLog truth;
    private final Duration retention;
    private final Map<String, FunctionSim> functions = new LinkedHashMap<>();
    /**
     * Functions by the time something next happens to them (an arrival or a task's next step): an advance
     * touches only the functions that are due, so ten thousand quiet functions cost nothing per request.
     */
    private final PriorityQueue<FunctionSim> byDue = new PriorityQueue<>(Comparator.comparingLong(f -> f.dueMs));

    private long lastForgetMs;
    private boolean arrivalsStopped;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulator-clock");
        t.setDaemon(true);
        return t;
    });

    /** @param retention finished tasks older than this are forgotten, like a provider's record retention */
    public TaskLifecycleEngine(Clock clock, TransitionLog truth, Duration retention) {
        this.clock = clock;
        this.truth = truth;
        this.retention = retention;
    }

    public synchronized FunctionSim addFunction(
            String provider,
            String namespace,
            String name,
            List<String> qualifiers,
            Lifecycle lifecycle,
            SimProfile profile) {
        FunctionSim f = new FunctionSim(provider, namespace, name, qualifiers, lifecycle, profile, clock.millis());
        FunctionSim replaced = functions.put(key(provider, namespace, name), f);
        if (replaced != null) {
            byDue.remove(replaced);
        }
        reschedule(f);
        return f;
    }

    /** Removes a function, as when it is deleted or its async tasks are disabled: it no longer answers. */
    public synchronized void removeFunction(String provider, String namespace, String name) {
        FunctionSim f = functions.remove(key(provider, namespace, name));
        if (f != null) {
            byDue.remove(f);
        }
    }

    /** The functions of a provider, in the order they were added. */
    public synchronized List<FunctionSim> functions(String provider) {
        return functions.values().stream()
                .filter(f -> f.provider.equals(provider))
                .toList();
    }

    public void startTicking() {
        ticker.scheduleAtFixedRate(this::advance, 20, 20, TimeUnit.MILLISECONDS);
    }

    /** Runs a read of the simulated world at the current time, under the engine's lock. */
    /** The list requests being answered per partition (the simulators count them; tests read them). */
    public ConcurrentPolls polls() {
        return polls;
    }

    public synchronized <T> T read(Function<TaskLifecycleEngine, T> query) {
        advance();
        return query.apply(this);
    }

    public synchronized FunctionSim function(String provider, String namespace, String name) {
        return functions.get(key(provider, namespace, name));
    }

    /** Creates arrivals and applies due steps up to now. */
    public synchronized void advance() {
        long now = clock.millis();
        while (!byDue.isEmpty() && byDue.peek().dueMs <= now) {
            FunctionSim f = byDue.poll();
            advance(f, now);
            f.dueMs = nextDue(f);
            byDue.add(f);
        }
        // Forgetting is no hurry: once a second is plenty for a retention of days.
        if (now - lastForgetMs >= 1000) {
            lastForgetMs = now;
            long forgetBefore = now - retention.toMillis();
            for (FunctionSim f : functions.values()) {
                while (!f.tasks.isEmpty()
                        && f.tasks.get(0).finished()
                        && f.tasks.get(0).endMs() < forgetBefore) {
                    f.tasks.remove(0);
                }
            }
        }
        truth.flush();
    }

    private void advance(FunctionSim f, long now) {
        while (!arrivalsStopped && f.nextArrivalMs <= now) {
            arrive(f, f.nextArrivalMs);
            f.nextArrivalMs += f.interArrival();
        }
        while (!f.active.isEmpty() && f.active.peek().nextStepMs() <= now) {
            SimTask task = f.active.poll();
            truth.record(f, task, task.plan.get(task.applied));
            task.applied++;
            if (!task.finished()) {
                f.active.add(task);
            }
        }
    }

    /** When something next happens to the function: its next arrival or the next step of one of its tasks. */
    private long nextDue(FunctionSim f) {
        long due = arrivalsStopped ? Long.MAX_VALUE : f.nextArrivalMs;
        return f.active.isEmpty() ? due : Math.min(due, f.active.peek().nextStepMs());
    }

    /** Its tasks or arrivals changed outside {@link #advance}: its place in the queue moves. */
    private void reschedule(FunctionSim f) {
        byDue.remove(f);
        f.dueMs = nextDue(f);
        byDue.add(f);
    }

    private void arrive(FunctionSim f, long atMs) {
        UUID id = new UUID(f.random.nextLong(), f.random.nextLong());
        String qualifier = f.qualifiers.isEmpty() ? "LATEST" : f.qualifiers.get(f.random.nextInt(f.qualifiers.size()));
        List<SimTask.Step> plan = f.lifecycle.plan(f.random, atMs, f.profile);
        SimTask task = new SimTask(
                f,
                id.toString(),
                "1-" + Long.toHexString(atMs) + "-" + f.sequence++,
                qualifier,
                plan,
                "{\"order\":" + f.sequence + "}");
        f.tasks.add(task);
        f.active.add(task);
    }

    /**
     * Adds tasks that started {@code age} ago and are still running, finishing {@code finishAfter} from
     * now: the ones a poller that only looks at the last hour would never see finish.
     */
    public synchronized void addBackdatedTasks(FunctionSim f, int count, Duration age, Duration finishAfter) {
        long now = clock.millis();
        for (int i = 0; i < count; i++) {
            long start = now - age.toMillis() + i * 1000L;
            long end = now + finishAfter.toMillis() + i * 1000L;
            List<SimTask.Step> plan = List.of(
                    new SimTask.Step(f.lifecycle.arrivalStatus(), start, ""),
                    new SimTask.Step(f.lifecycle.runningStatus(), start + 1000, ""),
                    new SimTask.Step(f.lifecycle.successStatus(), end, ""));
            UUID id = new UUID(f.random.nextLong(), f.random.nextLong());
            SimTask task = new SimTask(
                    f,
                    id.toString(),
                    "1-" + Long.toHexString(start) + "-old" + i,
                    f.qualifiers.isEmpty() ? "LATEST" : f.qualifiers.get(0),
                    plan,
                    "{\"old\":" + i + "}");
            // Keep start-time order: insert before younger tasks.
            int at = 0;
            while (at < f.tasks.size() && f.tasks.get(at).startedMs() <= start) {
                at++;
            }
            f.tasks.add(at, task);
            f.active.add(task);
        }
        reschedule(f);
        advance();
    }

    /**
     * Adds the long-running tasks a function has in a steady state: {@code count} tasks started evenly over
     * the last {@code runTime}, each running for {@code runTime}, so from now on they finish at the rate
     * they started. An exporter that just started sees what one running for hours would.
     */
    public synchronized void addLongRunningTasks(FunctionSim f, int count, Duration runTime) {
        addOlderTasks(f, count, runTime, runTime, "long");
    }

    /**
     * Adds {@code count} tasks that started over the last {@code span} and have all finished: a backlog
     * for benchmarks, listed oldest first like any other.
     */
    public synchronized void addFinishedTasks(FunctionSim f, int count, Duration span) {
        addOlderTasks(f, count, span, Duration.ofMillis(2), "backlog");
    }

    /** {@code count} tasks started evenly over the last {@code span}, each ending {@code runTime} after its start. */
    private void addOlderTasks(FunctionSim f, int count, Duration span, Duration runTime, String kind) {
        long now = clock.millis();
        double step = span.toMillis() / (double) Math.max(1, count);
        List<SimTask> older = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long start = now - span.toMillis() + (long) (i * step);
            List<SimTask.Step> plan = List.of(
                    new SimTask.Step(f.lifecycle.arrivalStatus(), start, ""),
                    new SimTask.Step(f.lifecycle.runningStatus(), start + 1, ""),
                    new SimTask.Step(f.lifecycle.successStatus(), start + runTime.toMillis(), ""));
            UUID id = new UUID(f.random.nextLong(), f.random.nextLong());
            older.add(new SimTask(
                    f,
                    id.toString(),
                    "1-" + Long.toHexString(start) + "-" + kind.charAt(0) + i,
                    f.qualifiers.isEmpty() ? "LATEST" : f.qualifiers.get(0),
                    plan,
                    "{\"" + kind + "\":" + i + "}"));
        }
        // Keep start-time order: they are older than every task of the function so far.
        f.tasks.addAll(0, older);
        f.active.addAll(older);
        reschedule(f);
        advance();
    }

    /** A task of {@code f} arrives right now, out of its usual rhythm (ignored once arrivals are stopped). */
    public synchronized void arriveNow(FunctionSim f) {
        if (!arrivalsStopped) {
            advance();
            arrive(f, clock.millis());
            reschedule(f);
            advance();
        }
    }

    /** No new task arrives from now on; the ones under way still finish. Lets a test reach a quiet end. */
    public synchronized void stopArrivals() {
        advance();
        arrivalsStopped = true;
        // Due times no longer include arrivals.
        functions.values().forEach(this::reschedule);
    }

    /** True when no task is under way and none will arrive. */
    public synchronized boolean quiet() {
        advance();
        return arrivalsStopped && functions.values().stream().allMatch(f -> f.active.isEmpty());
    }

    private static String key(String provider, String namespace, String name) {
        return provider + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        synchronized (this) {
            truth.close();
        }
    }
}
