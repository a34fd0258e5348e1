package org.asynctask.exporter.testing;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class whose exporters, in child JVMs, need the machine's cores to keep their pace: such classes run
 * one at a time, across the two failsafe JVMs too (a file lock in {@code target/}). Three group members
 * starting beside a kill test's exporter made that exporter, on two cores, fall behind the present for good
 * (CI: "not caught up within 40 s"), and so did BrokerTroubleIT's broker restarts beside it; a deployment
 * does not run four exporters on two cores. (The exactly-once exporter is the one that falls behind: its
 * polls share one transaction at a time; see the stop note.)
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(CpuHeavy.Lock.class)
public @interface CpuHeavy {
    /** Holds the lock from the class's first test to its last. */
    final class Lock implements BeforeAllCallback, AfterAllCallback {
        private static final Path FILE = Path.of("target", "cpu-heavy-tests.lock");
        private FileChannel channel;
        private FileLock lock;

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            Files.createDirectories(FILE.getParent());
            channel = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.lock();
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            lock.release();
            channel.close();
        }
    }
}
