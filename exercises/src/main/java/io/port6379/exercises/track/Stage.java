// One stage of the from-scratch track: what to build, its text, and the behaviours its checks prove.
package io.port6379.exercises.track;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A stage of the track. Its checks talk to the server over TCP only, so they grade a server written in any
 * language. {@code setup} is null for the stages that share one server started with {@code --port} alone; the
 * persistence stage prepares a directory (a dump file in it) and gives the arguments that point the server there.
 *
 * @param number    its number, the order of the track
 * @param slug      the name of its text, {@code exercises/track/stages/NN-slug.md}
 * @param title     what the participant builds, in a few words
 * @param chapter   the book's chapter that explains it
 * @param setup     how its server starts, or null for the shared one
 * @param behaviours its checks, in the order the stage's text introduces them
 */
public record Stage(int number, String slug, String title, String chapter, Setup setup, List<Behaviour> behaviours) {

    /** The stage's text, relative to the track's directory. */
    public String textPath() {
        return "stages/" + id() + "-" + slug + ".md";
    }

    /** Two digits, as the track numbers its stages: {@code 05}. */
    public String id() {
        return String.format("%02d", number);
    }

    /** One behaviour and the check that proves it. */
    public record Behaviour(String name, Body body) {
    }

    /** A check: returns when the behaviour holds, throws an {@link AssertionError} (or any exception) when not. */
    @FunctionalInterface
    public interface Body {
        void run(Check check) throws Exception;
    }

    /** Prepares {@code directory} for a stage's own server and returns the arguments that point it there. */
    @FunctionalInterface
    public interface Setup {
        List<String> prepare(Path directory) throws IOException;
    }
}
