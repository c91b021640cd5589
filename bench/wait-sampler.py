# Counts writes acknowledged by WAIT while a load runs on the master; used by bench/replication.
#   python3 bench/wait-sampler.py MASTER_PORT REPLICAS SECONDS KIND [WRITERS]
# WRITERS connections (default 4) each loop on SET then WAIT REPLICAS 1000 for SECONDS, as the failover test's
# "waited" writer does. Prints CSV rows "KIND,metric,value": wait_acked_per_s (writes whose WAIT answered REPLICAS,
# per second, all writers together) and wait_p50_us (the median time of one SET + WAIT round trip).
import socket, statistics, sys, threading, time

master_port, replicas, seconds, kind = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
writers = int(sys.argv[5]) if len(sys.argv) > 5 else 4
acked = [0] * writers
rounds = [[] for _ in range(writers)]


def writer(index):
    s = socket.create_connection(("127.0.0.1", master_port))
    f = s.makefile("rb")
    wait = f"*3\r\n$4\r\nWAIT\r\n${len(str(replicas))}\r\n{replicas}\r\n$4\r\n1000\r\n".encode()
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        key = f"waited:{index}:{n}"
        start = time.perf_counter_ns()
        s.sendall(f"*3\r\n$3\r\nSET\r\n${len(key)}\r\n{key}\r\n$1\r\nv\r\n".encode() + wait)
        f.readline()  # +OK
        answered = int(f.readline()[1:])
        rounds[index].append((time.perf_counter_ns() - start) // 1000)
        if answered >= replicas:
            acked[index] += 1
        n += 1
    s.close()


threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"{kind},wait_acked_per_s,{sum(acked) / seconds:.0f}")
print(f"{kind},wait_p50_us,{statistics.median([r for w in rounds for r in w]):.0f}")
