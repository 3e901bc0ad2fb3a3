#!/usr/bin/env bash
# A/A and power study of 'ab' (issue 16). Sequential; stops at the deadline.
cd /work/wt/h16-ab; echo $$ > /tmp/h16/study/pid.$(basename $0)
SHA=03ab08be7e9e5f7c306bb4a2195d1334c299c3bc
OUT=/tmp/h16/study/results
mkdir -p $OUT
FILTER=("*MeanSquaredErrorBenchmarks*.LossAndGradient" "*CentralGradientBenchmarks.GradientStruct")
run() { # name driver-dll extra-args...
  local name=$1 dll=$2; shift 2
  if [[ $(date -u +%H%M) > "0512" ]]; then echo "deadline, skipping $name" >> $OUT/index.txt; return; fi
  local start=$(date -u +%H:%M:%S) l0=$(cut -d' ' -f1 /proc/loadavg) t0=$(date +%s)
  dotnet "$dll" ab --base $SHA --quick --filter "${FILTER[@]}" --out $OUT/$name "$@" > $OUT/$name.log 2>&1
  local code=$?
  echo "$name start=$start exit=$code seconds=$(($(date +%s)-t0)) load_start=$l0 load_end=$(cut -d' ' -f1 /proc/loadavg)" >> $OUT/index.txt
}
BASEDLL=/tmp/gradients-ab/builds/$SHA/bin/Gradients.Benchmarks.dll
run AA-0 /tmp/h16/driver-03ab08be7e9e5f7c306bb4a2195d1334c299c3bc/Gradients.Benchmarks.dll --head $SHA
for i in $(seq 1 30); do run AA-$i $BASEDLL; done
echo doneA >> $OUT/index.txt
