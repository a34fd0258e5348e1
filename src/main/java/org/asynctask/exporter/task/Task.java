package org.asynctask.exporter.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One async task as every provider is normalized to (schema v1, see docs/events.md).
 * From the moment a {@code Task} exists, code is provider-agnostic.
 *
 * @param statusTime when the current status began, if the provider says so (FC task events; the end
 *                   time of a final status); null otherwise. It feeds the event id and time, so it must
 *                   be a provider fact, never an observation time (a replay must produce identical events).
 * @param history    the transitions the provider records for the task (FC {@code events}), oldest first;
 *                   null when it records none. Not part of the published task: each becomes an event.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Task(
        String provider,
        String source,
        String account,
        String region,
        String namespace,
        String function,
        String qualifier,
        String taskId,
        String requestId,
        TaskStatus status,
        String providerStatus,
        boolean terminal,
        Instant startedAt,
        Instant endedAt,
        Long durationMs,
        Instant statusTime,
        Long retries,
        String errorCode,
        String errorMessage,
        String destinationStatus,
        String invokeType,
        String instanceId,
        String payload,
        String result,
        @JsonIgnore List<HistoryEntry> history) {

    /**
     * The key that identifies this task across partitions, restarts and event replays: every event of
     * one task carries it (Kafka record key; input of the event id). The qualifier is left out on
     * purpose: one task id belongs to one function, whichever alias it was listed under.
     */
    public String taskKey() {
        return String.join("/", provider, account, region, orDash(namespace), function, taskId);
    }

    /**
     * The task as of one of its transitions: what stays true for its whole life (where it lives, its ids,
     * its start, its input), the transition's status and provider time, and for a final status how it
     * ended. What changes while it runs (retries so far, the instance, an error) is left out of earlier
     * transitions, so the event of a transition is the same whenever, and by whichever path, it is
     * published.
     */
    public Task asOf(TaskStatus status, String providerStatus, Instant statusTime) {
        boolean ended = status.terminal();
        return new Task(
                provider,
                source,
                account,
                region,
                namespace,
                function,
                qualifier,
                taskId,
                requestId,
                status,
                providerStatus,
                ended,
                startedAt,
                ended ? endedAt : null,
                ended ? durationMs : null,
                statusTime,
                ended ? retries : null,
                ended ? errorCode : null,
                ended ? errorMessage : null,
                ended ? destinationStatus : null,
                invokeType,
                ended ? instanceId : null,
                payload,
                ended ? result : null,
                null);
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mappers fill a task field by field; the record stays immutable. */
    public static final class Builder {
        private String provider, source, account, region, namespace, function, qualifier;
        private String taskId, requestId, providerStatus;
        private TaskStatus status = TaskStatus.UNKNOWN;
        private Instant startedAt, endedAt, statusTime;
        private Long durationMs, retries;
        private String errorCode, errorMessage, destinationStatus, invokeType, instanceId, payload, result;
        private List<HistoryEntry> history;

        public Builder location(
                String provider,
                String source,
                String account,
                String region,
                String namespace,
                String function,
                String qualifier) {
            this.provider = provider;
            this.source = source;
            this.account = account;
            this.region = region;
            this.namespace = namespace;
            this.function = function;
            this.qualifier = qualifier;
            return this;
        }

        public Builder qualifier(String v) {
            this.qualifier = v;
            return this;
        }

        public Builder taskId(String v) {
            this.taskId = v;
            return this;
        }

        public Builder requestId(String v) {
            this.requestId = v;
            return this;
        }

        public Builder status(TaskStatus normalized, String raw) {
            this.status = normalized;
            this.providerStatus = raw;
            return this;
        }

        public Builder startedAt(Instant v) {
            this.startedAt = v;
            return this;
        }

        public Builder endedAt(Instant v) {
            this.endedAt = v;
            return this;
        }

        public Builder durationMs(Long v) {
            this.durationMs = v;
            return this;
        }

        public Builder statusTime(Instant v) {
            this.statusTime = v;
            return this;
        }

        public Builder retries(Long v) {
            this.retries = v;
            return this;
        }

        public Builder errorCode(String v) {
            this.errorCode = v;
            return this;
        }

        public Builder errorMessage(String v) {
            this.errorMessage = v;
            return this;
        }

        public Builder destinationStatus(String v) {
            this.destinationStatus = v;
            return this;
        }

        public Builder invokeType(String v) {
            this.invokeType = v;
            return this;
        }

        public Builder instanceId(String v) {
            this.instanceId = v;
            return this;
        }

        public Builder payload(String v) {
            this.payload = v;
            return this;
        }

        public Builder result(String v) {
            this.result = v;
            return this;
        }

        public Builder history(List<HistoryEntry> v) {
            this.history = v == null ? null : List.copyOf(v);
            return this;
        }

        public Task build() {
            return new Task(
                    provider,
                    source,
                    account,
                    region,
                    namespace,
                    function,
                    qualifier,
                    taskId,
                    requestId,
                    status,
                    providerStatus,
                    status.terminal(),
                    startedAt,
                    endedAt,
                    durationMs,
                    statusTime,
                    retries,
                    errorCode,
                    errorMessage,
                    destinationStatus,
                    invokeType,
                    instanceId,
                    payload,
                    result,
                    history);
        }
    }
}
