package org.asynctask.exporter.task;

/**
 * One transition the provider itself records for a task (FC 3.0 and FC 2.0 {@code events}): the raw
 * status it entered, and when.
 */
public record HistoryEntry(String providerStatus, long atMs) {}
