// Finds the tagged regions of a source file, the way Asciidoctor's include::[tag=...] selects them.
package io.port6379.book;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A region is the lines between a {@code tag::name[]} line and the matching {@code end::name[]} line (in any
 * comment syntax: {@code // tag::x[]}, {@code # tag::x[]}, {@code <!-- tag::x[] -->}). A name may mark several
 * regions; Asciidoctor joins them. Lines that are themselves tag directives never count as content.
 */
final class TaggedRegions {

    private static final Pattern DIRECTIVE = Pattern.compile("\\b(tag|end)::([\\w.-]+)\\[]");

    private TaggedRegions() {
    }

    /**
     * The content lines of every region called {@code tag}, in file order.
     *
     * @throws IllegalArgumentException if the tag is never opened, or opened and never closed
     */
    static List<String> region(List<String> lines, String tag) {
        List<String> content = new ArrayList<>();
        boolean inside = false;
        boolean seen = false;
        for (String line : lines) {
            Matcher m = DIRECTIVE.matcher(line);
            if (m.find()) {
                if (m.group(2).equals(tag)) {
                    if (m.group(1).equals("tag")) {
                        inside = true;
                        seen = true;
                    } else {
                        inside = false;
                    }
                }
                continue;
            }
            if (inside) {
                content.add(line);
            }
        }
        if (!seen) {
            throw new IllegalArgumentException("no tag::" + tag + "[] in the file");
        }
        if (inside) {
            throw new IllegalArgumentException("tag::" + tag + "[] is never closed by end::" + tag + "[]");
        }
        return content;
    }

    /** True when a region has at least one line that is not blank. */
    static boolean hasContent(List<String> region) {
        return region.stream().anyMatch(line -> !line.isBlank());
    }
}
