package org.asynctask.exporter.task;

import java.time.Instant;

/**
 * One observed transition of one task: what gets published.
 *
 * @param eventId                deterministic (see {@link EventIds}); a replay yields the same id
 * @param previousStatus         the status before this one in the task's own history (FC events); null
 *                               where the provider records none: then the previous event of the task is
 *                               its previous status
 * @param previousProviderStatus the raw form of {@code previousStatus}
 * @param time                   when the new status began, as far as the provider tells (see {@link ChangeDetector})
 */
public record StatusChange(
        String eventId, TaskStatus previousStatus, String previousProviderStatus, Task task, Instant time) {}
