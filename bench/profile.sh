#!/usr/bin/env bash
# Profiles one echo server under one load with JFR (CPU samples + allocation samples).
#
#   bench/profile.sh VARIANT TRANSPORT LOAD...
#     VARIANT   netty | copy | zc        (NettyEchoServer, EchoServer --copy, EchoServer --zero-copy)
#     TRANSPORT epoll | nio
#     LOAD      loadgen arguments, e.g.  pingpong --conns 100    or    pump --conns 10
#   Environment: WARMUP (default 5 s), DURATION (default 10 s), OUT (default target/profile/...),
#                JAVA (server JVM), JFR_TOOL (default: a JDK 21+ jfr if found, else jfr next to JAVA),
#                EXTRA_SERVER_ARGS (appended to the server's command line, e.g. "--recv fixed64k").
#
# The recording (the JDK's profile settings, Java samples every 1 ms, allocation samples) starts
# after the warm-up and lasts DURATION; the load generator measures the same window. Results:
# $OUT/rec.jfr, $OUT/summary.txt (bench/jfr_summary.py: bytes allocated per echoed message by the
# loop thread, allocations by class and site, hot methods), plus `jfr summary` and, with JDK 21+,
# `jfr view hot-methods` / `allocation-by-class` in $OUT/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 3 ] || { sed -n '2,16p' "$0"; exit 2; }
VARIANT=$1 TRANSPORT=$2
shift 2
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-10}
JAVA=${JAVA:-java}
JAVA_BIN=$(dirname "$(readlink -f "$(command -v "$JAVA")")")
if [ -z "${JFR_TOOL:-}" ]; then
    JFR_TOOL=$JAVA_BIN/jfr
    for j in /usr/lib/jvm/temurin-2[1-9]*/bin/jfr /usr/lib/jvm/*-2[1-9]*/bin/jfr; do
        [ -x "$j" ] && JFR_TOOL=$j && break
    done
fi
JAR=$ROOT/examples/target/pyuv4j-examples.jar
OUT=${OUT:-$ROOT/target/profile/$VARIANT-$TRANSPORT-$(echo "$*" | tr -c 'a-z0-9\n' '_' | tr -s _)}
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -o -DskipTests package)
LOADGEN=$ROOT/target/bench/loadgen
mkdir -p "$(dirname "$LOADGEN")"
gcc -O2 -Wall -o "$LOADGEN" "$ROOT/bench/loadgen.c"

case "$VARIANT" in
    netty) CLS=NettyEchoServer FLAGS="" THREAD=multiThreadIoEventLoopGroup ;;
    copy) CLS=EchoServer FLAGS=--copy THREAD="" ;;
    zc) CLS=EchoServer FLAGS=--zero-copy THREAD="" ;;
    *) echo "variant: netty|copy|zc" >&2; exit 2 ;;
esac

# JFR settings: the JDK's "profile" with Java samples every 1 ms (instead of 10; an event loop spends
# most of its time in syscalls, where JFR takes no Java sample) and up to 5000 allocation samples/s.
JFC=$OUT/bench.jfc
sed -e '/name="jdk.ExecutionSample"/,/<\/event>/s/>10 ms</>1 ms</' \
    -e '/name="jdk.ObjectAllocationSample"/,/<\/event>/s/>300\/s</>5000\/s</' \
    "$(dirname "$JAVA_BIN")/lib/jfr/profile.jfc" > "$JFC"
# The recording starts once the server is up and warmed: delay = JVM start margin + warm-up.
DELAY=$((WARMUP + 2))
# shellcheck disable=SC2086
"$JAVA" -Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch -Xss1m \
    -XX:StartFlightRecording=delay=${DELAY}s,duration=${DURATION}s,settings=$JFC,filename=$OUT/rec.jfr \
    -cp "$JAR" "org.pyuv4j.examples.$CLS" 0 --transport "$TRANSPORT" --nodelay $FLAGS ${EXTRA_SERVER_ARGS:-} \
    > "$OUT/server.out" 2> "$OUT/server.err" &
SPID=$!
trap 'kill -TERM $SPID 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
    grep -q '^PORT ' "$OUT/server.out" 2>/dev/null && break
    sleep 0.1
done
PORT=$(awk '/^PORT /{print $2; exit}' "$OUT/server.out")
sleep 2 # = the 2 s margin in DELAY: the load's warm-up then lines up with the recording's delay
"$LOADGEN" "$@" --port "$PORT" --warmup "$WARMUP" --duration "$DURATION" > "$OUT/loadgen.out" 2> "$OUT/loadgen.err"
cat "$OUT/loadgen.err" >&2
sleep 1 # let the recording's duration end and the file be written
kill -TERM $SPID
wait $SPID 2>/dev/null || true
trap - EXIT

VALUE=$(awk '/^RESULT/{for (i = 1; i <= NF; i++) if ($i ~ /^value=/) {sub("value=", "", $i); print $i}}' "$OUT/loadgen.out")
UNIT=$(awk '/^RESULT/{for (i = 1; i <= NF; i++) if ($i ~ /^unit=/) {sub("unit=", "", $i); print $i}}' "$OUT/loadgen.out")
case "$UNIT" in
    rt/s) MESSAGES=$(awk -v v="$VALUE" -v d="$DURATION" 'BEGIN{print v * d}') ;;               # one message = one 64-byte echo
    MB/s) MESSAGES=$(awk -v v="$VALUE" -v d="$DURATION" 'BEGIN{print v * 1e6 * d / 65536}') ;; # one message = 64 KiB echoed
    *) MESSAGES=$(awk -v v="$VALUE" -v d="$DURATION" 'BEGIN{print v * d}') ;;
esac
{
    echo "# $CLS $FLAGS on $TRANSPORT, load: $*; ${VALUE} ${UNIT} over ${DURATION}s (after ${WARMUP}s warm-up)"
    python3 "$ROOT/bench/jfr_summary.py" "$JFR_TOOL" "$OUT/rec.jfr" "$MESSAGES" "$THREAD"
} > "$OUT/summary.txt"
"$JFR_TOOL" summary "$OUT/rec.jfr" > "$OUT/jfr-summary.txt"
"$JFR_TOOL" view --width 200 hot-methods "$OUT/rec.jfr" > "$OUT/hot-methods.txt" 2>/dev/null || true
"$JFR_TOOL" view --width 200 allocation-by-class "$OUT/rec.jfr" > "$OUT/allocation-by-class.txt" 2>/dev/null || true
echo "$OUT/summary.txt" >&2
cat "$OUT/summary.txt"
