#!/usr/bin/env bash
# Csmith programs compiled for AArch64 (or RV64) run under `jitload exec` (the
# objects go through qemu-aarch64-static and jitload-runner-aarch64, the
# command the user types on the host) and must print the checksum the same
# program prints linked natively for AArch64 (clang-19 + lld + the Debian
# cross libc) under qemu. Fixed seeds, a bounded count, every flag set.
# A program whose native build fails or runs over 5 s is replaced by the
# next seed (Csmith's own undefined behaviour); a jitload failure or a
# different checksum fails the test.
# Exit 77 (ctest's skip, shown) with the reason when a tool is missing or
# the engine does not load AArch64 objects.
# TRIPLE (default aarch64-linux-gnu; riscv64-linux-gnu too) names the
# machine, its cross C library and its qemu.
# usage: csmith-exec.sh JITLOAD CLANG FIRST_SEED COUNT [TRIPLE]
set -u
jitload=$1 clang=$2 seed=$3 count=$4 triple=${5:-aarch64-linux-gnu}
arch=${triple%%-*}
sysroot=/usr/$triple
qemu=$(command -v qemu-$arch-static || true)
skip() { echo "skipped: $*"; exit 77; }
[ -n "$qemu" ] || skip "qemu-$arch-static not installed (qemu-user-static, ci/setup)"
[ -d "$sysroot/lib" ] || skip "$sysroot missing (the $triple cross C/C++ libraries, ci/setup)"
command -v csmith >/dev/null || skip "csmith not installed"
[ -x "$(dirname "$jitload")/jitload-runner-$arch" ] || skip "jitload-runner-$arch not built (tools/runner/build.sh said why)"
csmith_inc=/usr/include/csmith
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# Does the engine load AArch64 at all? A trivial program through the same door.
printf '#include <stdio.h>\nint main(int c, char **v){printf("probe %%d %%s\\n", 6*7, c > 1 ? v[1] : "-");return 40 + c;}\n' > probe.c
"$clang" --target=$triple -O2 -c probe.c -o probe.o || { echo "FAIL: $clang cannot compile for $triple"; exit 1; }
out=$("$jitload" exec probe.o -- hello 2>&1); rc=$?
if [ "$out" != "probe 42 hello" ]; then
  case "$out" in
    *"not supported"*) skip "the engine does not load $arch objects yet: $out" ;;
  esac
  echo "FAIL: jitload exec on an $arch object printed '$out', expected 'probe 42 hello'"; exit 1
fi
[ $rc -eq 42 ] || { echo "FAIL: jitload exec's status $rc, the program returned 42"; exit 1; }

# C++ through the same door: a global's constructor and destructor, an
# exception thrown and caught in JIT code (EH frames registered in the
# runner's process), arguments and the exit status, against the native link.
cat > x.cc <<'CXX'
#include <cstdio>
#include <stdexcept>
#include <string>
struct G { G() { std::puts("ctor"); } ~G() { std::puts("dtor"); } } g;
int main(int argc, char** argv) {
  try { throw std::runtime_error("boom " + std::to_string(argc) + " " + argv[argc - 1]); }
  catch (const std::exception& e) { std::printf("caught %s\n", e.what()); }
  return 9;
}
CXX
clangxx=${clang/clang-/clang++-}
"$clangxx" --target=$triple -O2 -c x.cc -o x.o && "$clangxx" --target=$triple -fuse-ld=lld x.o -o x.native ||
  { echo "FAIL: $clangxx cannot build the C++ case for $triple"; exit 1; }
want=$("$qemu" -L $sysroot ./x.native a b 2>&1; echo "status $?")
got=$("$jitload" exec x.o -- a b 2>&1; echo "status $?")
if [ "$got" != "$want" ]; then
  echo "FAIL: C++ under jitload exec:"; echo "$got"; echo "native:"; echo "$want"; exit 1
fi
echo "C++ (constructor, exception, destructor, status): as native"

# Flag sets clang-19 accepts for aarch64 (-mcmodel=large needs -fno-pic:
# Debian's clang defaults to PIE). RISC-V: PIE (the default), PIC, no
# linker relaxation, and non-PIC medany (PC-relative: the JIT's memory lies
# far above medlow's absolute 2 GiB, where qemu maps it).
case "$arch" in
  riscv64) flagsets=("-O0" "-O2" "-O2 -fPIC" "-O2 -mno-relax" "-Os -fno-pic -mcmodel=medany") ;;
  *) flagsets=("-O0" "-O2" "-O2 -fPIC" "-O2 -fno-pic -mcmodel=large" "-O1 -mcmodel=tiny") ;;
esac
checked=0 programs=0 failed=0 s=$seed tries=0
while [ $programs -lt "$count" ] && [ $tries -lt $((count * 4)) ]; do
  tries=$((tries + 1)); s=$((s + 1))
  timeout 10 csmith --seed $s --max-funcs 4 -o p.c >/dev/null 2>&1 || continue
  "$clang" --target=$triple -w -O1 -I$csmith_inc -fuse-ld=lld p.c -o p.native 2>/dev/null || continue
  want=$(timeout 5 "$qemu" -L $sysroot ./p.native 2>/dev/null | grep '^checksum = ') || continue
  [ -n "$want" ] || continue
  programs=$((programs + 1))
  for f in "${flagsets[@]}"; do
    if ! "$clang" --target=$triple -w -I$csmith_inc $f -c p.c -o p.o 2>err.txt; then
      echo "FAIL: seed $s [$f]: does not compile: $(head -1 err.txt)"; failed=$((failed + 1)); continue
    fi
    got=$(timeout 20 "$jitload" exec p.o 2>err.txt | grep '^checksum = ')
    if [ "$got" != "$want" ]; then
      echo "FAIL: seed $s [$f]: jitload exec printed '${got:-nothing}' ($(head -1 err.txt)), native '$want'"
      failed=$((failed + 1))
    fi
    checked=$((checked + 1))
  done
done
echo "$programs programs x ${#flagsets[@]} flag sets: $checked runs, $failed failed (seeds $((seed + 1))..$s)"
[ $programs -gt 0 ] || { echo "FAIL: no Csmith program built and ran natively"; exit 1; }
[ $failed -eq 0 ]
