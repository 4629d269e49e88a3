#!/bin/sh
# Records the bundled Java trace: JavaTraceRecipe (allocator-compare/src/main/java/.../compare/input/) indexes the
# bundled python3 mtrace text off-heap, allocating through a tracking allocator over the system allocator
# that records (Tracking.builder(system).recordTo(file), allocator-tracking): every allocate, reallocate and
# deallocate goes to an allocator4j binary trace.
#
#   allocator-compare/traces/record-java.sh [OUTPUT]    (default: java-offheap-index.a4jt.gz beside this script)
#
# Needs the module built (mvn -q -DskipTests package -pl allocator-compare -am) and a JDK 22 or later:
# set JAVA to its java if the one on the PATH is older.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
compare=$(dirname "$here")
root=$(dirname "$compare")
out=${1:-$here/java-offheap-index.a4jt.gz}
java=${JAVA:-java}

"$java" --enable-native-access=ALL-UNNAMED \
    -cp "$compare/target/classes:$root/allocator-trace/target/classes:$root/allocator-tracking/target/classes:$root/allocator-api/target/classes" \
    org.allocator4j.compare.input.JavaTraceRecipe "$here/python3-json.mtrace.gz" "$out"
echo "$(wc -c < "$out") bytes compressed"
