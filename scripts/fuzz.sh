#!/usr/bin/env bash
# Coverage-guided fuzzing of tlshop's parsers with libFuzzer, under AddressSanitizer and
# UndefinedBehaviorSanitizer (clang; the CMake preset "fuzz").
# Usage: scripts/fuzz.sh [TARGET|all] [SECONDS] [RUNS]   (default: all, 60 s each)
# With RUNS, each target runs until it has executed that many inputs, however long.
# FUZZ_WORKERS=N shares each target's time or runs among N fuzzer processes;
# FUZZ_OPTIONS adds libFuzzer flags (e.g. "-max_len=1024").
# Targets: http_request json_bodies pem_files config_files (fuzz/*.cpp). New inputs go to
# build/fuzz/corpus/TARGET, crashes to build/fuzz/crashes/; fuzz/corpus/TARGET is the seed.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(http_request json_bodies pem_files config_files)
which=${1:-all}
seconds=${2:-60}
runs=${3:-}
workers=${FUZZ_WORKERS:-1}
limit=(-max_total_time="$seconds")
[ -z "$runs" ] || limit=(-runs="$(((runs + workers - 1) / workers))")
if [ "$which" = all ]; then
  run=("${targets[@]}")
elif [[ " ${targets[*]} " == *" $which "* ]]; then
  run=("$which")
else
  echo "fuzz.sh: no target '$which' (one of: ${targets[*]}, or all)" >&2
  exit 2
fi
bash scripts/install-deps.sh fuzz
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${run[@]/#/fuzz_}"
mkdir -p build/fuzz/crashes
status=0
for target in "${run[@]}"; do
  work=build/fuzz/corpus/$target
  mkdir -p "$work"
  log=build/fuzz/$target.log
  started=$SECONDS
  pids=()
  for worker in $(seq 1 "$workers"); do
    "build/fuzz/fuzz/fuzz_$target" "$work" "fuzz/corpus/$target" "${limit[@]}" -seed="$worker" ${FUZZ_OPTIONS:-} \
      -print_final_stats=1 -artifact_prefix="build/fuzz/crashes/$target-" >"$log.$worker" 2>&1 &
    pids+=($!)
  done
  failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  cat "$log".* >"$log" && rm -f "$log".*
  if [ $failed -ne 0 ]; then
    echo "$target: FAILED, see $log and build/fuzz/crashes/"
    status=1
    continue
  fi
  executed=$(awk '/^stat::number_of_executed_units:/ {sum += $2} END {print sum}' "$log")
  echo "$target: $executed executions in $((SECONDS - started)) s, no crash, no sanitizer report"
done
exit $status
