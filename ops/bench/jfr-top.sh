#!/bin/sh
# Where the CPU went in a JFR recording of the benchmark suite, optionally within a time window
# (the suite's log stamps each figure's start and end), without any tool beyond the JDK's `jfr`.
#
#   ops/bench/jfr-top.sh target/bench.jfr                 # the whole run
#   ops/bench/jfr-top.sh target/bench.jfr 05:31:10 05:33:40  # one figure (UTC wall clock, as logged)
#
# Prints the most frequent top frames of execution samples, then the most frequent frames of
# the ledger's own code (org.quotaledger) and of Axon anywhere on the stack, and the threads.
set -eu
file=$1
from=${2:-00:00:00}
to=${3:-99:99:99}
top=${TOP:-25}
jfr print --stack-depth 64 --events jdk.ExecutionSample "$file" | awk -v from="$from" -v to="$to" -v top="$top" '
  /startTime = / { t = substr($3, 1, 8); keep = (t >= from && t <= to); frame = 0; next }
  /sampledThread = / && keep { name = $0; sub(/.*sampledThread = "/, "", name); sub(/".*/, "", name);
                               gsub(/[0-9]+/, "N", name); threads[name]++; samples++ }
  /stackTrace = \[/ { inStack = 1; frame = 0; seenQl = 0; seenAxon = 0; next }
  inStack && /^[[:space:]]*\]/ { inStack = 0; next }
  inStack && keep {
    line = $0; sub(/^[[:space:]]+/, "", line); sub(/[[:space:]]+line:.*/, "", line)
    if (frame == 0) tops[line]++
    if (!seenQl && line ~ /^org\.quotaledger\./) { ql[line]++; seenQl = 1 }
    if (!seenAxon && line ~ /^org\.axonframework\./) { axon[line]++; seenAxon = 1 }
    frame++
  }
  END {
    printf "%d execution samples between %s and %s\n", samples, from, to
    print "\n== top frames"; for (k in tops) printf "%7d %5.1f%%  %s\n", tops[k], 100 * tops[k] / samples, k | "sort -rn | head -" top; close("sort -rn | head -" top)
    print "\n== innermost ledger frame"; for (k in ql) printf "%7d %5.1f%%  %s\n", ql[k], 100 * ql[k] / samples, k | "sort -rn | head -" top; close("sort -rn | head -" top)
    print "\n== innermost Axon frame"; for (k in axon) printf "%7d %5.1f%%  %s\n", axon[k], 100 * axon[k] / samples, k | "sort -rn | head -" top; close("sort -rn | head -" top)
    print "\n== threads"; for (k in threads) printf "%7d %5.1f%%  %s\n", threads[k], 100 * threads[k] / samples, k | "sort -rn | head -15"; close("sort -rn | head -15")
  }'
