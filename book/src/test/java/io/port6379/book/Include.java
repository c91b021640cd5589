// One include:: directive found in a chapter, with the file it names and the tags it asks for.
package io.port6379.book;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code include::target[attributes]} line. Only the {@code {root}} attribute may appear in a target (it is
 * the one the build defines); a relative target is resolved against the including file's folder, as
 * Asciidoctor does.
 */
record Include(Path chapter, int line, String directive, Path target, List<String> tags) {

    private static final Pattern DIRECTIVE = Pattern.compile("^include::(\\S+?)\\[(.*)]\\s*$");
    private static final Pattern ATTRIBUTE_REFERENCE = Pattern.compile("\\{([\\w-]+)}");
    private static final Pattern TAGS = Pattern.compile("(?:^|,)\\s*tags?=(\"[^\"]*\"|[^,]*)");

    /** Every include directive of a file (an escaped {@code \include::} is text, not a directive). */
    static List<Include> parse(Path chapter, List<String> lines, Path root) {
        List<Include> includes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("include::")) {
                continue;
            }
            Matcher directive = DIRECTIVE.matcher(line);
            if (!directive.matches()) {
                throw new IllegalArgumentException(Chapters.name(chapter) + ":" + (i + 1) + ": malformed include: " + line);
            }
            includes.add(new Include(chapter, i + 1, line, resolve(chapter, directive.group(1), root),
                    tags(directive.group(2))));
        }
        return includes;
    }

    private static Path resolve(Path chapter, String target, Path root) {
        Matcher reference = ATTRIBUTE_REFERENCE.matcher(target);
        StringBuilder resolved = new StringBuilder();
        while (reference.find()) {
            if (!reference.group(1).equals("root")) {
                throw new IllegalArgumentException("only {root} may be used in an include target, found {"
                        + reference.group(1) + "} in " + target);
            }
            reference.appendReplacement(resolved, Matcher.quoteReplacement(root.toString()));
        }
        reference.appendTail(resolved);
        Path path = Path.of(resolved.toString());
        return (path.isAbsolute() ? path : chapter.getParent().resolve(path)).normalize();
    }

    /** The names in {@code tag=x} or {@code tags=x;y} (Asciidoctor also accepts commas inside quotes). */
    private static List<String> tags(String attributes) {
        List<String> tags = new ArrayList<>();
        Matcher m = TAGS.matcher(attributes);
        while (m.find()) {
            String value = m.group(1).replace("\"", "");
            for (String tag : value.split("[;,]")) {
                if (!tag.isBlank()) {
                    tags.add(tag.strip());
                }
            }
        }
        return tags;
    }

    String where() {
        return Chapters.name(chapter) + ":" + line;
    }
}
