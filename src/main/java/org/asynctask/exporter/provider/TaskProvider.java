package org.asynctask.exporter.provider;

import java.time.Instant;

/**
 * Everything provider-specific, behind one interface: how to ask for a page (built and signed), and
 * how to read the answer into normalized tasks. Implementations are stateless and thread-safe.
 * Adding a provider = one package implementing this + one line in
 * {@link org.asynctask.exporter.app.Providers}.
 */
public interface TaskProvider {

    /** The provider id used in configuration and events, e.g. {@code alibaba-fc3}. */
    String id();

    /** Largest page size the API accepts. */
    int maxPageSize();

    StatusTable statuses();

    /** The signed request for one page of one partition. */
    HttpCall request(SourceConfig source, PartitionKey partition, PageQuery query, Instant now);

    /**
     * Parses a response. For a look-up query the page may hold other tasks sharing the id prefix;
     * the caller keeps the exact match.
     *
     * @throws ProviderException for error answers and unreadable bodies, classified
     */
    Page parse(SourceConfig source, PartitionKey partition, PageQuery query, HttpReply reply);

    /**
     * Whether a window is listed in ascending start order (then a scan's progress is known, and a
     * refused page token restarts it from there). False for an API that lists newest first.
     */
    default boolean scansAscending() {
        return true;
    }

    /**
     * Whether a window can also be filtered by end time ({@link PageQuery#endedBetween}): then the ends of
     * long-running tasks are found by one listing per poll instead of by status checks in turns.
     */
    default boolean listsByEndTime() {
        return false;
    }

    /** Requests per second per credential when the source sets none (0: no limit). */
    default int defaultRateLimit() {
        return 0;
    }

    /** What its sources may and must configure (see {@link SourceRules}); providers with keys of their own add them. */
    default SourceRules sourceRules() {
        return SourceRules.of(maxPageSize(), listsByEndTime());
    }

    /** How to find the functions to poll, or null when this provider's sources must list them. */
    default FunctionDiscovery discovery() {
        return null;
    }
}
