#!/usr/bin/env bash
# Fourth series (issue 16): the sequential rule (AbSequentialPlan: further looks for the cases in doubt).
# The driver's program is head ("work tree"): for A/A a plain build of BASE, for power runs the build of a detached
# worktree of BASE with inject.py applied (never committed), e.g.
#   git worktree add --detach /work/wt/inject25 BASE && python3 benchmarks/ab-study/inject.py /work/wt/inject25 25 25 mse
#   (cd /work/wt/inject25 && dotnet build -c Release benchmarks/Gradients.Benchmarks) and copy
#   artifacts/bin/Gradients.Benchmarks/release to DRIVER
# Usage: [FILTER="glob glob"] [EXTRA="--budget 40"] runSeq.sh WORKTREE DRIVER_DIR BASE_SHA OUT NAME_PREFIX RUNS WORK_DIR
set -u
WORKTREE=$1 DRIVER=$2 SHA=$3 OUT=$4 PREFIX=$5 RUNS=$6 WORK=$7
mkdir -p "$OUT"
read -r -a FILTER <<< "${FILTER:-*MeanSquaredErrorBenchmarks*.LossAndGradient *CentralGradientBenchmarks.GradientStruct}"
read -r -a EXTRA <<< "${EXTRA:-}"
for i in $(seq 1 "$RUNS"); do
  name=$PREFIX-$i start=$(date -u +%H:%M:%S) l0=$(cut -d' ' -f1 /proc/loadavg) t0=$(date +%s)
  (cd "$WORKTREE" && dotnet "$DRIVER/Gradients.Benchmarks.dll" ab --base "$SHA" --quick --work "$WORK" --filter "${FILTER[@]}" "${EXTRA[@]}" --out "$OUT/$name") > "$OUT/$name.log" 2>&1
  code=$?
  cp "$OUT/$name/ab-samples.json" "$OUT/$name.json" 2>/dev/null
  echo "$name filter=${FILTER[*]} extra=${EXTRA[*]} start=$start exit=$code seconds=$(($(date +%s)-t0)) load_start=$l0 load_end=$(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/index.txt"
done
