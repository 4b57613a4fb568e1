#!/usr/bin/env bash
# Cross-builds an LLVM-free program of jitload for another architecture with
# clang-19 and lld against the Debian cross C/C++ libraries:
#   runner    jitload-runner-ARCH, the host half of `jitload exec`
#             (engine/loader, tools/exec-program.cc, tools/common.cc,
#             tools/runner/main.cc)
#   executor  jitload-executor-ARCH, the remote executor `jitload run
#             --target-exec ARCH-linux-gnu` starts under qemu (engine/loader,
#             engine/remote's wire, executor and executor-main)
# ccache when present: the loader's sources rarely change, and only changed
# files recompile. Exit 77 (ctest's skip) when the cross libraries are missing.
# usage: build.sh ARCH OUT [runner|executor]   (ARCH: aarch64, riscv64; one case line
#        per architecture; default: runner)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
arch=$1 out=$2 what=${3:-runner}
case "$arch" in
  aarch64) triple=aarch64-linux-gnu sysroot=/usr/aarch64-linux-gnu file_says='ARM aarch64' ;;
  riscv64) triple=riscv64-linux-gnu sysroot=/usr/riscv64-linux-gnu file_says='RISC-V' ;;
  riscv32)
    echo "skipped: Debian packages no RV32 C library (no riscv32-linux-gnu cross libc); riscv32 runs byte-level and in the loader's freestanding test only"
    exit 77 ;;
  aarch64_be)
    echo "skipped: Debian packages no big-endian AArch64 C library (no aarch64_be-linux-gnu cross libc); aarch64_be runs byte-level only"
    exit 77 ;;
  *) echo "build.sh: no runner for '$arch'" >&2; exit 2 ;;
esac
clang=${CLANG19:-clang++-19}
case "$clang" in *clang++*) ;; *clang) clang=${clang}++ ;; *clang-[0-9]*) clang=${clang/clang-/clang++-} ;; esac
if [ ! -d "$sysroot/lib" ] || ! command -v "$clang" >/dev/null; then
  echo "skipped: the $arch $what needs $clang and $sysroot (g++-$triple or the $triple cross libc/libstdc++, ci/setup)"
  exit 77
fi
loader="$(ls "$root"/engine/loader/*.cc "$root"/engine/loader/core/*.cc "$root"/engine/loader/elf/*.cc | grep -v -- '-test\.cc$' | sed "s|^$root/||")"
case "$what" in
  runner) name=jitload-runner-$arch libs="-ldl -lm"
    srcs="$loader tools/exec-program.cc tools/common.cc tools/runner/main.cc" ;;
  executor) name=jitload-executor-$arch libs="-ldl"
    srcs="$loader engine/remote/wire.cc engine/remote/executor.cc engine/remote/executor-main.cc" ;;
  *) echo "build.sh: no program '$what' (runner, executor)" >&2; exit 2 ;;
esac
work="$out/$what-$arch.objs"
mkdir -p "$work"
cd "$root"
cc="$clang"
command -v ccache >/dev/null && cc="ccache $clang"
objs=()
for s in $srcs; do
  o="$work/$(echo "$s" | tr / _).o"
  if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ -n "$(find engine/loader engine/remote tools -name '*.h' -newer "$o" -print -quit)" ]; then
    $cc --target=$triple -std=c++20 -O2 -I"$root" -Wall -Wno-unused-parameter -c "$s" -o "$o"
  fi
  objs+=("$o")
done
"$clang" --target=$triple -fuse-ld=lld -rdynamic -o "$out/$name.tmp" "${objs[@]}" $libs
file "$out/$name.tmp" | grep -q "$file_says" || { echo "FAIL: not an $arch executable"; exit 1; }
mv "$out/$name.tmp" "$out/$name"
echo "built $out/$name"
