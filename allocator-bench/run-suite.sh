#!/bin/sh
# Runs the whole JMH suite (Suite*Benchmark: every strategy of this repository beside the anchors, in one
# run) and writes results/suite.json (JMH) and results/suite.md (ratio table, see RatioTable.java).
#
#   allocator-bench/run-suite.sh           SHORT mode: 1 fork, 1 x 500 ms warm-up, 2 x 500 ms measurement
#                                          (about 125 forks; under 10 minutes on 2 cores)
#   allocator-bench/run-suite.sh full      1 fork, 3 x 1 s warm-up, 5 x 1 s measurement (about 25 minutes),
#                                          writes results/suite-full.{json,md}
#   allocator-bench/run-suite.sh tiny      a check that everything runs (1 x 200 ms each), numbers meaningless
#   SUITE_JMH="..." allocator-bench/run-suite.sh   your own JMH options (added after the mode's)
#
# Always with -prof gc. Run from anywhere; builds what it needs (never installs into ~/.m2).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
mode=${1:-short}
case "$mode" in
    short) timing="-f 1 -wi 1 -i 2 -w 500ms -r 500ms" ;;
    full)  timing="-f 1 -wi 3 -i 5 -w 1s -r 1s" ;;
    tiny)  timing="-f 1 -wi 1 -i 1 -w 200ms -r 200ms" ;;
    *) echo "run-suite: mode=$mode; expected short, full or tiny" >&2; exit 2 ;;
esac

mkdir -p "$here/results"
# results/suite.{json,md} hold the short (default) run; the other modes write suite-<mode>.{json,md}.
name=suite
[ "$mode" = short ] || name="suite-$mode"
json="$here/results/$name.json"
table="$here/results/$name.md"

# The native anchors: say clearly which are missing. Their benchmarks then fail at setup with a message
# naming the library, JMH goes on with the rest, and the table lists them as missing.
"$here/../allocator-compare/install-anchors.sh" || echo "run-suite: WARNING: some native anchors are missing; their rows will be missing from the table" >&2
for lib in libjemalloc.so.2 libmimalloc.so.2; do
    if ! ldconfig -p 2>/dev/null | grep -q "$lib"; then
        echo "run-suite: MISSING: $lib -- its anchor is skipped in this run" >&2
    fi
done

echo "run-suite: mode=$mode ($timing), load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
cd "$root"
# One Maven run: build, JMH, then the table (exec goals run in order, with the toolchain's JDK 25).
mvn -B -q -DskipTests package exec:exec@jmh exec:exec@ratio-table -pl allocator-bench -am \
    -Djmh.args="Suite.*Benchmark $timing -prof gc -rf json -rff $json ${SUITE_JMH:-}" \
    -Dsuite.json="$json" -Dsuite.md="$table"
# JMH records the absolute path of the JVM it forked; results are committed, so keep this machine's out.
sed -i -E 's#"jvm" ?: ?"[^"]*/bin/java"#"jvm" : "<toolchain JDK>/bin/java"#' "$json"
echo "run-suite: wrote $json and $table"
