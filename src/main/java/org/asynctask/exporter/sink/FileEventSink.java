package org.asynctask.exporter.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.asynctask.exporter.event.CloudEvent;
import org.asynctask.exporter.event.EventJson;
import org.asynctask.exporter.task.StatusChange;

/**
 * CloudEvents as JSON Lines in {@code <dir>/<provider>/<period>_<seq>.jsonl}: period is the UTC day
 * ({@code 2026-11-22}) or hour ({@code 2026-11-22T13}), seq counts the files of the period (a new one at
 * each start and each size limit). See {@link ArchiveSettings}.
 *
 * <p>A batch is appended with one write per file and fsynced before {@link #publish} returns. If a
 * write fails half-way (disk full, permission lost), the file is cut back to its previous length so
 * readers never see a broken line, and the batch fails as a whole.
 *
 * <p>A file is <em>closed</em> when its period ends, when it reached the size limit, or when the sink
 * closes; it is never written again (a restart starts a new file). Closed files are gzipped and expired
 * by a background thread, never on the publishing path. At start, files a killed predecessor left open
 * are closed the same way, after cutting off a partly written last line (its events were not
 * checkpointed: they are published again). Files another writer has open (locked) are left alone.
 */
public final class FileEventSink implements SinglePlaceSink {
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH", Locale.ROOT).withZone(ZoneOffset.UTC);
    static final Pattern EVENT_FILE = Pattern.compile("(.+)_(\\d+)\\.jsonl(\\.gz)?");

    private final Path dir;
    private final ArchiveSettings archive;
    private final String tag;
    private final Clock clock;
    /** The file each provider writes now. */
    private final Map<String, Path> current = new HashMap<>();

    private final Map<Path, FileChannel> open = new HashMap<>();
    private final Map<Path, Object> fileKeys = new HashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final EventFileArchive archiver;

    /** Daily plain files, kept forever. */
    public FileEventSink(Path dir, Clock clock) {
        this(dir, ArchiveSettings.DAILY, clock);
    }

    public FileEventSink(Path dir, ArchiveSettings archive, Clock clock) {
        this(dir, archive, clock, null);
    }

    /**
     * @param tag added to the period in file names ({@code 2026-11-22-backfill_0001.jsonl}) so that a
     *            backfill writing beside the exporter never picks a name the exporter uses; null for none
     */
    public FileEventSink(Path dir, ArchiveSettings archive, Clock clock, String tag) {
        this.tag = tag == null ? "" : "-" + tag;
        this.dir = dir;
        this.archive = archive;
        this.clock = clock;
        // Made now, before this sink opens anything: see EventFileArchive.
        this.archiver = new EventFileArchive(dir, archive, clock, this::writing);
    }

    @Override
    public void publish(List<StatusChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        // Serialized before taking the lock: the poll threads only queue for the write itself.
        Map<String, ByteArrayOutputStream> byProvider = new LinkedHashMap<>();
        for (StatusChange change : changes) {
            ByteArrayOutputStream out =
                    byProvider.computeIfAbsent(change.task().provider(), p -> new ByteArrayOutputStream());
            try {
                EventJson.MAPPER.writeValue(out, CloudEvent.of(change));
            } catch (IOException e) {
                throw new SinkException("cannot serialize event " + change.eventId(), e);
            }
            out.write('\n');
        }
        write(byProvider);
        written.addAndGet(changes.size());
    }

    private synchronized void write(Map<String, ByteArrayOutputStream> byProvider) {
        String period = (archive.hourly() ? HOUR : DAY).format(clock.instant()) + tag;
        byProvider.forEach((provider, batch) -> append(fileFor(provider, period, batch.size()), batch));
    }

    /** The provider's open file, or a new one when the period changed or the batch would pass the size limit. */
    private Path fileFor(String provider, String period, int batchBytes) {
        Path file = current.get(provider);
        if (file != null) {
            boolean full =
                    archive.maxFileBytes() > 0 && size(file) > 0 && size(file) + batchBytes > archive.maxFileBytes();
            if (!file.getFileName().toString().startsWith(period + "_") || full) {
                retire(file);
                file = null;
            }
        }
        if (file == null) {
            file = dir.resolve(provider)
                    .resolve(period + "_" + String.format(Locale.ROOT, "%04d", nextSeq(dir.resolve(provider), period))
                            + ".jsonl");
            current.put(provider, file);
        }
        return file;
    }

    /** One more than any file of the period has, closed (gzipped) or not: a file is never appended to twice. */
    private static int nextSeq(Path providerDir, String period) {
        int max = 0;
        try (Stream<Path> files = Files.list(providerDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = EVENT_FILE.matcher(f.getFileName().toString());
                if (m.matches() && m.group(1).equals(period)) {
                    max = Math.max(max, Integer.parseInt(m.group(2)));
                }
            }
        } catch (IOException noDirectoryYet) {
            // The first file of this provider: channel() creates the directory.
        }
        return max + 1;
    }

    private long size(Path file) {
        FileChannel ch = open.get(file);
        try {
            return ch != null && ch.isOpen() ? ch.size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Stops writing the file and hands it to the archiver. */
    private void retire(Path file) {
        FileChannel ch = open.remove(file);
        fileKeys.remove(file);
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Already forced at the end of each batch: nothing is lost by a failed close.
            }
        }
        current.values().remove(file);
        archiver.retire(file);
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
            // Held while the file is open (released when the channel closes): another exporter or a backfill
            // writing to the same directory then leaves this file alone when it closes its predecessors' files.
            try {
                ch.tryLock();
            } catch (OverlappingFileLockException | IOException notLockable) {
                // Some file systems have no locks; the names still never collide (see the tag).
            }
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

    /** The files being written now, which the retention leaves alone. */
    private synchronized Set<Path> writing() {
        return new HashSet<>(current.values());
    }

    /** Closes every open file (gzipped if configured) and waits for the archiver. */
    @Override
    public void close() {
        synchronized (this) {
            new ArrayList<>(current.values()).forEach(this::retire);
            open.values().forEach(ch -> {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // Forced after each batch.
                }
            });
            open.clear();
        }
        archiver.close();
    }
}
