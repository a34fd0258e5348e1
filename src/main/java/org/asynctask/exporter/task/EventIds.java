package org.asynctask.exporter.task;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Event ids are a hash of what the event states (task, new raw status, the provider's status time),
 * never of when it was observed: a poll replayed after a crash yields the same ids, so consumers can
 * drop duplicates, while a task that really returns to a status later (Running, Retrying, Running)
 * gets a new id when the provider dates its statuses.
 */
public final class EventIds {
    private EventIds() {
    }

    public static String of(Task task) {
        return hash(task.taskKey() + '\n' + task.providerStatus() + '\n'
                + (task.statusTime() == null ? "" : Long.toString(task.statusTime().toEpochMilli())));
    }

    /** First 128 bits of SHA-256, hex: plenty against accidental collisions, and compact. */
    public static String hash(String material) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
