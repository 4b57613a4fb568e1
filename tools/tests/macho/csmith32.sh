#!/usr/bin/env bash
# 32-bit Mach-O objects through the user's door: Csmith programs compiled
# by clang-19 for a 32-bit Apple target (i386-apple-macosx,
# armv7-apple-ios), freestanding (CSMITH_MINIMAL and the csmith shim
# headers: there is no Apple SDK here), at several flag sets. Each object
# goes through `jitload load` (externals at one address: nothing refused,
# every relocation applied)
# and `jitload diff --oracle none` (the engine and the reference agree on
# every section's bytes, symbol and relocation). The objects are not run:
# this host has no 32-bit Darwin to run them on; the conformance files
# (conformance/tests/macho/<arch>/) check each relocation's value instead.
# Exit 77 (ctest's skip, shown) when a tool is missing.
# usage: csmith32.sh JITLOAD CLANG SHIM_DIR TARGET FIRST_SEED COUNT [EXTRA_FLAG]
# (EXTRA_FLAG: e.g. -mthumb, added to every compilation)
set -u
jitload=$1 clang=$2 shim=${JITLOAD_CSMITH_SHIM:-$3} target=$4 seed=$5 count=$6 extra=${7:-}
skip() { echo "skipped: $*"; exit 77; }
command -v csmith >/dev/null || skip "csmith not installed"
[ -f "$shim/custom_stdint_x86.h" ] || skip "the csmith shim headers are not in '$shim' (set JITLOAD_CSMITH_SHIM)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
flags=(--target="$target" ${extra:+"$extra"} -ffreestanding -DCSMITH_MINIMAL -I"$shim" -I/usr/include/csmith -w -fno-stack-protector)
optsets=("-O0" "-O1" "-O2" "-Os" "-O2 -fno-pic" "-O1 -fomit-frame-pointer")
done_count=0 objects=0 relocs=0
while [ $done_count -lt "$count" ]; do
  seed=$((seed + 1))
  csmith --seed $seed --no-packed-struct -o p.c >/dev/null 2>&1 || continue
  n=0
  for opt in "${optsets[@]}"; do
    # shellcheck disable=SC2086
    "$clang" "${flags[@]}" $opt -c p.c -o p$n.o || { echo "FAIL: seed $seed '$opt': clang cannot compile for $target"; exit 1; }
    l=$("$jitload" load p$n.o --extern-default 0x40000000 2>&1) || { echo "FAIL: seed $seed '$opt': jitload load refused the object:"; echo "$l" | head -20; exit 1; }
    d=$("$jitload" diff --oracle none p$n.o 2>&1)
    case "$d" in
      *": agree (loaded; "*) ;;
      *) echo "FAIL: seed $seed '$opt': engine and reference differ:"; echo "$d" | head -30; exit 1 ;;
    esac
    r=$(echo "$d" | sed -n 's/.*agree (loaded; \([0-9]*\) relocations).*/\1/p' | head -1)
    relocs=$((relocs + ${r:-0}))
    objects=$((objects + 1))
    n=$((n + 1))
  done
  done_count=$((done_count + 1))
done
[ $relocs -gt 0 ] || { echo "FAIL: no relocation was compared"; exit 1; }
echo "ok: $target $extra: $count Csmith programs x ${#optsets[@]} flag sets ($objects objects, $relocs relocations): loaded, engine and reference agree"
