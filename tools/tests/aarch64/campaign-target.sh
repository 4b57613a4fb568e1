#!/usr/bin/env bash
# A bounded `jitload campaign --target TRIPLE` (CI's smoke of the cross
# campaign): Csmith objects for TRIPLE (AArch64 either byte order, RISC-V
# RV64/RV32, LoongArch64, Mach-O x86-64, arm64, i386, ARM) through the engine checks and
# engine vs reference, and for aarch64-linux-gnu and riscv64-linux-gnu also
# executed through `jitload exec` under qemu against the native cross
# build (x86_64-apple-macosx: on this host, against the Linux build). Passes when the
# campaign built at least one program and found nothing. Exit 77 (skip,
# shown) when a tool is missing, or, for execution, while the engine does
# not load AArch64 objects.
# Deterministic: PROGRAMS Csmith programs from a fixed seed (SEED, default
# 1), each with a fixed number of mutants, so that a failure in CI is the
# same failure on a developer's machine; `jitload campaign --target` without
# --seed explores new programs.
# usage: campaign-target.sh JITLOAD CLANG TRIPLE PROGRAMS [SEED]
set -u
jitload=$1 clang=$2 triple=$3 programs_wanted=$4 seed=${5:-1}
skip() { echo "skipped: $*"; exit 77; }
command -v csmith >/dev/null || skip "csmith not installed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
case "$triple" in
  aarch64_be-linux-gnu|riscv32-linux-gnu|loongarch64-linux-gnu|x86_64-apple-macosx|i386-apple-macosx|armv7-apple-ios)
    shim=${JITLOAD_CSMITH_SHIM:-$(dirname "$0")/../../../../shared/csmith-shim}
    [ -f "$shim/custom_stdint_x86.h" ] || skip "the csmith shim headers (../shared/csmith-shim or JITLOAD_CSMITH_SHIM) are missing" ;;
  arm64-apple-macosx)
    shim=${JITLOAD_CSMITH_SHIM:-$(dirname "$0")/../../../../shared/csmith-shim}
    [ -f "$shim/custom_stdint_x86.h" ] || skip "the csmith shim headers (../shared/csmith-shim or JITLOAD_CSMITH_SHIM) are missing"
    command -v qemu-aarch64-static >/dev/null || skip "qemu-aarch64-static not installed (ci/setup)"
    [ -d /usr/aarch64-linux-gnu/lib ] || skip "/usr/aarch64-linux-gnu missing (the aarch64 cross C library, ci/setup)" ;;
  aarch64-linux-gnu|riscv64-linux-gnu)
    arch=${triple%%-*}
    command -v qemu-$arch-static >/dev/null || skip "qemu-$arch-static not installed (ci/setup)"
    [ -d /usr/$triple/lib ] || skip "/usr/$triple missing (the $triple cross C library, ci/setup)"
    printf 'int main(void){return 7;}\n' > probe.c
    "$clang" --target=$triple -c probe.c -o probe.o || { echo "FAIL: cannot compile for $triple"; exit 1; }
    out=$("$jitload" exec probe.o 2>&1); rc=$?
    if [ $rc -ne 7 ]; then
      case "$out" in *"not supported"*|*"runner"*"is missing"*) skip "cannot execute $arch objects yet: $out" ;; esac
      echo "FAIL: jitload exec on an $arch probe: status $rc, '$out'"; exit 1
    fi ;;
esac
# The campaign's differential needs both loaders to load the machine: a
# refusal by one makes every object a finding, by both a vacuous agreement;
# either is said as a skip.
printf 'int f(void){return 7;}\n' > ref.c
"$clang" --target=$triple -ffreestanding -c ref.c -o ref.o || { echo "FAIL: cannot compile for $triple"; exit 1; }
refout=$("$jitload" diff --oracle none ref.o 2>&1)
case "$(echo "$refout" | head -1)" in
  "ref.o: agree"*) ;;
  *) skip "engine and reference do not both load a trivial $triple object yet: $(echo "$refout" | head -1)" ;;
esac
"$jitload" campaign --target "$triple" --seed "$seed" --count "$programs_wanted" --seconds 170 --out out > log.txt 2>&1; rc=$?
tr '\r' '\n' < log.txt | grep -v '^\[' | tail -20
[ -f out/findings.txt ] && head -20 out/findings.txt
programs=$(tr '\r' '\n' < log.txt | sed -n 's/^\([0-9][0-9]*\) programs (.*/\1/p' | tail -1)
[ "${programs:-0}" -gt 0 ] || { echo "FAIL: the campaign built no program"; exit 1; }
[ $rc -eq 0 ] || { echo "FAIL: the campaign exited $rc (findings above)"; exit 1; }
# No finding but nothing loaded would be a vacuous pass: the engine refused
# every object (it does not know the machine yet), so say so as a skip.
loaded=$(tr '\r' '\n' < log.txt | awk '/^config /{t=1; next} t && NF==0 {t=0} t {n += $3} END {print n+0}')
[ "$loaded" -gt 0 ] || skip "the engine loaded none of the $triple objects (it refuses the machine), nothing was compared"
echo "$loaded objects loaded by the engine"
