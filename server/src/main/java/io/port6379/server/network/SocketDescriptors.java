// The file descriptor number of a connected socket, found in /proc on Linux, for CLIENT LIST's fd field.
package io.port6379.server.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Java does not expose a socket's descriptor, but Linux does: {@code /proc/net/tcp} (and {@code tcp6}) give the
 * socket's inode for its pair of ports, and the link {@code /proc/self/fd/N -> socket:[inode]} gives N. Looked up
 * once per client, when CLIENT LIST first asks; -1 where there is no {@code /proc} or no match, as Redis shows
 * for a client without a connection.
 */
final class SocketDescriptors {

    private SocketDescriptors() {
    }

    static int of(Socket socket) {
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

    /** The inode of the TCP socket from {@code localPort} to {@code remotePort}, or null. */
    private static String inode(int localPort, int remotePort) throws IOException {
        String local = String.format(Locale.ROOT, ":%04X", localPort);
        String remote = String.format(Locale.ROOT, ":%04X", remotePort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] columns = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (columns.length > 9 && columns[1].endsWith(local) && columns[2].endsWith(remote)) {
                    return columns[9];
                }
            }
        }
        return null;
    }
}
