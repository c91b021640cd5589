// ACL LOG: the latest refused commands and failed logins, for the operator to find who is denied what.
package io.port6379.server.security;

import io.port6379.server.Client;
import io.port6379.server.Command;
import io.port6379.protocol.RespWriter;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Redis 7.0's ACL log: newest entry first, at most {@value #MAX_LENGTH} entries ({@code acllog-max-len}'s default).
 * A denial like one of the last ten entries (same reason, context, object and user, within a minute of it) does not
 * add an entry: it bumps that entry's count, refreshes its time and client, and moves it to the front, so a client
 * retrying in a loop cannot flush the log.
 *
 * <p>Not thread-safe: used under the execution lock.
 */
public final class AclLog {

    static final int MAX_LENGTH = 128;
    private long maxLength = MAX_LENGTH;
    private static final long GROUPING_MILLIS = 60_000;
    private static final int SCANNED_FOR_GROUPING = 10;

    /** One line of the log; {@code count}, {@code millis} and {@code clientInfo} change as like denials are grouped. */
    private static final class Entry {
        long count = 1;
        final String reason;
        final String context;
        final String object;
        final String username;
        long millis;
        String clientInfo;

        Entry(String reason, String context, String object, String username, long millis, String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.millis = millis;
            this.clientInfo = clientInfo;
        }

        boolean groupsWith(Entry other) {
            return reason.equals(other.reason) && context.equals(other.context) && object.equals(other.object)
                    && username.equals(other.username) && Math.abs(millis - other.millis) <= GROUPING_MILLIS;
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    /** A command refused by {@link Acl#refusal}: the object is the command, key or channel refused. */
    void denied(Client client, AclSelector.Denial denial, Command command, byte[][] args) {
        String reason = switch (denial.kind()) {
            case COMMAND -> "command";
            case KEY -> "key";
            case CHANNEL -> "channel";
        };
        String object = denial.kind() == AclSelector.Denial.Kind.COMMAND ? command.name() : Acl.text(args[denial.argument()]);
        add(client, reason, object, Acl.user(client).name());
    }

    /** A failed AUTH or HELLO AUTH: the object is the command name as typed, the user the one asked for. */
    void authFailed(Client client, byte[] commandName, String username) {
        add(client, "auth", Acl.text(commandName), username);
    }

    private void add(Client client, String reason, String object, String username) {
        long now = client.server().clock().millis();
        Entry entry = new Entry(reason, client.inMulti() ? "multi" : "toplevel", object, username, now,
                client.describe(client));
        Iterator<Entry> recent = entries.iterator();
        for (int scanned = 0; scanned < SCANNED_FOR_GROUPING && recent.hasNext(); scanned++) {
            Entry existing = recent.next();
            if (existing.groupsWith(entry)) {
                recent.remove();
                existing.count++;
                existing.millis = now;
                existing.clientInfo = entry.clientInfo;
                entries.addFirst(existing);
                return;
            }
        }
        entries.addFirst(entry);
        while (entries.size() > maxLength) {
            entries.removeLast();
        }
    }

    /** {@code acllog-max-len}: the entries beyond it go, oldest first, at the next denial (as Redis trims). */
    public void maxLength(long maxLength) {
        this.maxLength = maxLength;
    }

    public void reset() {
        entries.clear();
    }

    /** ACL LOG [count]: the newest {@code count} entries, each a map of Redis's seven fields. */
    public void reply(RespWriter reply, long count, long now) {
        int shown = (int) Math.min(Math.max(count, 0), entries.size());
        reply.arrayHeader(shown);
        Iterator<Entry> newestFirst = entries.iterator();
        for (int i = 0; i < shown; i++) {
            Entry entry = newestFirst.next();
            reply.mapHeader(7);
            reply.bulkString("count").integer(entry.count);
            reply.bulkString("reason").bulkString(Acl.bytes(entry.reason));
            reply.bulkString("context").bulkString(Acl.bytes(entry.context));
            reply.bulkString("object").bulkString(Acl.bytes(entry.object));
            reply.bulkString("username").bulkString(Acl.bytes(entry.username));
            reply.bulkString("age-seconds").doubleValue((now - entry.millis) / 1000.0);
            reply.bulkString("client-info").bulkString(Acl.bytes(entry.clientInfo));
        }
    }
}
