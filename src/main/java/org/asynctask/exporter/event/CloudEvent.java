package org.asynctask.exporter.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.asynctask.exporter.task.StatusChange;
import org.asynctask.exporter.task.Task;
import org.asynctask.exporter.task.TaskStatus;

/**
 * A status change as a CloudEvents 1.0 event, structured JSON mode. {@code taskkey} is a CloudEvents
 * extension attribute: the stable key of the task, for consumers that group events per task.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        String taskkey,
        Data data) {

    public static final String TYPE = "org.asynctask.exporter.asynctask.status.changed.v1";

    /**
     * The event payload: the transition and the task as of it. The status before it only where the
     * provider's own history says it (FC events); left out elsewhere, never a guess of the exporter's.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(TaskStatus previousStatus, String previousProviderStatus, TaskStatus status, Task task) {}

    public static CloudEvent of(StatusChange change) {
        Task t = change.task();
        return new CloudEvent(
                "1.0",
                change.eventId(),
                source(t),
                TYPE,
                t.taskId(),
                change.time(),
                "application/json",
                t.taskKey(),
                new Data(change.previousStatus(), change.previousProviderStatus(), t.status(), t));
    }

    /** {@code /<provider>/<account>/<region>/[<namespace>/]<function>}. */
    static String source(Task t) {
        return "/" + t.provider() + "/" + t.account() + "/" + t.region() + "/"
                + (t.namespace() == null ? "" : t.namespace() + "/") + t.function();
    }
}
