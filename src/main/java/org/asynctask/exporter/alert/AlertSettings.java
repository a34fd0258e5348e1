package org.asynctask.exporter.alert;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.asynctask.exporter.task.TaskStatus;

/**
 * Which events also go to webhooks, and how hard the exporter tries (keys {@code exporter.alert.*}, see
 * {@code ExporterConfig}).
 *
 * @param statuses          events whose status is one of these are alerts
 * @param maxPerFunction    alerts per function (source + function) and {@code window}; the rest are counted
 *                          and reported in one summary message when the window ends
 * @param window            the rate-limit window
 * @param dedupWindow       an event id alerted within this window is not alerted again (replays after a crash)
 * @param giveUpAfter       a webhook that keeps failing is retried with back-off for this long, then the alert
 *                          is dropped (logged and counted)
 * @param queueSize         alerts waiting per webhook; when full, new ones are dropped (logged and counted),
 *                          never the main sink blocked
 */
public record AlertSettings(
        Set<TaskStatus> statuses,
        int maxPerFunction,
        Duration window,
        Duration dedupWindow,
        Duration giveUpAfter,
        int queueSize,
        List<Webhook> webhooks) {

    public AlertSettings {
        statuses = Set.copyOf(statuses);
        webhooks = List.copyOf(webhooks);
    }

    public static final Set<TaskStatus> DEFAULT_STATUSES =
            Set.of(TaskStatus.FAILED, TaskStatus.EXPIRED, TaskStatus.INVALID, TaskStatus.DISCARDED);
}
