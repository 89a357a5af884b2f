#!/bin/bash
# models.sh: birebir's model fits beside an independent scipy implementation of the same likelihoods, on
# the same simulated customers, in the same run. Prints both timings, both parameter sets and the ratio.
# Each fit runs --repeat K times on both sides (default 3) and the best time counts; bench_models prints its
# first run's time beside the best.
# Usage: bench/models.sh [N] [--continuous] [--skip-pnbd] [--repeat K]   (N customers, default 1000000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${BB_BENCH_BIN:-$here/../build/bench/bench_models}
[[ -x $bin ]] || { echo "no $bin: build first (cmake -S . -B build && cmake --build build)"; exit 1; }
n=1000000 cont= skip= repeat=3
while (($#)); do
  case $1 in
    --continuous) cont=--continuous ;;
    --skip-pnbd) skip=--skip-pnbd ;;
    --repeat) repeat=$2; shift ;;
    *) n=$1 ;;
  esac
  shift
done
tmp=$(mktemp -d /tmp/bb-bench-models.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# one core for both
taskset -c 0 "$bin" "$n" --data "$tmp" --repeat "$repeat" $cont | tee "$tmp/ours.txt"
taskset -c 0 /usr/bin/python3 "$here/models_scipy.py" "$tmp" "$tmp/ours.txt" --repeat "$repeat" $skip
