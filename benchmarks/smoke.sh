#!/usr/bin/env bash
# Benchmark smoke run: every benchmark once (BenchmarkDotNet's Dry job, in process), so none can rot.
# Fails (exit 1) when a benchmark throws, a class is invalid, or no benchmark ran. Measures nothing worth keeping:
# the A/B gate (`-- ab`) runs in its own workflow (.github/workflows/benchmarks.yml), not here.
# Needs a Release build first (`dotnet build -c Release`), as .ci/run does. Extra arguments go to `smoke`,
# e.g. `benchmarks/smoke.sh --filter '*Losses*'`.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run -c Release --no-build --project benchmarks/Gradients.Benchmarks -- smoke "$@"
