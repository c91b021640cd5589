# Shared by the bench/ scripts (sourced, not run).

# Prints a java of version 21 or newer: $JAVA_HOME's or the PATH's if new enough, else the newest under
# /usr/lib/jvm — the same choice the build's maven-toolchains-plugin makes.
find_java21() {
  local candidate
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" \
                   $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV); do
    [ -x "$candidate" ] || continue
    if [ "$("$candidate" -XshowSettings:properties -version 2>&1 \
           | sed -n 's/^ *java.specification.version = //p')" -ge 21 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "bench: no JDK 21+ found (set JAVA_HOME)" >&2
  return 1
}

# Waits until a server on 127.0.0.1:$1 answers PING (at most ~20 s).
wait_for_pong() {
  local i
  for i in $(seq 1 2000); do
    [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ] && return 0
    sleep 0.01
  done
  echo "bench: nothing answers PING on port $1" >&2
  return 1
}

# Prints a free TCP port on the loopback interface.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Requests per redis-benchmark run at pipeline depth $1: $REQUESTS (default 100 000) without pipelining, ten times
# as many (or $REQUESTS_P16) with it. At -P 16 both servers answer 100 000 requests in about 0.15 s, so short a run
# that one collector pause or the 50 connections' start decides its p99; a million takes one to two seconds.
requests_for() {
  if [ "$1" -gt 1 ]; then echo "${REQUESTS_P16:-$(( ${REQUESTS:-100000} * 10 ))}"; else echo "${REQUESTS:-100000}"; fi
}
