package org.asynctask.exporter.secret;

import java.util.Objects;

/** A credential value that never prints itself: not in logs, exceptions or config dumps. */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value);
        Redaction.register(value);
    }

    /** Only signers call this. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }
}
