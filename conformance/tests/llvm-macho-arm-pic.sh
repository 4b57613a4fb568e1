#!/usr/bin/env bash
# LLVM 19's ARM/MachO_ARM_PIC_relocations.s on both loaders, its RUN lines
# run as written (llvm-mc, then llvm-rtdyld -verify -check, with
# jitload-rtdyld --loader=X in llvm-rtdyld's place). lit skips it here:
# `REQUIRES: reverse_iteration` (see conformance/tests/llvm-suite-expected.txt
# for why, and why that does not bind our checkers).
#
#   llvm-macho-arm-pic.sh JITLOAD-RTDYLD BUILD-DIR
#
# Exit 77 (skipped) when ci/llvm-conformance has not fetched the suite yet.
set -euo pipefail
rtdyld=$1
build=$2
version=$(dpkg-query -W -f='${source:Version}' llvm-19 2>/dev/null || true)
test=""
for cache in /var/cache/jitload "$build/cache"; do
  f="$cache/llvm-toolchain-19-$version/RuntimeDyld/ARM/MachO_ARM_PIC_relocations.s"
  [ -f "$f" ] && { test=$f; break; }
done
if [ -z "$test" ]; then
  echo "LLVM's RuntimeDyld tests are not fetched (run ci/llvm-conformance once): skipped"
  exit 77
fi
# The file is still the one this script was written for.
grep -q '^# REQUIRES: reverse_iteration' "$test" || { echo "$test no longer REQUIRES reverse_iteration: run it from ci/llvm-conformance"; exit 1; }
[ "$(grep -c 'rtdyld-check:' "$test")" -eq 8 ] || { echo "$test: expected 8 rtdyld-check lines"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for loader in engine reference; do
  mkdir -p "$work/$loader"
  # The RUN lines, %t = $work/$loader.
  grep '^# RUN:' "$test" | sed 's/^# RUN: //' | while read -r line; do
    line=${line//%t/$work/$loader}
    line=${line//%s/$test}
    line=$(sed -E "s#(^| )llvm-mc #\1/usr/lib/llvm-19/bin/llvm-mc #; s#(^| )llvm-rtdyld #\1$rtdyld --loader=$loader #" <<<"$line")
    echo "[$loader] $line"
    bash -c "$line" || exit 1
  done || { echo "FAIL: $loader"; status=1; continue; }
  echo "PASS: $loader"
done
exit $status
