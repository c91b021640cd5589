// The parts that make the book a course: objectives, take-aways, review questions and their answers, per chapter.
package io.port6379.book;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every chapter opens with a "What you will learn" sidebar, closes its teaching with "What you take away", and ends
 * with 3 to 5 review questions whose answers, as many, are in {@code appendix-answers.adoc} under
 * {@code [#answers-NN]}.
 */
class CourseStructureTest {

    private static final Path ANSWERS = Chapters.directory().resolve("appendix-answers.adoc");

    @TestFactory
    Stream<DynamicTest> everyChapterIsACourseUnit() {
        return Chapters.chapterFiles().stream().map(chapter -> DynamicTest.dynamicTest(Chapters.name(chapter), () -> {
            String text = Files.readString(chapter);
            String number = chapter.getFileName().toString().substring(0, 2);
            List<String> missing = new ArrayList<>();
            List<String> lines = Chapters.lines(chapter);
            int title = lines.indexOf(lines.stream().filter(line -> line.startsWith("= ")).findFirst().orElse(""));
            if (lines.subList(title, Math.min(lines.size(), title + 4)).stream().noneMatch(".What you will learn"::equals)) {
                missing.add("a `.What you will learn` sidebar right after the title");
            }
            if (!text.contains("\n== What you take away\n")) {
                missing.add("a `== What you take away` section");
            }
            int questions = reviewQuestions(text);
            if (questions < 3 || questions > 5) {
                missing.add("a `== Review questions` section with 3 to 5 questions (found " + questions + ")");
            }
            if (!text.contains("<<answers-" + number + ">>")) {
                missing.add("a cross-reference to its answers, <<answers-" + number + ">>");
            }
            assertTrue(missing.isEmpty(), () -> Chapters.name(chapter) + " lacks " + String.join("; ", missing));
            assertEquals(questions, answers(number), () -> "answers under [#answers-" + number + "] in "
                    + Chapters.name(ANSWERS) + " for the " + questions + " questions of " + Chapters.name(chapter));
        }));
    }

    /** A chapter is read in one sitting: at most 5 000 words of prose (listings, tables and markup not counted). */
    @TestFactory
    Stream<DynamicTest> noChapterIsOver5000WordsOfProse() {
        return Chapters.chapterFiles().stream().map(chapter -> DynamicTest.dynamicTest(Chapters.name(chapter), () -> {
            int words = proseWords(Chapters.lines(chapter));
            assertTrue(words <= 5000, () -> Chapters.name(chapter) + " has " + words
                    + " words of prose; move a log or a reference part to an appendix");
        }));
    }

    static int proseWords(List<String> lines) {
        int words = 0;
        String block = null;
        for (String line : lines) {
            String trimmed = line.strip();
            if (block != null) {
                if (trimmed.equals(block)) {
                    block = null;
                }
                continue;
            }
            if (trimmed.matches("-{4,}|\\.{4,}|\\|===")) {
                block = trimmed;
                continue;
            }
            if (trimmed.isEmpty() || trimmed.startsWith("[") || trimmed.startsWith("include::")
                    || trimmed.startsWith("image::") || trimmed.startsWith("//") || trimmed.startsWith(":")) {
                continue;
            }
            words += trimmed.split("\\s+").length;
        }
        return words;
    }

    /**
     * A listing of a class that a workshop stage asks the reader to write gives that stage's answer away: it must come
     * after the chapter has set the stage ({@code exercises/check NN} earlier in the text) and be titled as the
     * reference solution.
     */
    @TestFactory
    Stream<DynamicTest> listingsOfAStageClassComeAfterTheStageIsSetAndSaySo() throws IOException {
        Map<String, String> stageOfFile = stageFiles();
        Pattern include = Pattern.compile("^include::\\{root}/\\w+/src/(?:main|test)/java/(.+\\.java)\\[");
        return Chapters.chapterFiles().stream().map(chapter -> DynamicTest.dynamicTest(Chapters.name(chapter), () -> {
            List<String> lines = Chapters.lines(chapter);
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = include.matcher(lines.get(i));
                if (!m.find() || !stageOfFile.containsKey(m.group(1))) {
                    continue;
                }
                String stage = stageOfFile.get(m.group(1));
                int block = i;
                while (block > 0 && !lines.get(block).startsWith("[source")) {
                    block--;
                }
                if (block == 0 || !lines.get(block - 1).startsWith(".Reference solution")) {
                    problems.add("line " + (i + 1) + ": a listing of stage " + stage + "'s " + m.group(1)
                            + " without a `.Reference solution` title");
                }
                if (!String.join("\n", lines.subList(0, block)).contains("exercises/check " + stage)) {
                    problems.add("line " + (i + 1) + ": a listing of stage " + stage + "'s " + m.group(1)
                            + " before the chapter sets the stage (`exercises/check " + stage + "`)");
                }
            }
            assertTrue(problems.isEmpty(), () -> Chapters.name(chapter) + ":\n" + String.join("\n", problems));
        }));
    }

    /** The sources of every stage's skeleton (relative to src/main/java), by stage, from exercises/stages.conf. */
    private static Map<String, String> stageFiles() throws IOException {
        Map<String, String> files = new HashMap<>();
        for (String line : Files.readAllLines(Chapters.root().resolve("exercises/stages.conf"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s*\\|\\s*");
            Path sources = Chapters.root().resolve("exercises").resolve(fields[2].trim()).resolve("src/main/java");
            try (Stream<Path> walk = Files.walk(sources)) {
                walk.filter(file -> file.toString().endsWith(".java"))
                        .forEach(file -> files.put(sources.relativize(file).toString(), fields[0].trim()));
            }
        }
        return files;
    }

    /** The items of the ordered list after {@code == Review questions}, up to the next section or the end. */
    private static int reviewQuestions(String text) {
        int start = text.indexOf("\n== Review questions\n");
        if (start < 0) {
            return 0;
        }
        String section = text.substring(start + 1);
        int next = section.indexOf("\n== ", 1);
        return count(next < 0 ? section : section.substring(0, next));
    }

    private static int answers(String number) throws IOException {
        String text = Files.readString(ANSWERS);
        int start = text.indexOf("[#answers-" + number + "]\n");
        if (start < 0) {
            return 0;
        }
        int next = text.indexOf("\n[#answers-", start + 1);
        return count(next < 0 ? text.substring(start) : text.substring(start, next));
    }

    private static int count(String section) {
        Matcher item = Pattern.compile("(?m)^\\. ").matcher(section);
        int count = 0;
        while (item.find()) {
            count++;
        }
        return count;
    }
}
