package org.asynctask.exporter.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of the file sink's files once written, on a thread of its own: a closed file is gzipped if
 * configured, files past the retention are deleted, and the plain files a stopped predecessor left are closed at
 * start (a torn last line cut off first).
 */
final class EventFileArchive implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFileArchive.class);

    private final Path dir;
    private final ArchiveSettings archive;
    private final Clock clock;
    private final Supplier<Set<Path>> writing;
    private final ExecutorService archiver = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "event-archiver");
        t.setDaemon(true);
        return t;
    });

    /**
     * Lists the plain files now, before the sink opens anything: a plain file found is a stopped predecessor's
     * (closed here), or one another writer holds open and locked (left alone, see cutTornLine).
     *
     * @param writing the files the sink writes now, which the retention leaves alone
     */
    EventFileArchive(Path dir, ArchiveSettings archive, Clock clock, Supplier<Set<Path>> writing) {
        this.dir = dir;
        this.archive = archive;
        this.clock = clock;
        this.writing = writing;
        List<Path> left = plainFiles();
        archiver.execute(() -> {
            left.forEach(f -> archive(f, true));
            expire();
        });
    }

    /** The sink has stopped writing the file: gzipped if configured, then the retention applied. */
    void retire(Path file) {
        archiver.execute(() -> {
            archive(file, false);
            expire();
        });
    }

    /** Closes a file for good: cut a torn last line (a predecessor's), then gzip it if configured. */
    private void archive(Path file, boolean fromPredecessor) {
        try {
            if (fromPredecessor && !cutTornLine(file)) {
                return;
            }
            if (archive.gzip() && Files.exists(file)) {
                gzip(file);
            }
        } catch (IOException e) {
            LOG.warn("could not archive closed event file {}: {}; it stays as it is", file, e.toString());
        }
    }

    /** Another writer (an exporter or a backfill on the same directory) has the file open. */
    private static boolean lockedElsewhere(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            return lock == null;
        } catch (OverlappingFileLockException openInThisJvm) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return false when another writer (exporter or backfill) holds the file open: it is not a predecessor's */
    private static boolean cutTornLine(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException openInThisJvm) {
                lock = null;
            }
            if (lock == null) {
                return false;
            }
            long size = ch.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                LOG.warn(
                        "{}: cut off {} byte(s) of a line a stopped exporter left half-written (its events are published again)",
                        file,
                        size - keep);
                ch.truncate(keep);
                ch.force(true);
            }
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /** To {@code file.gz} through a temporary file, then the plain one goes: a crash leaves one whole copy. */
    private static void gzip(Path file) throws IOException {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        Path tmp = file.resolveSibling(file.getFileName() + ".gz.tmp");
        try (FileChannel out = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            try (GZIPOutputStream zip = new GZIPOutputStream(Channels.newOutputStream(out), 64 * 1024)) {
                Files.copy(file, zip);
                zip.finish();
                out.force(true);
            }
        }
        Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(file);
    }

    /** Deletes closed files (and stray temporary ones) last written before the retention period. */
    private void expire() {
        if (archive.retention() == null || !Files.isDirectory(dir)) {
            return;
        }
        long before = clock.millis() - archive.retention().toMillis();
        Set<Path> writing = this.writing.get();
        try (Stream<Path> files = Files.walk(dir, 2)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if ((FileEventSink.EVENT_FILE.matcher(name).matches() || name.endsWith(".gz.tmp"))
                        && !writing.contains(f)
                        && Files.getLastModifiedTime(f).toMillis() < before
                        && !(name.endsWith(".jsonl") && lockedElsewhere(f))) {
                    Files.deleteIfExists(f);
                    LOG.info("deleted event file {}: older than the retention of {}", f, archive.retention());
                }
            }
        } catch (IOException e) {
            LOG.warn("could not apply the retention to {}: {}", dir, e.toString());
        }
    }

    /** Plain event files (not gzipped yet) under the directory, and leftover temporary gzip files removed. */
    private List<Path> plainFiles() {
        List<Path> plain = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir, 2)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".gz.tmp")) {
                    Files.deleteIfExists(f);
                } else if (name.endsWith(".jsonl")) {
                    plain.add(f);
                }
            }
        } catch (NoSuchFileException | UncheckedIOException nothingYet) {
            // A new output directory.
        } catch (IOException e) {
            LOG.warn("could not look for event files a previous run left in {}: {}", dir, e.toString());
        }
        return plain;
    }

    /** Waits for what was handed over. */
    @Override
    public void close() {
        archiver.shutdown();
        try {
            if (!archiver.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("event files still being archived at shutdown; the next start finishes them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
