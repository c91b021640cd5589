// The server's settings, read the way redis-server reads them: a redis.conf file, then --name value arguments.
package io.port6379.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration by name, with Redis 7's names and defaults. Sources, later ones winning:
 * the defaults, the file given as the first command-line argument, then {@code --name value...} arguments.
 */
public final class ServerConfig {

    private final Map<String, String> values = new LinkedHashMap<>();

    public ServerConfig() {
        values.put("port", "6379");
        values.put("bind", "127.0.0.1 -::1");
    }

    /** Parses {@code redis-server}-style arguments: an optional config file first, then {@code --name value...}. */
    public static ServerConfig fromArguments(String... args) throws IOException {
        ServerConfig config = new ServerConfig();
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            config.load(Files.readAllLines(Path.of(args[0])));
            i = 1;
        }
        while (i < args.length) {
            String arg = args[i++];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("Invalid argument '" + arg + "': expected --name value");
            }
            List<String> words = new ArrayList<>();
            while (i < args.length && !args[i].startsWith("--")) {
                words.add(args[i++]);
            }
            config.set(arg.substring(2), String.join(" ", words));
        }
        return config;
    }

    /** Reads {@code name value...} lines; blank lines and lines starting with {@code #} are ignored. */
    public void load(List<String> lines) {
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+", 2);
            set(parts[0], parts.length > 1 ? parts[1] : "");
        }
    }

    public void set(String name, String value) {
        values.put(name.toLowerCase(Locale.ROOT), value);
    }

    public String get(String name) {
        return values.get(name.toLowerCase(Locale.ROOT));
    }

    public int port() {
        return Integer.parseInt(get("port"));
    }

    /** The addresses to listen on; Redis's {@code -} prefix marks an address that may be unavailable. */
    public List<String> bindAddresses() {
        return List.of(get("bind").trim().split("\\s+"));
    }
}
