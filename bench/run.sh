#!/usr/bin/env bash
# Side-by-side benchmark, equal work on both sides: the pyuv4j echo server's copying API (EchoServer
# --copy: startRead + write(byte[])) against a raw Netty echo that copies through byte[] too
# (NettyEchoServer --copy), and pyuv4j's zero-copy API (EchoServer --zero-copy) against raw Netty
# forwarding its buffers (NettyEchoServer --zero-copy); on epoll and NIO, driven by bench/loadgen.c.
#
#   bench/run.sh            full run: 3 rounds, 3 s warm-up + 4 s measured per run (~12 min)
#   bench/run.sh --quick    2 rounds, 2 s + 2 s (~5 min)
#
# Options (after --quick, they override it):
#   --rounds N  --warmup S  --duration S  --transports "epoll nio"  --rows "pp1 pp100 pump1 pump10 connrate idle lines"
#   --idle-conns N  --pin (server on CPU 0, loadgen on CPU 1)  --out DIR
#   --pyuv4j-args "..."  extra EchoServer arguments, e.g. "--ftl" or "--loops 2"
#   --netty-args "..."   extra NettyEchoServer arguments, e.g. "--threads 2"
#   --tls jdk|openssl    TLS rows: both servers run --tls --provider P, the load generator is built
#                        with -DLOADGEN_TLS (needs libssl-dev) and handshakes on every connection;
#                        rows default to "pp100 pump10 connrate" (idle and lines are plaintext rows)
# The "lines" row is ping-pong 100 with newline-terminated messages through a LineBasedFrameDecoder
# on both sides (Stream.pipeline() for pyuv4j, the channel pipeline for Netty).
# Environment: JAVA (default: java on PATH), BENCH_JVM_FLAGS (replaces the server JVM flags below).
#
# Every measurement starts a fresh server JVM with identical flags; the load generator warms it up
# for exactly --warmup seconds under the measured load, then measures for --duration seconds.
# Within a row the servers alternate (raw Netty, pyuv4j copy, pyuv4j zero-copy, raw Netty, ...).
# Output: a table of medians, spread (min-max) and the pyuv4j / raw-Netty ratio per row, on stdout
# and in $OUT/results.md; every single result in $OUT/raw.tsv; server logs in $OUT/logs/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/examples/target/pyuv4j-examples.jar
JAVA=${JAVA:-java}
JAVA_BIN=$(dirname "$(readlink -f "$(command -v "$JAVA")")")
JCMD=$JAVA_BIN/jcmd
JVM_FLAGS=${BENCH_JVM_FLAGS:--Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch -Xss1m}

ROUNDS=3
WARMUP=3
DURATION=4
TRANSPORTS="epoll nio"
ROWS="pp1 pp100 pump1 pump10 connrate idle lines"
IDLE_CONNS=10000
PIN=0
OUT=""
MODE=full
PYUV4J_ARGS=""
NETTY_ARGS=""
TLS=""
ROWS_GIVEN=0

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) MODE=quick; ROUNDS=2; WARMUP=2; DURATION=2 ;;
        --rounds) ROUNDS=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --transports) TRANSPORTS=$2; shift ;;
        --rows) ROWS=$2; ROWS_GIVEN=1; shift ;;
        --idle-conns) IDLE_CONNS=$2; shift ;;
        --pin) PIN=1 ;;
        --out) OUT=$2; shift ;;
        --pyuv4j-args) PYUV4J_ARGS=$2; shift ;;
        --netty-args) NETTY_ARGS=$2; shift ;;
        --tls) TLS=$2; shift ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if [ -n "$TLS" ]; then
    case "$TLS" in jdk|openssl) ;; *) echo "--tls takes jdk or openssl" >&2; exit 2 ;; esac
    [ "$ROWS_GIVEN" = 1 ] || ROWS="pp100 pump10 connrate"
    for row in $ROWS; do
        case "$row" in idle|lines) echo "row $row is plaintext only; drop it with --tls" >&2; exit 2 ;; esac
    done
    PYUV4J_ARGS="--tls --provider $TLS $PYUV4J_ARGS"
    NETTY_ARGS="--tls --provider $TLS $NETTY_ARGS"
fi

OUT=${OUT:-$ROOT/target/bench/$(date +%Y%m%d-%H%M%S)-$MODE}
mkdir -p "$OUT/logs"
RAW=$OUT/raw.tsv
: > "$RAW"

# Idle rows hold 10k connections: each side needs more than 10k descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n)
if [ "$NOFILE" != unlimited ] && [ "$NOFILE" -le $((IDLE_CONNS + 200)) ]; then
    echo "warning: ulimit -n is $NOFILE; idle rows need > $((IDLE_CONNS + 200))" >&2
