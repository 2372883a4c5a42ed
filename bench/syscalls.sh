#!/usr/bin/env bash
# Counts the echo server's system calls under load (strace -c on every thread for a few seconds)
# and prints them per socket read (recvfrom on epoll, read on NIO), i.e. per chunk the server read:
# a measure of extra hops that strace's own slowdown does not distort.
#
#   bench/syscalls.sh VARIANT TRANSPORT LOAD...      e.g.  bench/syscalls.sh copy epoll pingpong --conns 1
#     VARIANT netty | copy | zc;  TRANSPORT epoll | nio;  LOAD: loadgen arguments
#   Environment: WARMUP (default 4 s) before strace attaches, TRACE (default 3 s) under strace.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 3 ] || { sed -n '2,9p' "$0"; exit 2; }
command -v strace >/dev/null || { echo "needs strace" >&2; exit 2; }
VARIANT=$1 TRANSPORT=$2
shift 2
WARMUP=${WARMUP:-4}
TRACE=${TRACE:-3}
JAVA=${JAVA:-java}
JAR=$ROOT/examples/target/pyuv4j-examples.jar
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -o -DskipTests package)
LOADGEN=$ROOT/target/bench/loadgen
mkdir -p "$(dirname "$LOADGEN")"
gcc -O2 -Wall -o "$LOADGEN" "$ROOT/bench/loadgen.c"
case "$VARIANT" in
    netty) CLS=NettyEchoServer FLAGS="" ;;
    copy) CLS=EchoServer FLAGS=--copy ;;
    zc) CLS=EchoServer FLAGS=--zero-copy ;;
    *) echo "variant: netty|copy|zc" >&2; exit 2 ;;
esac
TMP=$(mktemp -d)
# shellcheck disable=SC2086
"$JAVA" -Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch -Xss1m -cp "$JAR" "org.pyuv4j.examples.$CLS" 0 \
    --transport "$TRANSPORT" --nodelay $FLAGS > "$TMP/server.out" 2> "$TMP/server.err" &
SPID=$!
trap 'kill -TERM $SPID 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 1 200); do
    grep -q '^PORT ' "$TMP/server.out" 2>/dev/null && break
    sleep 0.1
done
PORT=$(awk '/^PORT /{print $2; exit}' "$TMP/server.out")
"$LOADGEN" "$@" --port "$PORT" --warmup 0 --duration $((WARMUP + TRACE + 2)) > "$TMP/loadgen.out" 2>&1 &
LPID=$!
sleep "$WARMUP"
timeout -s INT "$TRACE" strace -c -f -p "$SPID" -o "$TMP/strace.txt" 2>/dev/null || true
wait "$LPID" || true
echo "# $CLS $FLAGS on $TRANSPORT, load: $*  (strace -c for ${TRACE}s after ${WARMUP}s)"
awk '
    $1 ~ /^[0-9.]+$/ && NF >= 5 { name = $NF; calls[name] = $4; order[++n] = name }
    END {
        # socket reads: recvfrom on epoll; the JDK (NIO) reads sockets with read(2)
        reads = (calls["recvfrom"] + 0 > 0) ? calls["recvfrom"] : calls["read"] + 0
        printf "%-16s %10s %10s\n", "syscall", "calls", "per socket read"
        for (i = 1; i <= n; i++) {
            c = calls[order[i]]
            if (c * 1000 < reads) continue
            printf "%-16s %10d %10.2f\n", order[i], c, reads ? c / reads : 0
        }
    }' "$TMP/strace.txt"
