#!/usr/bin/env bash
# Power runs of 'ab' (issue 16), third series: head = a detached worktree of BASE with inject.py applied (never
# committed), built in Release; its benchmark program is the driver, so "head = work tree" is the injected code.
#   git worktree add --detach /work/wt/inject10 BASE && python3 benchmarks/ab-study/inject.py /work/wt/inject10 10 10 none
#   git worktree add --detach /work/wt/inject25 BASE && python3 benchmarks/ab-study/inject.py /work/wt/inject25 25 25 mse
#   (cd WORKTREE && dotnet build -c Release benchmarks/Gradients.Benchmarks) and copy artifacts/bin/Gradients.Benchmarks/release to DRIVER
# Usage: runP3.sh WORKTREE DRIVER_DIR BASE_SHA OUT NAME_PREFIX RUNS
set -u
WORKTREE=$1 DRIVER=$2 SHA=$3 OUT=$4 PREFIX=$5 RUNS=$6
mkdir -p "$OUT"
FILTER=("*MeanSquaredErrorBenchmarks*.LossAndGradient" "*CentralGradientBenchmarks.GradientStruct")
for i in $(seq 1 "$RUNS"); do
  name=$PREFIX-$i start=$(date -u +%H:%M:%S) l0=$(cut -d' ' -f1 /proc/loadavg) t0=$(date +%s)
  (cd "$WORKTREE" && dotnet "$DRIVER/Gradients.Benchmarks.dll" ab --base "$SHA" --quick --work /tmp/pw/work --filter "${FILTER[@]}" --out "$OUT/$name") > "$OUT/$name.log" 2>&1
  code=$?
  echo "$name start=$start exit=$code seconds=$(($(date +%s)-t0)) load_start=$l0 load_end=$(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/index.txt"
done