fi

if [ ! -f "$JAR" ]; then
    echo "building $JAR" >&2
    (cd "$ROOT" && mvn -B -q -o -DskipTests package)
fi
LOADGEN=$ROOT/target/bench/loadgen
mkdir -p "$(dirname "$LOADGEN")"
if [ -n "$TLS" ]; then
    LOADGEN=$LOADGEN-tls
    gcc -O2 -Wall -DLOADGEN_TLS -o "$LOADGEN" "$ROOT/bench/loadgen.c" -lssl -lcrypto
else
    gcc -O2 -Wall -o "$LOADGEN" "$ROOT/bench/loadgen.c"
fi

SERVER_CPU=()
LOADGEN_CPU=()
if [ "$PIN" = 1 ]; then
    SERVER_CPU=(taskset -c 0)
    LOADGEN_CPU=(taskset -c 1)
fi

SPID=""
SPORT=""

cleanup() {
    if [ -n "$SPID" ] && kill -0 "$SPID" 2>/dev/null; then
        kill -TERM "$SPID" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server VARIANT TRANSPORT LOGNAME [EXTRA]: sets SPID and SPORT
start_server() {
    local variant=$1 transport=$2 log=$3 extra=${4:-} cls flags
    case "$variant" in
        netty) cls=NettyEchoServer; flags="--zero-copy $NETTY_ARGS $extra" ;;
        nettycopy) cls=NettyEchoServer; flags="--copy $NETTY_ARGS $extra" ;;
        copy) cls=EchoServer; flags="--copy $PYUV4J_ARGS $extra" ;;
        zc) cls=EchoServer; flags="--zero-copy $PYUV4J_ARGS $extra" ;;
    esac
    # shellcheck disable=SC2086
    "${SERVER_CPU[@]}" "$JAVA" $JVM_FLAGS -cp "$JAR" "org.pyuv4j.examples.$cls" 0 --transport "$transport" --nodelay $flags \
        > "$log.out" 2> "$log.err" &
    SPID=$!
    local i
    for i in $(seq 1 200); do
        if SPORT=$(awk '/^PORT /{print $2; exit}' "$log.out" 2>/dev/null) && [ -n "$SPORT" ]; then
            return 0
        fi
        if ! kill -0 "$SPID" 2>/dev/null; then
            echo "server $cls died at start; see $log.err" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "server $cls did not print PORT within 20 s" >&2
    return 1
}

stop_server() {
    local i
    kill -TERM "$SPID" 2>/dev/null || true
    for i in $(seq 1 150); do
        kill -0 "$SPID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$SPID" 2>/dev/null; then
        echo "server $SPID ignored SIGTERM for 15 s; killing it" >&2
        kill -KILL "$SPID" 2>/dev/null || true
    fi
    wait "$SPID" 2>/dev/null || true
    SPID=""
}

field() { # field NAME LINE
    echo "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'
}

