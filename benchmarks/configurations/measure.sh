#!/bin/bash
# usage: measure.sh BIN OUT REPEATS — every case of issue 18's table (and the softmax's) in its own process, the
# cases one after another, REPEATS rounds. BIN: a Release build of benchmarks/Gradients.Benchmarks
# (artifacts/bin/Gradients.Benchmarks/release). Then: python3 table.py OUT (the table in docs/benchmarks.md).
BIN=$1; OUT=$2; R=$3
mkdir -p $OUT
M='MeanSquaredErrorBenchmarks'
cases=()
for s in 50x4 50x16 1000x1000 100000x128 2000000x16; do
  cases+=("X=1|$M<Single>.LossAndGradient(Shape=$s)" "X=1|$M<Double>.LossAndGradient(Shape=$s)")
done
for s in 100000x128 2000000x16; do
  cases+=("X=1|$M<Single>.ReadOnlyPass512(Shape=$s)")
  cases+=("DOTNET_EnableAVX512=0|$M<Double>.LossAndGradient(Shape=$s)" "DOTNET_EnableAVX512=0|$M<Double>.ReadOnlyPass256(Shape=$s)")
  cases+=("DOTNET_EnableAVX2=0|$M<Double>.LossAndGradient(Shape=$s)" "DOTNET_EnableAVX2=0|$M<Double>.ReadOnlyPass128(Shape=$s)")
  cases+=("DOTNET_EnableAVX512=0|$M<Single>.LossAndGradient(Shape=$s)" "DOTNET_EnableAVX512=0|$M<Single>.ReadOnlyPass256(Shape=$s)")
  cases+=("DOTNET_EnableAVX2=0|$M<Single>.LossAndGradient(Shape=$s)" "DOTNET_EnableAVX2=0|$M<Single>.ReadOnlyPass128(Shape=$s)")
done
cases+=("DOTNET_EnableAVX512=0|$M<Double>.LossAndGradient(Shape=50x4)")
for s in 50x4 50x16; do cases+=("X=1|$M<Single>.LossAndGradientFast(Shape=$s)"); done
for c in SoftmaxArithmeticFloor ReadOnlyPass256 SoftmaxLossAndGradient; do cases+=("X=1|LinearModelLossBenchmarks.$c(Shape=100000x128)"); done
for c in ReadOnlyPass256 SoftmaxLossAndGradient; do cases+=("X=1|LinearModelLossBenchmarks.$c(Shape=2000000x16)"); done
for i in $(seq 1 $R); do
  k=0
  for c in "${cases[@]}"; do
    k=$((k+1)); env="${c%%|*}"; name="${c#*|}"
    dir=$OUT/r$i-c$k
    rm -rf $dir; mkdir -p $dir; echo "$env" > $dir/env.txt
    env $env dotnet $BIN/Gradients.Benchmarks.dll ab-launch --filter '*' --case "$name" --artifacts $dir --clock thread --warmup 2 --iterations 15 --iteration-ms 100 > $dir/log.txt 2>&1
  done
  echo "round $i done $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
done
