package org.asynctask.exporter.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.event.CloudEvent;
import org.asynctask.exporter.task.StatusChange;

/**
 * CloudEvents as JSON Lines in {@code <dir>/<provider>/<yyyy-MM-dd>.jsonl}, one file per provider and
 * UTC day of writing (so a finished day's file never changes again: easy to archive).
 *
 * <p>A batch is appended with one write per file and fsynced before {@link #publish} returns. If a
 * write fails half-way (disk full, permission lost), the file is cut back to its previous length so
 * readers never see a broken line, and the batch fails as a whole.
 */
public final class FileEventSink implements EventSink {
    private final Path dir;
    private final Clock clock;
    private final Map<Path, FileChannel> open = new HashMap<>();
    private final Map<Path, Object> fileKeys = new HashMap<>();
    private final AtomicLong written = new AtomicLong();
    private LocalDate openDay;

    public FileEventSink(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    @Override
    public void publish(List<StatusChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        // Serialized before taking the lock: the poll threads only queue for the write itself.
        Map<String, ByteArrayOutputStream> byProvider = new LinkedHashMap<>();
        for (StatusChange change : changes) {
            ByteArrayOutputStream out = byProvider.computeIfAbsent(change.task().provider(), p -> new ByteArrayOutputStream());
            try {
                Json.MAPPER.writeValue(out, CloudEvent.of(change));
            } catch (IOException e) {
                throw new SinkException("cannot serialize event " + change.eventId(), e);
            }
            out.write('\n');
        }
        write(byProvider);
        written.addAndGet(changes.size());
    }

    private synchronized void write(Map<String, ByteArrayOutputStream> byProvider) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!today.equals(openDay)) {
            closeAll();
            openDay = today;
        }
        byProvider.forEach((provider, batch) -> append(dir.resolve(provider).resolve(today + ".jsonl"), batch));
    }

    private void append(Path file, ByteArrayOutputStream batch) {
        FileChannel ch = null;
        long before = -1;
        try {
            ch = channel(file);
            before = ch.size();
            ByteBuffer buf = ByteBuffer.wrap(batch.toByteArray());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
        } catch (IOException e) {
            rollBack(file, ch, before);
            throw new SinkException("cannot write events to " + file + ": " + e, e);
        }
    }

    /**
     * The open channel of the file, reopened when the path no longer leads to the file it has open: a
     * directory that was moved, deleted or replaced must make writing fail (or go to the new file), not
     * let events vanish into an unlinked file.
     */
    private FileChannel channel(Path file) throws IOException {
        FileChannel ch = open.get(file);
        if (ch != null && (!ch.isOpen() || !Objects.equals(fileKeys.get(file), fileKey(file)))) {
            open.remove(file);
            ch.close();
            ch = null;
        }
        if (ch == null) {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            open.put(file, ch);
            fileKeys.put(file, fileKey(file));
        }
        return ch;
    }

    /** The identity of the file at the path now (inode), or null if there is none. */
    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException gone) {
            return null;
        }
    }

    /** Cuts a partly written batch off, and forgets the channel so the next batch reopens the file. */
    private void rollBack(Path file, FileChannel ch, long before) {
        open.remove(file);
        if (ch == null) {
            return;
        }
        try {
            if (before >= 0 && ch.size() > before) {
                ch.truncate(before);
                ch.force(false);
            }
        } catch (IOException ignored) {
            // The file is unusable right now; the batch is failed either way and will be retried.
        } finally {
            try {
                ch.close();
            } catch (IOException ignored) {
                // see above
            }
        }
    }

    /** Events made durable so far by this sink. */
    public long written() {
        return written.get();
    }

    private void closeAll() {
        for (FileChannel ch : open.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Already forced at the end of each batch: nothing is lost by a failed close.
            }
        }
        open.clear();
    }

    @Override
    public synchronized void close() {
        closeAll();
    }
}
