#!/usr/bin/env bash
# Ten consecutive fresh-clone runs of .ci/run (issue 8's proof, docs/RELIABILITY.md); one summary line per run.
# Usage: REV=<commit> bench/ci-ten.sh [N]   (default: HEAD; summary in target/ci-ten.summary)
set -u
N=${1:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$ROOT/target"
SUM=$ROOT/target/ci-ten.summary
: > "$SUM"
REV=${REV:-$(git -C "$ROOT" rev-parse HEAD)}
for i in $(seq 1 "$N"); do
    d=/tmp/ci$i
    rm -rf "$d"
    git clone -q "$ROOT" "$d" && git -C "$d" checkout -q "$REV"
    s=$(date +%s)
    (cd "$d" && bash .ci/run > "$d.log" 2>&1)
    rc=$?
    e=$(( $(date +%s) - s ))
    counts=$(grep -E "^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures" "$d.log" | grep -v " -- in " | sed 's/\[[A-Z]*\] //' | tr '\n' ';')
    echo "run $i rev ${REV:0:7} rc=$rc ${e}s $counts" | tee -a "$SUM"
    if [ $rc -ne 0 ]; then cp "$d.log" "$ROOT/target/ci-fail-$i.log"; fi
    rm -rf "$d"
done
echo "done" >> "$SUM"
