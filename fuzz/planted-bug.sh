#!/bin/sh
# Shows the harness finds what it should: builds the libFuzzer object-bytes
# target with -DJITLOAD_PLANTED_BUG=ON (engine/loader/dyld.cc: PC32 fields
# whose place is 0x40-aligned get addend+1) in build-fuzz-planted, fuzzes
# from the seeds for at most LIMIT seconds (default 120), and succeeds only
# if the fuzzer reports the wrong PC32 field. Prints the time it took.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${PLANTED_BUILD:-$here/build-fuzz-planted}
limit=${LIMIT:-120}
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-19 \
  -DCMAKE_CXX_COMPILER=clang++-19 -DJITLOAD_FUZZ=ON -DJITLOAD_PLANTED_BUG=ON >/dev/null
cmake --build "$build" --target fuzz-object-bytes -j2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here"/corpora/object-bytes/seeds/* "$work/"
start=$(date +%s)
set +e
(cd "$work" && "$build/bin/fuzz-object-bytes" -max_total_time="$limit" -seed=1 \
   -dict="$here/fuzz/dicts/elf.dict" "$work" >"$work/log" 2>&1)
set -e
took=$(( $(date +%s) - start ))
if grep -q "finding: .*type 2" "$work/log"; then
  grep "finding:" "$work/log"
  echo "planted-bug: found in ${took}s (limit ${limit}s); reproducer: $(ls "$work"/crash-* 2>/dev/null | head -1)"
  mkdir -p "$build/found" && cp "$work"/crash-* "$build/found/" 2>/dev/null || true
  exit 0
fi
tail -20 "$work/log"
echo "planted-bug: NOT found within ${limit}s"
exit 1
