// Every include:: in the chapters names an existing file and, when it names tags, non-empty tagged regions.
package io.port6379.book;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class IncludesTest {

    private static List<Include> allIncludes() {
        return Chapters.adocFiles().stream()
                .flatMap(f -> Include.parse(f, Chapters.lines(f), Chapters.root()).stream())
                .toList();
    }

    @Test
    void theBookIncludesChapters() {
        assertFalse(Include.parse(Chapters.directory().resolve("book.adoc"),
                Chapters.lines(Chapters.directory().resolve("book.adoc")), Chapters.root()).isEmpty(),
                "book.adoc includes no chapter");
    }

    @Test
    void everyChapterFileIsIncludedByTheBook() {
        List<String> included = Include.parse(Chapters.directory().resolve("book.adoc"),
                Chapters.lines(Chapters.directory().resolve("book.adoc")), Chapters.root())
                .stream().map(i -> i.target().getFileName().toString()).toList();
        for (var chapter : Chapters.chapterFiles()) {
            assertTrue(included.contains(chapter.getFileName().toString()),
                    Chapters.name(chapter) + " is not included from chapters/book.adoc");
        }
    }

    /** Chapters in the order of their numbers, then the appendices, in the order the book chooses. */
    @Test
    void chaptersAreIncludedInTheOrderOfTheirNumbers() {
        List<String> included = Include.parse(Chapters.directory().resolve("book.adoc"),
                Chapters.lines(Chapters.directory().resolve("book.adoc")), Chapters.root())
                .stream().map(i -> i.target().getFileName().toString()).toList();
        List<String> chapters = included.stream().filter(name -> name.matches("\\d\\d-.*")).toList();
        assertEquals(chapters.stream().sorted().toList(), chapters,
                "chapters/book.adoc must include the chapters in the order of their numbers");
        assertEquals(chapters, included.subList(0, chapters.size()),
                "chapters/book.adoc must include the chapters before the appendices");
    }

    @TestFactory
    Stream<DynamicTest> everyIncludeResolvesToANonEmptyRegion() {
        return allIncludes().stream().map(include -> DynamicTest.dynamicTest(include.where() + " " + include.directive(),
                () -> {
                    if (!Files.isRegularFile(include.target())) {
                        fail(include.where() + ": included file does not exist: " + include.target());
                    }
                    List<String> lines = Chapters.lines(include.target());
                    if (include.tags().isEmpty()) {
                        assertFalse(lines.stream().allMatch(String::isBlank),
                                include.where() + ": included file is empty: " + include.target());
                    }
                    for (String tag : include.tags()) {
                        if (tag.startsWith("!") || tag.contains("*")) {
                            continue; // exclusions and wildcards select by rule, not by one named region
                        }
                        List<String> region;
                        try {
                            region = TaggedRegions.region(lines, tag);
                        } catch (IllegalArgumentException e) {
                            throw new AssertionError(include.where() + ": tag '" + tag + "' in "
                                    + Chapters.name(include.target()) + ": " + e.getMessage(), e);
                        }
                        assertTrue(TaggedRegions.hasContent(region), include.where() + ": tag '" + tag + "' in "
                                + Chapters.name(include.target()) + " marks an empty region");
                    }
                }));
    }
}
