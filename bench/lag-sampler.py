# Samples a replica's lag behind its master while a load runs; used by bench/replication.
#   python3 bench/lag-sampler.py MASTER_PORT REPLICA_PORT LOAD_PID KIND
# Prints CSV rows "KIND,metric,value": lag_p50_bytes, lag_max_bytes, lag_samples, catchup_ms.
import os, socket, statistics, sys, time

master_port, replica_port, load_pid, kind = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]


def connect(port):
    s = socket.create_connection(("127.0.0.1", port))
    return s, s.makefile("rb")


def send_info(conn):
    conn[0].sendall(b"INFO replication\r\n")


def read_field(conn, name):
    header = conn[1].readline()  # $<length>
    body = conn[1].read(int(header[1:]) + 2).decode()
    for line in body.split("\r\n"):
        if line.startswith(name + ":"):
            return int(line.split(":", 1)[1])
    raise SystemExit(f"bench: no {name} in INFO replication")


def offsets(master, replica):
    # Both requests go out before either reply is read, so the two offsets are taken close together.
    send_info(master)
    send_info(replica)
    return read_field(master, "master_repl_offset"), read_field(replica, "slave_repl_offset")


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


master, replica = connect(master_port), connect(replica_port)
lags = []
while alive(load_pid):
    m, r = offsets(master, replica)
    lags.append(max(0, m - r))
    time.sleep(0.01)
start = time.monotonic()
m, r = offsets(master, replica)
while r < m:
    time.sleep(0.001)
    r = offsets(master, replica)[1]
catchup_ms = (time.monotonic() - start) * 1000
print(f"{kind},lag_p50_bytes,{statistics.median(lags) if lags else 0:.0f}")
print(f"{kind},lag_max_bytes,{max(lags) if lags else 0}")
print(f"{kind},lag_samples,{len(lags)}")
print(f"{kind},catchup_ms,{catchup_ms:.1f}")