loadgen() {
    "${LOADGEN_CPU[@]}" "$LOADGEN" "$@" ${TLS:+--tls} --port "$SPORT" --warmup "$WARMUP" --duration "$DURATION"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$SPID/stat"; } # utime + stime of the server, in clock ticks

# measured LOADGEN-ARGS...: runs the load, prints its RESULT line with cpu_ticks= appended (the
# server's CPU time from the end of the warm-up to the end of the load)
measured() {
    local out="$log.result" c0 c1
    loadgen "$@" > "$out" 2>> "$log.loadgen" &
    local lpid=$!
    sleep "$WARMUP"
    c0=$(cpu_ticks)
    wait "$lpid" || true
    c1=$(cpu_ticks)
    if grep -q '^RESULT' "$out"; then
        echo "$(grep '^RESULT' "$out") cpu_ticks=$((c1 - c0))"
    fi
}

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$SPID/status"; }
live_heap() { # full GC, then the histogram's total bytes of live objects
    "$JCMD" "$SPID" GC.class_histogram > "$1" 2>/dev/null
    awk '/^Total/{print $3}' "$1"
}

# run_one TRANSPORT ROW VARIANT ROUND: appends a line to raw.tsv
run_one() {
    local t=$1 row=$2 v=$3 r=$4 log="$OUT/logs/$1-$2-$3-$4" line value="NA" p99="" extra="" sflags=""
    [ "$row" = lines ] && sflags="--lines"
    if ! start_server "$v" "$t" "$log" "$sflags"; then
        printf '%s\t%s\t%s\t%s\tNA\t\t\n' "$t" "$row" "$v" "$r" >> "$RAW"
        stop_server
        return
    fi
    local cpu=""
    case "$row" in
        pp1) line=$(measured pingpong --conns 1) ;;
        pp100) line=$(measured pingpong --conns 100) ;;
        lines) line=$(measured pingpong --conns 100 --newline 1) ;;
        pump1) line=$(measured pump --conns 1) ;;
        pump10) line=$(measured pump --conns 10) ;;
        connrate) line=$(measured connrate --concurrency 4) ;;
        idle)
            # Warm the accept/read/close paths (class loading, JIT) so they do not count per connection.
            "${LOADGEN_CPU[@]}" "$LOADGEN" connrate --port "$SPORT" --warmup 0 --duration 1 >/dev/null 2>> "$log.loadgen" || true
            local heap0 rss0 heap1 rss1 fifo="$log.idle"
            heap0=$(live_heap "$log.histo-before")
            rss0=$(rss_kb)
            "${LOADGEN_CPU[@]}" "$LOADGEN" idle --port "$SPORT" --conns "$IDLE_CONNS" > "$fifo" 2>> "$log.loadgen" &
            local lpid=$! i
            for i in $(seq 1 600); do
                grep -q '^READY' "$fifo" 2>/dev/null && break
                kill -0 "$lpid" 2>/dev/null || break
                sleep 0.1
            done
            if grep -q '^READY' "$fifo"; then
                heap1=$(live_heap "$log.histo-after")
                rss1=$(rss_kb)
                # bytes per connection: off-heap (RSS; the heap is pre-touched) + live Java heap
                local rssb=$(( (rss1 - rss0) * 1024 / IDLE_CONNS )) heapb=$(( (heap1 - heap0) / IDLE_CONNS ))
                line="RESULT mode=idle value=$((rssb + heapb)) rss_b=$rssb heap_b=$heapb"
            fi
            kill -TERM "$lpid" 2>/dev/null || true
            wait "$lpid" 2>/dev/null || true
            ;;
    esac
    stop_server
    if [ -n "$line" ]; then
        value=$(field value "$line")
        p99=$(field p99_us "$line")
        cpu=$(field cpu_ticks "$line")
        if [ -n "$cpu" ] && [ -n "$value" ]; then
            # server CPU (all threads, user+sys) per unit of work in the measured window:
            # µs per echoed message (ping-pong), per MB (pump), per connection (connrate)
            extra="cpu=$(awk -v t="$cpu" -v v="$value" -v d="$DURATION" -v hz="$(getconf CLK_TCK)" \
                'BEGIN { printf "%.2f", (v > 0) ? t * 1e6 / hz / (v * d) : 0 }')"
        fi
        if [ "$row" = idle ]; then
            extra="rss=$(field rss_b "$line") heap=$(field heap_b "$line")"
        fi
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$row" "$v" "$r" "${value:-NA}" "$p99" "$extra" >> "$RAW"
    printf '  %-5s %-8s %-5s round %s: %s %s %s\n' "$t" "$row" "$v" "$r" "${value:-NA}" "${p99:+p99=${p99}us}" "$extra" >&2
}

variants_for() {
    case "$1" in
        idle) echo "netty copy" ;;
        *) echo "netty zc nettycopy copy" ;;
    esac
}

START=$(date +%s)
{
    echo "# bench/run.sh $MODE: rounds=$ROUNDS warmup=${WARMUP}s duration=${DURATION}s idle-conns=$IDLE_CONNS pin=$PIN${TLS:+ tls=$TLS}${PYUV4J_ARGS:+ pyuv4j-args=\"$PYUV4J_ARGS\"}${NETTY_ARGS:+ netty-args=\"$NETTY_ARGS\"}"
    echo "# $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
    echo "# $("$JAVA" -version 2>&1 | head -1); server JVM flags: $JVM_FLAGS"
} | tee "$OUT/header.txt" >&2

for t in $TRANSPORTS; do
    for row in $ROWS; do
        for r in $(seq 1 "$ROUNDS"); do
            for v in $(variants_for "$row"); do
                run_one "$t" "$row" "$v" "$r"
            done
        done
    done
done

