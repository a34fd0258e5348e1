package org.asynctask.exporter.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.EventIds;

/**
 * Per partition, a JSON snapshot and a log of the changes since ({@link CheckpointLog}), in a directory.
 * A save appends the tasks that changed ({@link Checkpoint#unsaved()}) to the log and fsyncs it: with a
 * million tracked tasks that is kilobytes, where the whole checkpoint is 68 MB. Once the log has grown
 * past the snapshot (and {@value #MIN_LOG_BYTES} bytes), or when what changed is not known, the save
 * writes a new snapshot instead, atomically: temp file, fsync, rename over the old one, fsync the
 * directory; then the old log goes. A crash leaves the old or the new checkpoint, never half of one: a
 * line of the log written only in part is ignored (its save never returned), and a log older than its
 * snapshot is not replayed. The directory is locked ({@code .lock}) for the life of the store, so two
 * exporters cannot share it by mistake and the {@code checkpoints} command cannot change it under a
 * running exporter.
 */
public final class FileCheckpointStore implements CheckpointStore {
    /** Below this the log is not worth compacting, however small the snapshot. */
    static final long MIN_LOG_BYTES = 256 * 1024;

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /**
     * What is on disk per partition, as this store last read or wrote it; a partition missing here gets
     * a snapshot on its next save (never read, a damaged log tail, a failed write).
     */
    private final Map<PartitionKey, OnDisk> onDisk = new ConcurrentHashMap<>();

    /**
     * @param generation of the snapshot, named by the first line of its log
     * @param logBytes   length of the log; 0 when it is not started (a new one replaces any old file)
     */
    private record OnDisk(String generation, long snapshotBytes, long logBytes) {}

    /** Locks the directory: for the exporter, and for commands that change checkpoints. */
    public FileCheckpointStore(Path dir) {
        this(dir, true);
    }

    /** Without the lock, read only: for commands that show checkpoints while an exporter runs. */
    public static FileCheckpointStore readOnly(Path dir) {
        return new FileCheckpointStore(dir, false);
    }

