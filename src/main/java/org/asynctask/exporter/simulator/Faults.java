package org.asynctask.exporter.simulator;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which faults the simulators inject and how often, shared by all of them, and what they injected so
 * far (per provider and kind). Each applicable request draws once per kind, from a seeded random, so
 * a run is repeatable. {@link #clear()} stops all faults, as when an outage ends.
 */
public final class Faults {
    private final Map<FaultKind, Double> rates;
    private final Duration slow;
    private final int retryAfterSeconds;
    private final Random random;
    private volatile boolean active = true;
    private final Map<String, Map<FaultKind, AtomicLong>> injected = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

    public Faults(Map<FaultKind, Double> rates, Duration slow, int retryAfterSeconds, long seed) {
        this.rates = new EnumMap<>(FaultKind.class);
        this.rates.putAll(rates);
        this.slow = slow;
        this.retryAfterSeconds = retryAfterSeconds;
        this.random = new Random(seed);
    }

    public static Faults none() {
        return new Faults(Map.of(), Duration.ZERO, 0, 0);
    }

    /** One kind at {@code rate}; slow answers take {@code slow}. */
    public static Faults only(FaultKind kind, double rate, Duration slow, long seed) {
        return new Faults(Map.of(kind, rate), slow, 1, seed);
    }

    /**
     * Parses {@code simulate --faults}: comma-separated {@code KIND=RATE} (RATE a probability per request),
     * {@code all=RATE} (RATE in total, spread evenly over the kinds; a kind named after it overrides its
     * share), plus {@code slow-ms=N} (how long a slow answer takes, {@link #DEFAULT_SLOW_MS} by default) and
     * {@code retry-after=SECONDS}. Example: {@code all=0.05,throttle=0.1,slow-ms=3000}.
     */
    /**
     * A slow answer by default: within the exporter's default response timeout (30 s), so that a few slow
     * answers delay polls instead of holding every poll thread until it times out. A slow-ms above
     * {@code exporter.http.response-timeout} tests the timeout.
     */
    public static final long DEFAULT_SLOW_MS = 3_000;

    public static Faults parse(String spec, long seed) {
        Map<FaultKind, Double> rates = new EnumMap<>(FaultKind.class);
        long slowMs = DEFAULT_SLOW_MS;
        int retryAfter = 1;
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("--faults: '" + part.trim() + "' is not KIND=VALUE");
            }
            String key = kv[0].trim();
            String value = kv[1].trim();
            try {
                switch (key) {
                    case "slow-ms" -> slowMs = Long.parseLong(value);
                    case "retry-after" -> retryAfter = Integer.parseInt(value);
                    case "all" -> {
                        // P in total, not P per kind: nine draws of P each would fail about 1 - (1 - P)^9 of the
                        // requests.
                        double share = rate(value) / FaultKind.values().length;
                        for (FaultKind k : FaultKind.values()) {
                            rates.put(k, share);
                        }
                    }
                    default -> rates.put(FaultKind.of(key), rate(value));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--faults: '" + value + "' is not a number (in " + part.trim() + ")");
            }
        }
        return new Faults(rates, Duration.ofMillis(slowMs), retryAfter, seed);
    }

    private static double rate(String v) {
        double r = Double.parseDouble(v);
        if (r < 0 || r > 1) {
            throw new IllegalArgumentException("--faults: a rate is a probability in [0,1], got " + v);
        }
        return r;
    }

    /** Whether to inject {@code kind} into this request of {@code provider}; counted when it does. */
    boolean roll(String provider, FaultKind kind) {
        double rate = rates.getOrDefault(kind, 0.0);
        if (!active || rate <= 0) {
            return false;
        }
        boolean hit;
        synchronized (random) {
            hit = random.nextDouble() < rate;
        }
        if (hit) {
            injected.computeIfAbsent(provider, p -> new ConcurrentHashMap<>())
                    .computeIfAbsent(kind, k -> new AtomicLong())
                    .incrementAndGet();
        }
        return hit;
    }

    /** The first wire fault drawn for this request, or null. Counts the request. */
    FaultKind wireFault(String provider) {
        requests.computeIfAbsent(provider, p -> new AtomicLong()).incrementAndGet();
        for (FaultKind k : FaultKind.values()) {
            if (k.wire && roll(provider, k)) {
                return k;
            }
        }
        return null;
    }

    Duration slow() {
        return slow;
    }

    int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Ends every fault from now on. */
    public void clear() {
        active = false;
    }

    public boolean active() {
        return active;
    }

    /** Requests the simulator of this provider received so far, faulty or not (for benchmarks). */
    public long requests(String provider) {
        AtomicLong n = requests.get(provider);
        return n == null ? 0 : n.get();
    }

    /** Requests all simulators received so far. */
    public long requests() {
        return requests.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long injected(String provider, FaultKind kind) {
        AtomicLong n = injected.getOrDefault(provider, Map.of()).get(kind);
        return n == null ? 0 : n.get();
    }

    /** provider → fault id → count, for reports. */
    public Map<String, Map<String, Long>> report() {
        Map<String, Map<String, Long>> r = new LinkedHashMap<>();
        injected.forEach((p, kinds) -> {
            Map<String, Long> m = new LinkedHashMap<>();
            kinds.forEach((k, n) -> m.put(k.id(), n.get()));
            r.put(p, m);
        });
        return r;
    }
}
