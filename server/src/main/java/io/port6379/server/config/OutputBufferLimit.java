// client-output-buffer-limit: the hard and soft limits of one class of clients, as redis.conf writes them.
package io.port6379.server.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One class of {@code client-output-buffer-limit} ({@code normal 0 0 0 slave 268435456 67108864 60 pubsub
 * 33554432 8388608 60}): hard and soft limits in bytes (0: none) and the soft limit's seconds.
 */
public record OutputBufferLimit(long hard, long soft, long softSeconds) {

    /** The limit of {@code clientClass} in a canonical {@code setting}; {@link ServerConfig} keeps the result. */
    public static OutputBufferLimit of(String setting, String clientClass) {
        return parse(setting, clientClass, clientClass.equals("pubsub")
                ? new OutputBufferLimit(32L << 20, 8L << 20, 60) : new OutputBufferLimit(0, 0, 0));
    }

    /** No hard and no soft limit: nothing to check. */
    public boolean isNone() {
        return hard == 0 && soft == 0;
    }

    /**
     * CONFIG SET's (or redis.conf's) value applied to the {@code current} setting: only the classes it names
     * change, and the result is canonical (bytes, {@code slave} for {@code replica}), as CONFIG GET shows it.
     *
     * @throws IllegalArgumentException with Redis's reason, and nothing changes
     */
    public static String merged(String current, String update) {
        Map<String, String> classes = new LinkedHashMap<>();
        String[] now = current.trim().split("\\s+");
        for (int i = 0; i + 3 < now.length; i += 4) {
            classes.put(now[i], now[i + 1] + " " + now[i + 2] + " " + now[i + 3]);
        }
        String[] words = update.trim().split("\\s+");
        if (update.isBlank() || words.length % 4 != 0) {
            throw new IllegalArgumentException("Wrong number of arguments in buffer limit configuration.");
        }
        for (int i = 0; i < words.length; i += 4) {
            String clientClass = words[i].toLowerCase(java.util.Locale.ROOT);
            clientClass = clientClass.equals("replica") ? "slave" : clientClass;
            if (!classes.containsKey(clientClass)) {
                throw new IllegalArgumentException("Invalid client class specified in buffer limit configuration.");
            }
            try {
                long hard = ConfigParameter.parseMemory(words[i + 1]);
                long soft = ConfigParameter.parseMemory(words[i + 2]);
                long seconds = Long.parseLong(words[i + 3]);
                if (hard < 0 || soft < 0 || seconds < 0) {
                    throw new IllegalArgumentException("negative");
                }
                classes.put(clientClass, hard + " " + soft + " " + seconds);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
        }
        StringBuilder canonical = new StringBuilder();
        classes.forEach((name, limits) -> canonical.append(canonical.isEmpty() ? "" : " ").append(name).append(' ').append(limits));
        return canonical.toString();
    }

    private static OutputBufferLimit parse(String setting, String clientClass, OutputBufferLimit missing) {
        String[] words = setting.trim().split("\\s+");
        for (int i = 0; i + 3 < words.length; i += 4) {
            if (words[i].equalsIgnoreCase(clientClass)) {
                return new OutputBufferLimit(ConfigParameter.parseMemory(words[i + 1]),
                        ConfigParameter.parseMemory(words[i + 2]), Long.parseLong(words[i + 3]));
            }
        }
        return missing;
    }
}
