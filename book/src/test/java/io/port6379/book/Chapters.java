// Where the chapters are, and which files count as chapters, for the tests that check them.
package io.port6379.book;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The AsciiDoc sources under {@code chapters/}: the chapter files {@code NN-name.adoc} and {@code book.adoc}. */
final class Chapters {

    private Chapters() {
    }

    /** The repository root: surefire passes it as {@code port6379.root}; from an IDE the working directory is book/. */
    static Path root() {
        String root = System.getProperty("port6379.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    static Path directory() {
        return root().resolve("chapters");
    }

    /** Every {@code *.adoc} file under chapters/, sorted by name (so chapters come in reading order). */
    static List<Path> adocFiles() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".adoc")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chapter files, {@code NN-name.adoc}, in reading order. */
    static List<Path> chapterFiles() {
        return adocFiles().stream().filter(f -> f.getFileName().toString().matches("\\d\\d-.*\\.adoc")).toList();
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file's path relative to the repository root, for messages. */
    static String name(Path file) {
        return root().relativize(file.toAbsolutePath().normalize()).toString();
    }
}
