#!/usr/bin/env bash
# A/A runs of 'ab' (issue 16), second series: base = head = one commit of main (the same build on both sides),
# --quick, the same two methods as runA.sh, while three other sessions build, test and benchmark on the same
# 2 cores (the "CPU-heavy neighbour" condition). Sequential; stops at the deadline given as HHMM (UTC).
# Usage: runA2.sh DRIVER_DIR SHA OUT DEADLINE_HHMM FIRST_INDEX
set -u
DRIVER=$1 SHA=$2 OUT=$3 DEADLINE=$4 FIRST=$5
mkdir -p "$OUT"
FILTER=("*MeanSquaredErrorBenchmarks*.LossAndGradient" "*CentralGradientBenchmarks.GradientStruct")
i=$FIRST
while [[ $(date -u +%H%M) < "$DEADLINE" ]]; do
  name=AA-$i
  start=$(date -u +%H:%M:%S) l0=$(cut -d' ' -f1 /proc/loadavg) t0=$(date +%s)
  (cd /work/main && dotnet "$DRIVER/Gradients.Benchmarks.dll" ab --base "$SHA" --head "$SHA" --quick --filter "${FILTER[@]}" --out "$OUT/$name") > "$OUT/$name.log" 2>&1
  code=$?
  echo "$name start=$start exit=$code seconds=$(($(date +%s)-t0)) load_start=$l0 load_end=$(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/index.txt"
  i=$((i+1))
done
