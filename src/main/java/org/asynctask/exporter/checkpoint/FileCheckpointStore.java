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
import java.util.Optional;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.task.EventIds;

/**
 * One JSON file per partition in a directory, written atomically: temp file, fsync, rename over the
 * old one, fsync the directory. A crash leaves either the old or the new checkpoint, never half of one.
 * The directory is locked for the life of the store, so two exporters cannot share it by mistake.
 */
public final class FileCheckpointStore implements CheckpointStore {
    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    public FileCheckpointStore(Path dir) {
        this.dir = dir;
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
                throw new IllegalStateException("checkpoint directory " + dir + " is in use by another exporter");
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
    public void save(PartitionKey partition, Checkpoint checkpoint) {
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
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // Closing at shutdown; nothing left to protect.
        }
    }
}
