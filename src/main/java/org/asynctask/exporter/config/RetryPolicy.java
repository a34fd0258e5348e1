package org.asynctask.exporter.config;

import java.time.Duration;

/**
 * How failed polls are retried.
 *
 * @param maxBackoff      {@code exporter.retry.max-backoff}: the longest wait before retrying a failed poll,
 *                        and the wait after an error that needs a fix (default 5m)
 * @param breakerFailures {@code exporter.circuit-breaker.failures}: failed polls in a row, over all partitions of
 *                        one source, that open its circuit: the whole source pauses (default 5)
 * @param breakerOpenFor  {@code exporter.circuit-breaker.open-for}: the first pause; it doubles each time the
 *                        trial poll after it fails, up to max-backoff (default 30s)
 */
public record RetryPolicy(Duration maxBackoff, int breakerFailures, Duration breakerOpenFor) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMinutes(5), 5, Duration.ofSeconds(30));
}
