#!/usr/bin/env bash
# Per-connection heap by class from two `jcmd GC.class_histogram` dumps (bench/run.sh keeps them as
# logs/<transport>-idle-<variant>-<round>.histo-before/-after):
#   bench/histo-diff.sh BEFORE AFTER CONNECTIONS [MIN_BYTES_PER_CONN]
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,4p' "$0"; exit 2; }
awk -v n="$3" -v min="${4:-4}" '
    FNR == 1 { file++ }
    $1 ~ /^[0-9]+:$/ { cls = $4; if (file == 1) { i0[cls] = $2; b0[cls] = $3 } else { i1[cls] = $2; b1[cls] = $3 } }
    END {
        for (c in b1) {
            db = (b1[c] - b0[c]) / n
            if (db >= min || db <= -min) printf "%9.1f B/conn %7.2f obj/conn  %s\n", db, (i1[c] - i0[c]) / n, c
        }
    }' "$1" "$2" | sort -rn
