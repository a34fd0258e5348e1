package org.asynctask.exporter.task;

/**
 * What a partition remembers about a task between polls: the last published raw status and the
 * start time (which decides when the task may be forgotten). Kept small on purpose: a partition can
 * track many open tasks.
 */
public record TrackedTask(String providerStatus, long startedAtMs, boolean terminal) {
}
