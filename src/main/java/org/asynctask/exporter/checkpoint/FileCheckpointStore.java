package org.asynctask.exporter.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.EventIds;

/**
 * One JSON file per partition in a directory, written atomically: temp file, fsync, rename over the
 * old one, fsync the directory. A crash leaves either the old or the new checkpoint, never half of one.
 * The directory is locked ({@code .lock}) for the life of the store, so two exporters cannot share it
 * by mistake and the {@code checkpoints} command cannot change it under a running exporter.
 */
public final class FileCheckpointStore implements CheckpointStore {
    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

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
            throw new UncheckedIOException("cannot open checkpoint directory " + dir + ": " + e.getMessage(), e);
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

    @Override
    public Optional<Checkpoint> load(PartitionKey partition) {
        Path file = fileOf(partition);
        try {
            return Optional.of(CheckpointCodec.decode(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // Never start afresh silently: that would replay or skip history.
            throw new IllegalStateException("checkpoint " + file + " of " + partition + " is unreadable (" + e.getMessage()
                    + "); fix it or move it away to start this partition afresh", e);
        }
    }

    @Override
    public Map<PartitionKey, Checkpoint> loadAll() {
        Map<PartitionKey, Checkpoint> all = new TreeMap<>(Comparator.comparing(PartitionKey::id));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(file);
                try {
                    all.put(CheckpointCodec.partitionOf(bytes), CheckpointCodec.decode(bytes));
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException("checkpoint " + file + " is unreadable (" + e.getMessage() + ")", e);
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
        try {
            Files.deleteIfExists(fileOf(partition));
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
        Path file = fileOf(partition);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            byte[] bytes = CheckpointCodec.encode(partition, checkpoint);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
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
