#!/bin/sh
# The benchmark suite of issue 8, with a JFR recording for finding where the time goes.
#   ops/bench/run-suite.sh                      # full sizes (over an hour on 2 cores)
#   ops/bench/run-suite.sh -Dbench.n=20000 ...  # any bench.* property (see docs/benchmarks.md)
# Output: the table on the console and in docs/benchmarks.md, docs/benchmarks-latency.png,
# the log in target/bench-suite.log and the recording in target/bench-suite.jfr
# (summarise with ops/bench/jfr-top.sh target/bench-suite.jfr [from to]).
set -eu
cd "$(dirname "$0")/../.."
mkdir -p target
export AXONIQ_UPDATE_CHECKER_DISABLED=true
mvn -B -Pbench test-compile exec:exec \
    "-Dbench.jvm.args=-XX:StartFlightRecording=filename=target/bench-suite.jfr,settings=profile" "$@" \
    2>&1 | tee target/bench-suite.log
