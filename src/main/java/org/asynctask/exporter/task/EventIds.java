package org.asynctask.exporter.task;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * An event id names one transition of one task incarnation: a hash of the task key, the task's start
 * time, the raw status it entered and the provider's time for that status where it has one (FC task
 * events; the end time of a final status), never of when it was observed. A replay yields the same id,
 * so consumers drop duplicates; a task that really returns to a status later (Running, Retrying,
 * Running) gets a new id where the provider dates its statuses; and two tasks with the same id (a
 * provider that reuses request ids) started at different times get different ids.
 */
public final class EventIds {
    private EventIds() {}

    public static String of(Task task) {
        return hash(task.taskKey()
                + '\n'
                + task.startedAt().toEpochMilli()
                + '\n'
                + task.providerStatus()
                + '\n'
                + (task.statusTime() == null
                        ? ""
                        : Long.toString(task.statusTime().toEpochMilli())));
    }

    /** One digest per thread: looking one up costs more than hashing an id's few bytes. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    });

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** First 128 bits of SHA-256, lower-case hex: plenty against accidental collisions, and compact. */
    public static String hash(String material) {
        // digest() resets the digest for its thread's next use.
        byte[] digest = SHA_256.get().digest(material.getBytes(StandardCharsets.UTF_8));
        // Written out: java.util.HexFormat takes longer than the digest itself.
        byte[] hex = new byte[32];
        for (int i = 0; i < 16; i++) {
            hex[2 * i] = HEX_DIGITS[(digest[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX_DIGITS[digest[i] & 0xf];
        }
        return new String(hex, StandardCharsets.US_ASCII);
    }
}
