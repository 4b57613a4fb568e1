#!/usr/bin/env bash
# Csmith differential test of `jitload run`: each generated program is
# compiled natively and to IR with clang-19; `jitload run` on the IR must
# print what the native binary prints (Csmith's "checksum = ..." line) and
# exit the same way. Successive programs rotate through the engine's code
# generation settings: the default (-O2, large code model, static), -O0,
# and -O3 with the small code model and PIC (GOT and PLT-stub relocations). A run that exceeds the time limit (either side) is a
# skip, counted and printed — Csmith programs may legitimately run for ages.
#
# usage: csmith-test.sh JITLOAD CLANG
# environment: JITLOAD_CSMITH_COUNT (10), JITLOAD_CSMITH_SEED (first seed,
# 20240), JITLOAD_CSMITH_TIMEOUT (seconds per run, 5),
# JITLOAD_CSMITH_KEEP (directory to keep disagreeing programs in).
# Exit 77 (ctest: skipped) when csmith or its headers are missing, or when
# every program timed out.
set -u
jitload=$1
# Absolute, since the script works in a temporary directory.
case $jitload in */*) jitload=$(cd "$(dirname "$jitload")" && pwd)/$(basename "$jitload") ;; esac
clang=$2
count=${JITLOAD_CSMITH_COUNT:-10}
seed0=${JITLOAD_CSMITH_SEED:-20240}
limit=${JITLOAD_CSMITH_TIMEOUT:-5}
keep=${JITLOAD_CSMITH_KEEP:-}
inc=/usr/include/csmith

if ! command -v csmith >/dev/null 2>&1; then
  echo "SKIPPED: csmith is not installed"
  exit 77
fi
if [ ! -f "$inc/csmith.h" ]; then
  echo "SKIPPED: Csmith headers missing ($inc/csmith.h; Debian package libcsmith-dev)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"  # csmith writes platform.info into the current directory

configs=("" "-O0" "-O3 --code-model=small --relocation-model=pic")
agree=0 disagree=0 skipped=0
for ((k = 0; k < count; k++)); do
  seed=$((seed0 + k))
  config=${configs[$((k % ${#configs[@]}))]}
  p="$work/p$seed"
  if ! csmith --seed "$seed" -o "$p.c" >/dev/null 2>&1; then
    echo "seed $seed: csmith failed; skipped"
    skipped=$((skipped + 1))
    continue
  fi
  if ! "$clang" -O1 -w -I"$inc" "$p.c" -o "$p.native" 2>"$p.log" ||
     ! "$clang" -O1 -w -I"$inc" -S -emit-llvm "$p.c" -o "$p.ll" 2>>"$p.log"; then
    echo "seed $seed: clang failed; skipped"; head -3 "$p.log"
    skipped=$((skipped + 1))
    continue
  fi
  timeout "$limit" "$p.native" >"$p.native.out" 2>&1
  native_rc=$?
  if [ $native_rc -eq 124 ]; then
    echo "seed $seed: native run timed out after ${limit}s; skipped"
    skipped=$((skipped + 1))
    continue
  fi
  # shellcheck disable=SC2086 # config is a list of options
  timeout "$limit" "$jitload" run $config "$p.ll" >"$p.jit.out" 2>&1
  jit_rc=$?
  if [ $jit_rc -eq 124 ]; then
    echo "seed $seed: jitload run timed out after ${limit}s; skipped"
    skipped=$((skipped + 1))
    continue
  fi
  if [ $jit_rc -eq 126 ] || [ $jit_rc -eq 127 ]; then
    echo "seed $seed: FAIL: could not execute $jitload: $(head -1 "$p.jit.out")"
    disagree=$((disagree + 1))
    continue
  fi
  if [ $native_rc -eq $jit_rc ] && cmp -s "$p.native.out" "$p.jit.out"; then
    echo "seed $seed: agree ($(tail -1 "$p.native.out"), exit $native_rc) [${config:-default}]"
    agree=$((agree + 1))
  else
    echo "seed $seed: DISAGREE [jitload run ${config:-(default)}]: native exit $native_rc, jitload exit $jit_rc"
    echo "  native: $(tail -2 "$p.native.out" | tr '\n' ' ')"
    echo "  jitload: $(tail -2 "$p.jit.out" | tr '\n' ' ')"
    if [ -n "$keep" ]; then
      mkdir -p "$keep" && cp "$p.c" "$p.ll" "$keep/" && echo "  kept in $keep/p$seed.c"
    fi
    disagree=$((disagree + 1))
  fi
done

echo "csmith: $agree agree, $disagree disagree, $skipped skipped (timeouts or generator failures) of $count"
if [ $disagree -gt 0 ]; then exit 1; fi
if [ $agree -eq 0 ]; then
  echo "SKIPPED: no program finished in time"
  exit 77
fi
exit 0