    private FileCheckpointStore(Path dir, boolean locked) {
        this.dir = dir;
        if (!locked) {
            lockChannel = null;
            lock = null;
            return;
        }
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock acquired;
            try {
                acquired = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                acquired = null;
            }
            if (acquired == null) {
                lockChannel.close();
                throw new IllegalStateException("checkpoint directory " + dir + " is held by a running exporter (lock "
                        + dir.resolve(".lock") + "); stop it first");
            }
            lock = acquired;
        } catch (IOException e) {
            // A FileSystemException's message is its path and, if the system gave one, the reason ("Not a directory").
            String reason = e instanceof FileSystemException f && f.getReason() == null
                    ? e.getClass().getSimpleName() + " " + e.getMessage()
                    : e.getMessage();
            throw new UncheckedIOException("cannot create or open checkpoint directory " + dir + ": " + reason, e);
        }
    }

    /** File name: readable partition id plus a short hash, so two ids never collide after sanitizing. */
    Path fileOf(PartitionKey partition) {
        String id = partition.id();
        String readable = id.replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 120) {
            readable = readable.substring(0, 120);
        }
        return dir.resolve(readable + "-" + EventIds.hash(id).substring(0, 8) + ".json");
    }

    Path logOf(PartitionKey partition) {
        return logBeside(fileOf(partition));
    }

    private static Path logBeside(Path snapshot) {
        String name = snapshot.getFileName().toString();
        return snapshot.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".log");
    }

    @Override
    public Optional<Checkpoint> load(PartitionKey partition) {
        Path file = fileOf(partition);
        onDisk.remove(partition);
        try {
            Loaded loaded = read(file);
            if (loaded.generation() != null && !loaded.replayed().tornTail()) {
                onDisk.put(
                        partition,
                        new OnDisk(
                                loaded.generation(),
                                loaded.snapshotBytes(),
                                loaded.replayed().validBytes()));
            }
            return Optional.of(loaded.replayed().checkpoint());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // Never start afresh silently: that would replay or skip history.
            throw new IllegalStateException(
                    "checkpoint " + file + " (with its log " + logOf(partition).getFileName() + ") of " + partition
                            + " is unreadable (" + e.getMessage()
                            + "); fix it or move both away to start this partition afresh",
                    e);
        }
    }

    /** A snapshot with its log replayed. */
    private record Loaded(
            PartitionKey partition, String generation, long snapshotBytes, CheckpointLog.Replayed replayed) {}

    private static Loaded read(Path snapshotFile) throws IOException {
        byte[] bytes = Files.readAllBytes(snapshotFile);
        Map<String, Object> stored = CheckpointCodec.toMap(bytes);
        Checkpoint snapshot = Checkpoint.fromMap(stored);
        PartitionKey partition = CheckpointCodec.partitionOf(stored);
        String generation = (String) stored.get("generation");
        Path log = logBeside(snapshotFile);
        if (generation == null || !Files.exists(log)) {
            return new Loaded(partition, generation, bytes.length, new CheckpointLog.Replayed(snapshot, 0, false));
        }
        return new Loaded(
                partition,
                generation,
                bytes.length,
                CheckpointLog.replay(snapshot, generation, Files.readAllBytes(log)));
    }

    @Override
    public Map<PartitionKey, Checkpoint> loadAll() {
        Map<PartitionKey, Checkpoint> all = new TreeMap<>(Comparator.comparing(PartitionKey::id));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList()) {
                try {
                    Loaded loaded = read(file);
                    all.put(loaded.partition(), loaded.replayed().checkpoint());
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException(
                            "checkpoint " + file + " is unreadable (" + e.getMessage() + ")", e);
                }
            }
        } catch (NoSuchFileException e) {
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
        return all;
    }

    @Override
    public void delete(PartitionKey partition) {
        writable();
        onDisk.remove(partition);
        try {
            Files.deleteIfExists(fileOf(partition));
            Files.deleteIfExists(logOf(partition));
            fsyncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete checkpoint " + fileOf(partition) + ": " + e.getMessage(), e);
        }
    }

    private void writable() {
        if (lock == null) {
            throw new IllegalStateException("checkpoint directory " + dir + " was opened read-only");
        }
    }

    @Override
    public void save(PartitionKey partition, Checkpoint checkpoint) {
        writable();
        OnDisk state = onDisk.remove(partition);
        // Put back only once written: after a failure the next save writes a snapshot.
        onDisk.put(
                partition,
                state == null
                                || checkpoint.unsaved() == null
                                || state.logBytes() > Math.max(state.snapshotBytes(), MIN_LOG_BYTES)
                        ? writeSnapshot(partition, checkpoint)
                        : append(partition, checkpoint, state));
    }

    private OnDisk append(PartitionKey partition, Checkpoint checkpoint, OnDisk state) {
        Path log = logOf(partition);
        byte[] delta = CheckpointLog.delta(checkpoint);
        boolean starting = state.logBytes() == 0;
        try (FileChannel ch = starting
                ? FileChannel.open(
                        log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
                : FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            byte[] header = starting ? CheckpointLog.header(state.generation()) : new byte[0];
            write(ch, header);
            write(ch, delta);
            ch.force(false);
            if (starting) {
                fsyncDirectory();
            }
            return new OnDisk(
                    state.generation(), state.snapshotBytes(), state.logBytes() + header.length + delta.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint log " + log + ": " + e.getMessage(), e);
        }
    }

    private OnDisk writeSnapshot(PartitionKey partition, Checkpoint checkpoint) {
        Path file = fileOf(partition);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        String generation = Long.toHexString(ThreadLocalRandom.current().nextLong());
        try {
            byte[] bytes = CheckpointCodec.encode(partition, checkpoint, generation);
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                write(ch, bytes);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDirectory();
            // The old log belongs to the old snapshot (its first line says so), so a crash before this
            // delete is harmless; the next append starts a new one anyway.
            Files.deleteIfExists(logOf(partition));
            return new OnDisk(generation, bytes.length, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Makes the rename itself durable. Some file systems refuse to open a directory; then rename is all we have. */
    private void fsyncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Not supported here (e.g. some platforms); the rename is still atomic.
        }
    }

    @Override
    public void close() {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // Closing at shutdown; nothing left to protect.
        }
    }
}
