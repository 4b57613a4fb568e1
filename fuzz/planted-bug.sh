#!/bin/sh
# Shows the differential harness finds what it should: builds the libFuzzer
# object-bytes target with -DJITLOAD_PLANTED_BUG=ON (engine/loader/dyld.cc:
# PC32 fields whose place is 0x40-aligned get addend+1) in
# build-fuzz-planted, fuzzes from the seeds for at most LIMIT seconds
# (default 90) with the engine-only invariant check switched off
# (JITLOAD_FUZZ_ONLY_DIFFERENTIAL=1), and succeeds only if the engine vs
# reference comparison reports the wrong PC32 field. Prints the time it took.
# With the argument `module`: the module target instead, where only the
# execution comparison can stop the run (see below).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${PLANTED_BUILD:-$here/build-fuzz-planted}
limit=${LIMIT:-90}
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-19 \
  -DCMAKE_CXX_COMPILER=clang++-19 -DJITLOAD_FUZZ=ON -DJITLOAD_PLANTED_BUG=ON >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/other"

# `planted-bug.sh module`: the same planted bug, found by execution alone.
# The module target fuzzes IR from corpora/module/seeds with the engine-only
# check off and every engine/reference disagreement collected instead of
# fatal, so the only way to stop is a run of a function that jitload's MCJIT
# (with the bug) and LLVM's MCJIT execute differently.
if [ "${1:-}" = module ]; then
  cmake --build "$build" --target fuzz-module -j2
  cp "$here"/corpora/module/seeds/* "$work/corpus/"
  start=$(date +%s)
  set +e
  (cd "$work" && JITLOAD_FUZZ_ONLY_DIFFERENTIAL=1 JITLOAD_FUZZ_DIFF_DIR="$work/other" "$build/bin/fuzz-module" \
     -max_total_time="$limit" -seed=1 -timeout=10 -rss_limit_mb=2048 "$work/corpus" >"$work/log" 2>&1)
  set -e
  took=$(( $(date +%s) - start ))
  if grep -q "module finding (execution)" "$work/log"; then
    grep -A3 "module finding (execution)" "$work/log" | cut -c1-200
    mkdir -p "$build/found" && cp "$work"/crash-* "$build/found/" 2>/dev/null || true
    echo "planted-bug: found by execution (jitload's MCJIT vs LLVM's) in ${took}s (limit ${limit}s)"
    exit 0
  fi
  tail -20 "$work/log"
  echo "planted-bug: NOT found by execution within ${limit}s"
  exit 1
fi

cmake --build "$build" --target fuzz-object-bytes -j2
# The planted bug is in an x86-64 relocation: the run starts from the
# x86-64 seeds (ELF64, e_machine 62). The other machines' seeds would only
# share its time: with all 30, 1.5 million runs in 90 s missed it once.
for f in "$here"/corpora/object-bytes/seeds/*; do
  [ "$(od -An -tx1 -j4 -N1 "$f" | tr -d ' ')$(od -An -tx1 -j18 -N2 "$f" | tr -d ' ')" = 023e00 ] && cp "$f" "$work/corpus/"
done
start=$(date +%s)
set +e
# Other (real, pending) disagreements are collected, not fatal: the run
# stops only on a diff naming a PC32 relocation.
(cd "$work" && JITLOAD_FUZZ_ONLY_DIFFERENTIAL=1 JITLOAD_FUZZ_DIFF_DIR="$work/other" JITLOAD_FUZZ_ABORT_ON=R_X86_64_PC32 "$build/bin/fuzz-object-bytes" -max_total_time="$limit" -seed=1 \
   -dict="$here/fuzz/dicts/elf.dict" "$work/corpus" >"$work/log" 2>&1)
set -e
took=$(( $(date +%s) - start ))
if grep -q "finding (engine vs reference)" "$work/log" && grep -q "R_X86_64_PC32" "$work/log"; then
  sed -n '/finding (engine vs reference)/,/^replay:/p' "$work/log" | head -12
  crash=$(ls "$work"/crash-* 2>/dev/null | head -1)
  mkdir -p "$build/found" && cp "$work"/crash-* "$build/found/" 2>/dev/null || true
  echo "planted-bug: found by the differential (engine vs reference) in ${took}s (limit ${limit}s); reproducer: $build/found/$(basename "$crash")"
  exit 0
fi
tail -20 "$work/log"
echo "planted-bug: NOT found within ${limit}s"
exit 1
