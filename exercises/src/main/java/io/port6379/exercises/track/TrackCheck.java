// exercises/track/check: builds the participant's server, starts it, and grades the track's stages over TCP.
package io.port6379.exercises.track;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage: {@code TrackCheck <track directory> <stage> [--reference | --redis] [--timeout MILLIS]}.
 *
 * <p>Reads {@code track.conf} in the track directory: {@code build}, a shell command that compiles the
 * participant's server (it may be empty, for a language that needs no build), and {@code run}, the command
 * that starts it, to which the grader appends {@code --port N} (and {@code --dir D --dbfilename F} for the
 * persistence stage). Both run in the track directory with the JDK that runs the grader first on the PATH.
 * {@code --reference} grades the finished Port 6379 server instead, {@code --redis} a real redis-server: what
 * every check expects is what both of them do.
 */
public final class TrackCheck {

    private TrackCheck() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path track = Path.of(args[0]).toAbsolutePath().normalize();
        List<String> options = List.of(args).subList(2, args.length);
        int last;
        try {
            last = Integer.parseInt(args[1]);
            Track.stage(last);
        } catch (IllegalArgumentException e) {
            System.out.println("no stage " + args[1] + ". The stages are:");
            Track.stages().forEach(stage -> System.out.println("  " + stage.id() + "  " + stage.title()));
            System.exit(2);
            return;
        }
        int timeout = options.contains("--timeout")
                ? Integer.parseInt(options.get(options.indexOf("--timeout") + 1)) : 2000;

        Map<String, String> environment = new HashMap<>();
        String javaHome = System.getProperty("java.home");
        environment.put("PATH", javaHome + "/bin:" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("JAVA_HOME", javaHome);
        String run;
        String shown;
        if (options.contains("--reference")) {
            run = referenceCommand();
            shown = "the reference, io.port6379.server.main.Main";
        } else if (options.contains("--redis")) {
            run = "redis-server --save '' --appendonly no";
            shown = run;
        } else {
            Map<String, String> config = readConfig(track.resolve("track.conf"));
            run = config.get("run");
            shown = run;
            String build = config.getOrDefault("build", "");
            if (!build.isBlank()) {
                System.out.println("Building: " + build);
                ProcessBuilder builder = new ProcessBuilder("sh", "-c", build).directory(track.toFile())
                        .redirectErrorStream(true);
                builder.environment().putAll(environment);
                Process process = builder.start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor() != 0) {
                    System.out.print(output);
                    System.out.println("The build failed (exit code " + process.exitValue() + ").");
                    System.exit(2);
                }
            }
        }
        System.out.println("Server:   " + shown + " --port N");
        TrackRun.Report report = TrackRun.run(new ServerCommand(run, track, environment), last, timeout, System.out);
        System.exit(report.passed() ? 0 : 1);
    }

    /** The finished server as a command line: this JVM's java, with this JVM's class path (the reference's jars). */
    public static String referenceCommand() {
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            classPath.append(classPath.isEmpty() ? "" : java.io.File.pathSeparator).append(Path.of(entry).toAbsolutePath());
        }
        return ServerCommand.shellQuote(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                + " -cp " + ServerCommand.shellQuote(classPath.toString()) + " io.port6379.server.main.Main";
    }

    /** {@code name = value} lines; {@code #} starts a comment line. */
    static Map<String, String> readConfig(Path file) throws IOException {
        Map<String, String> config = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException(file + ": not a `name = value` line: " + line);
            }
            config.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
        }
        if (!config.containsKey("run")) {
            throw new IllegalArgumentException(file + " has no `run = ...` line");
        }
        return config;
    }
}
