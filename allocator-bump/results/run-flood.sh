#!/usr/bin/env bash
# Measures VirtualThreadFlood.java: every mode at 100k and 1M virtual threads, 3 fresh JVMs each
# (-Xmx512m), and prints the median wall time and peak RSS per mode and thread count.
# Run from the repository root after `mvn -B -q -pl allocator-bump,allocator-tracking -am -DskipTests package`:
#   JAVA=<JDK 25 java> bash allocator-bump/results/run-flood.sh [CLASSES_ROOT] > allocator-bump/results/virtual-thread-flood.txt
# CLASSES_ROOT (default .) is the tree whose */target/classes are measured.
set -euo pipefail
JAVA=${JAVA:-java}
ROOT=${1:-.}
HERE=$(cd "$(dirname "$0")" && pwd)
CP="$ROOT/allocator-api/target/classes:$ROOT/allocator-bump/target/classes:$ROOT/allocator-tracking/target/classes"
ERR=$(mktemp)
trap 'rm -f "$ERR"' EXIT
MODES=${MODES:-"system bump-thread scoped-bump scoped-confined tracking-system"}
COUNTS=${COUNTS:-"100000 1000000"}
RUNS=${RUNS:-3}
echo "# $("$JAVA" -version 2>&1 | head -1); $(nproc) cores; -Xmx512m; 8 blocks of 64 bytes per virtual thread"
echo "# mode threads median_wall_ms median_vmhwm_mib   (runs: wall_ms/vmhwm_kib ...)"
for count in $COUNTS; do
  for mode in $MODES; do
    runs=()
    for ((r = 0; r < RUNS; r++)); do
      if line=$(timeout 600 "$JAVA" -Xmx512m --enable-native-access=ALL-UNNAMED -cp "$CP" \
          "$HERE/VirtualThreadFlood.java" "$mode" "$count" 2>"$ERR"); then
        runs+=("$(echo "$line" | awk '{print $3 "/" $4}')")
      else
        failed=$(echo "$line" | awk '{print $5}')
        runs+=("FAILED${failed:+($failed threads)}:$(grep -m1 -o '[A-Za-z]*\(Error\|Exception\)' "$ERR" || echo timeout)")
      fi
    done
    median=$(printf '%s\n' "${runs[@]}" | { grep -v FAILED || true; } | sort -t/ -k1,1n | awk -F/ '{w[NR]=$1} END {if (NR) print w[int((NR+1)/2)]; else print "-"}')
    rss=$(printf '%s\n' "${runs[@]}" | { grep -v FAILED || true; } | sort -t/ -k2,2n | awk -F/ '{m[NR]=$2} END {if (NR) printf "%.0f", m[int((NR+1)/2)]/1024; else print "-"}')
    echo "$mode $count $median $rss   (${runs[*]})"
  done
done
