// The file descriptor number of a connected socket, for CLIENT LIST's fd field: from the JDK's fields, or from /proc.
package io.port6379.server.network;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketImpl;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Java does not expose a socket's descriptor. The server's jar opens {@code java.net} and {@code java.io} to it
 * (its manifest's {@code Add-Opens}), so the number is read where the JDK keeps it: {@code Socket.impl}, its
 * {@code SocketImpl.fd}, that {@code FileDescriptor}'s {@code fd}, in O(1). Run otherwise (inside another program's
 * JVM), it falls back to what Linux shows: {@code /proc/net/tcp} (and {@code tcp6}) give the socket's inode for its
 * pair of ports, and the link {@code /proc/self/fd/N -> socket:[inode]} gives N. Looked up once per client, when
 * CLIENT LIST first asks; -1 where neither works, as Redis shows for a client without a connection.
 */
final class SocketDescriptors {

    private static final Field SOCKET_IMPL = accessible(Socket.class, "impl");
    private static final Field IMPL_FD = accessible(SocketImpl.class, "fd");
    private static final Field FD_NUMBER = accessible(FileDescriptor.class, "fd");

    private SocketDescriptors() {
    }

    static int of(Socket socket) {
        int fd = fromFields(socket);
        return fd >= 0 ? fd : fromProc(socket);
    }

    /** The field, or null where its module is not opened to this one (no {@code Add-Opens}). */
    private static Field accessible(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException closed) {
            return null;
        }
    }

    private static int fromFields(Socket socket) {
        if (SOCKET_IMPL == null || IMPL_FD == null || FD_NUMBER == null) {
            return -1;
        }
        try {
            Object descriptor = SOCKET_IMPL.get(socket) instanceof SocketImpl impl ? IMPL_FD.get(impl) : null;
            return descriptor instanceof FileDescriptor fd ? FD_NUMBER.getInt(fd) : -1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static int fromProc(Socket socket) {
        try {
            String inode = inode(socket.getLocalPort(), ((InetSocketAddress) socket.getRemoteSocketAddress()).getPort());
            if (inode == null) {
                return -1;
            }
            String target = "socket:[" + inode + "]";
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path fd : fds) {
                    try {
                        if (Files.readSymbolicLink(fd).toString().equals(target)) {
                            return Integer.parseInt(fd.getFileName().toString());
                        }
                    } catch (IOException gone) {
                        // a descriptor closed while listing: not ours
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * The inode of the TCP socket from {@code localPort} to {@code remotePort}, or null. A busy host lists tens of
     * thousands of sockets (connections in TIME_WAIT included), and CLIENT LIST runs under the execution lock, so
     * the table is scanned as bytes for the one line whose ports match, without splitting every line: 13 000
     * lines took 0.3 to 1.2 s split by a regular expression on a loaded 2-core machine.
     */
    private static String inode(int localPort, int remotePort) throws IOException {
        byte[] local = String.format(Locale.ROOT, ":%04X ", localPort).getBytes(StandardCharsets.US_ASCII);
        byte[] remote = String.format(Locale.ROOT, ":%04X ", remotePort).getBytes(StandardCharsets.US_ASCII);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(path);
            int addressLength = table.endsWith("6") ? 32 : 8; // hex digits of an IPv6 or IPv4 address
            for (int at = indexOf(bytes, local, 0); at >= 0; at = indexOf(bytes, local, at + 1)) {
                // sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                int remoteAt = at + local.length + addressLength;
                if (regionMatches(bytes, remoteAt, remote)) {
                    return column(bytes, remoteAt + remote.length, 6); // st, queues, timer, retrnsmt, uid, timeout
                }
            }
        }
        return null;
    }

    private static int indexOf(byte[] bytes, byte[] needle, int from) {
        for (int i = from; i <= bytes.length - needle.length; i++) {
            if (bytes[i] == needle[0] && regionMatches(bytes, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean regionMatches(byte[] bytes, int at, byte[] needle) {
        if (at + needle.length > bytes.length) {
            return false;
        }
        for (int i = 0; i < needle.length; i++) {
            if (bytes[at + i] != needle[i]) {
                return false;
            }
        }
        return true;
    }

    /** The whitespace-separated field after skipping {@code skip} fields from {@code at}, or null at a line's end. */
    private static String column(byte[] bytes, int at, int skip) {
        int i = at;
        for (int field = 0; field <= skip; field++) {
            while (i < bytes.length && bytes[i] == ' ') {
                i++;
            }
            int start = i;
            while (i < bytes.length && bytes[i] != ' ' && bytes[i] != '\n') {
                i++;
            }
            if (start == i) {
                return null;
            }
            if (field == skip) {
                return new String(bytes, start, i - start, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }
}
