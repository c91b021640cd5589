// The region finder that IncludesTest relies on: what counts as a tagged region and what is an error.
package io.port6379.book;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaggedRegionsTest {

    private static final List<String> SOURCE = List.of(
            "class A {",
            "    // tag::ping[]",
            "    void ping() {}",
            "    // tag::inner[]",
            "    int x;",
            "    // end::inner[]",
            "    // end::ping[]",
            "    // tag::empty[]",
            "",
            "    // end::empty[]",
            "    // tag::open[]",
            "    int y;",
            "}");

    @Test
    void aRegionIsTheLinesBetweenItsDirectivesWithoutNestedDirectives() {
        assertEquals(List.of("    void ping() {}", "    int x;"), TaggedRegions.region(SOURCE, "ping"));
    }

    @Test
    void aNestedRegionIsFoundOnItsOwn() {
        assertEquals(List.of("    int x;"), TaggedRegions.region(SOURCE, "inner"));
    }

    @Test
    void aRegionOfBlankLinesHasNoContent() {
        assertFalse(TaggedRegions.hasContent(TaggedRegions.region(SOURCE, "empty")));
        assertTrue(TaggedRegions.hasContent(TaggedRegions.region(SOURCE, "ping")));
    }

    @Test
    void aMissingTagIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> TaggedRegions.region(SOURCE, "pong"));
    }

    @Test
    void anUnclosedTagIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> TaggedRegions.region(SOURCE, "open"));
    }

    @Test
    void includeDirectivesAreParsedWithRootAndTags() {
        Path root = Path.of("/repo");
        Path chapter = root.resolve("chapters/03-strings.adoc");
        List<Include> includes = Include.parse(chapter, List.of(
                "text",
                "include::{root}/server/src/main/java/A.java[tag=ping]",
                "\\include::escaped.adoc[]",
                "include::01-resp.adoc[leveloffset=+1]",
                "include::B.java[tags=one;two,indent=0]"), root);
        assertEquals(3, includes.size());
        assertEquals(Path.of("/repo/server/src/main/java/A.java"), includes.get(0).target());
        assertEquals(List.of("ping"), includes.get(0).tags());
        assertEquals(2, includes.get(0).line());
        assertEquals(Path.of("/repo/chapters/01-resp.adoc"), includes.get(1).target());
        assertEquals(List.of(), includes.get(1).tags());
        assertEquals(List.of("one", "two"), includes.get(2).tags());
    }

    @Test
    void anUnknownAttributeInAnIncludeTargetIsAnError() {
        Path root = Path.of("/repo");
        assertThrows(IllegalArgumentException.class, () -> Include.parse(root.resolve("chapters/x.adoc"),
                List.of("include::{src}/A.java[]"), root));
    }
}