# ------------------------------------------------------------------ table
awk -F'\t' '
function median(list,   n, a, i, j, tmp) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { tmp = a[i]; j = i - 1; while (j > 0 && a[j] + 0 > tmp + 0) { a[j + 1] = a[j]; j-- } a[j + 1] = tmp }
    if (n == 0) return ""
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function minmax(list,   n, a, i, lo, hi) {
    n = split(list, a, " "); if (n == 0) return ""
    lo = a[1]; hi = a[1]
    for (i = 2; i <= n; i++) { if (a[i] + 0 < lo + 0) lo = a[i]; if (a[i] + 0 > hi + 0) hi = a[i] }
    return fmt(lo) "–" fmt(hi)
}
function fmt(x) { return (x + 0 >= 100) ? sprintf("%.0f", x) : sprintf("%.1f", x) }
$5 != "NA" {
    k = $1 SUBSEP $2 SUBSEP $3
    vals[k] = vals[k] " " $5
    if ($6 != "") p99[k] = p99[k] " " $6
    if ($7 ~ /^rss=/) { split($7, e, " "); split(e[1], x, "="); rss[k] = rss[k] " " x[2]; split(e[2], y, "="); heap[k] = heap[k] " " y[2] }
    if ($7 ~ /^cpu=/) { split($7, x, "="); cpu[k] = cpu[k] " " x[2] }
    if (!(($1, $2) in seen)) { seen[$1, $2] = 1; order[++n] = $1 SUBSEP $2 }
}
END {
    unit["pp1"] = "round trips/s"; unit["pp100"] = "round trips/s"; unit["pump1"] = "MB/s echoed"; unit["pump10"] = "MB/s echoed"
    unit["connrate"] = "connections/s"; unit["idle"] = "bytes/conn (lower is better)"; unit["lines"] = "round trips/s"
    cunit["pp1"] = "msg"; cunit["pp100"] = "msg"; cunit["pump1"] = "MB"; cunit["pump10"] = "MB"; cunit["connrate"] = "conn"; cunit["lines"] = "msg"
    label["pp1"] = "ping-pong 64 B, 1 conn"; label["pp100"] = "ping-pong 64 B, 100 conns"; label["pump1"] = "pump 64 KiB, 1 conn"
    label["pump10"] = "pump 64 KiB, 10 conns"; label["connrate"] = "connect+echo+close, 4 at a time"; label["idle"] = "idle connections"
    label["lines"] = "ping-pong 64 B lines, 100 conns, LineBasedFrameDecoder"
    print "| transport | row | unit | raw Netty median (min–max) | pyuv4j zero-copy median (min–max) | ratio | Netty through byte[] median (min–max) | pyuv4j copy median (min–max) | ratio |"
    print "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for (i = 1; i <= n; i++) {
        split(order[i], tr, SUBSEP); t = tr[1]; row = tr[2]
        line = "| " t " | " label[row] " | " unit[row] " |"
        for (vi = 1; vi <= 4; vi++) {
            v = (vi == 1) ? "netty" : (vi == 2) ? "zc" : (vi == 3) ? "nettycopy" : "copy"
            # the pairs of equal work: zero-copy against raw Netty, copy against Netty through byte[];
            # the idle row has one pyuv4j column, against raw Netty
            basev = (vi <= 2 || row == "idle") ? "netty" : "nettycopy"
            base = median(vals[t, row, basev])
            k = t SUBSEP row SUBSEP v
            if (!(k in vals)) { line = line ((vi == 1 || vi == 3) ? " – |" : " – | – |"); continue }
            m = median(vals[k])
            line = line " " fmt(m) " (" minmax(vals[k]) ")"
            if (k in p99) line = line ", p99 " fmt(median(p99[k])) " µs"
            if (k in rss) line = line " [off-heap " fmt(median(rss[k])) " + heap " fmt(median(heap[k])) "]"
            if (k in cpu) line = line ", CPU " sprintf("%.2f", median(cpu[k])) " µs/" cunit[row]
            line = line " |"
            if (vi == 2 || vi == 4) {
                r = (base + 0 > 0) ? m / base : 0
                line = line " " ((base + 0 > 0) ? sprintf("%.2f", r) : "–")
                kb = t SUBSEP row SUBSEP basev
                if ((k in cpu) && (kb in cpu) && median(cpu[kb]) + 0 > 0) line = line ", CPU " sprintf("%.2f", median(cpu[k]) / median(cpu[kb])) "×"
                line = line " |"
            }
        }
        print line
    }
    print ""
    print "ratio = pyuv4j median / the Netty median of equal work (zero-copy / raw Netty, copy / Netty through byte[]; idle: / raw Netty): below 1.00 is slower for throughput rows, above 1.00 is more memory for idle. CPU n× = server CPU per unit of work, pyuv4j / Netty."
    print "CPU = the server process'"'"'s CPU time (all threads, user+sys, /proc/PID/stat) in the measured window per echoed message, MB or connection (median)."
}' "$RAW" | tee "$OUT/results.md"

echo "" >&2
echo "done in $(( $(date +%s) - START )) s; results in $OUT/results.md, raw data in $RAW" >&2
