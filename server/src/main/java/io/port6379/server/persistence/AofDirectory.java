// Where the append-only file's parts live: file names as Redis 7 gives them, and the manifest written atomically.
package io.port6379.server.persistence;

import io.port6379.server.config.ServerConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code <dir>/<appenddirname>/}, holding {@code <appendfilename>.<seq>.base.rdb} (or {@code .base.aof}),
 * {@code <appendfilename>.<seq>.incr.aof} and the manifest {@code <appendfilename>.manifest}, the names Redis
 * 7.0's {@code getNewBaseFileNameAndMarkPreAsHistory} and {@code getNewIncrAofName} choose.
 *
 * @param root     the directory of the parts
 * @param fileName {@code appendfilename}, the prefix of every part
 */
public record AofDirectory(Path root, String fileName) {

    /** The directory the configuration names ({@code dir}, {@code appenddirname}, {@code appendfilename}). */
    public static AofDirectory of(ServerConfig config) {
        return new AofDirectory(Path.of(config.get("dir")).resolve(config.get("appenddirname")), config.get("appendfilename"));
    }

    public Path path(String file) {
        return root.resolve(file);
    }

    public Path manifestPath() {
        return root.resolve(fileName + ".manifest");
    }

    public String baseName(long seq, boolean rdb) {
        return fileName + "." + seq + ".base." + (rdb ? "rdb" : "aof");
    }

    public String incrName(long seq) {
        return fileName + "." + seq + ".incr.aof";
    }

    void create() throws IOException {
        Files.createDirectories(root);
    }

    /** The manifest, or null when the directory has none (no AOF was ever written here). */
    public AofManifest readManifest() throws IOException {
        Path path = manifestPath();
        if (!Files.exists(path)) {
            return null;
        }
        return AofManifest.parse(Files.readString(path, StandardCharsets.ISO_8859_1));
    }

    // tag::atomic[]
    /**
     * Replaces the manifest atomically, as Redis's {@code persistAofManifest}: write a temporary file, fsync it,
     * rename it over the manifest, fsync the directory so that the rename itself survives a crash. A crash
     * at any point leaves either the old manifest or the new one, never a mix.
     */
    void writeManifest(AofManifest manifest) throws IOException {
        Path temp = root.resolve("temp-" + fileName + ".manifest");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(manifest.format().getBytes(StandardCharsets.ISO_8859_1)));
            out.force(true);
        }
        Files.move(temp, manifestPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory();
    }
    // end::atomic[]

    void fsyncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(root, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** The size of a part in bytes, 0 when it is missing. */
    long size(String file) {
        try {
            return Files.size(path(file));
        } catch (IOException e) {
            return 0;
        }
    }
}
