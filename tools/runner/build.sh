#!/usr/bin/env bash
# Cross-builds jitload-runner-ARCH (the host half of `jitload exec`, LLVM-free:
# engine/loader, tools/exec-program.cc, tools/common.cc and tools/runner/main.cc)
# with clang-19 and lld against the Debian cross C/C++ libraries, as
# engine/remote/cross-test.sh builds jitload-executor. ccache when present:
# the loader's sources rarely change, and only changed files recompile.
# Exit 77 (ctest's skip) when the cross libraries are missing.
# usage: build.sh ARCH OUT   (ARCH: aarch64; one case line per architecture)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
arch=$1 out=$2
case "$arch" in
  aarch64) triple=aarch64-linux-gnu sysroot=/usr/aarch64-linux-gnu file_says='ARM aarch64' ;;
  aarch64_be)
    echo "skipped: Debian packages no big-endian AArch64 C library (no aarch64_be-linux-gnu cross libc); aarch64_be runs byte-level only"
    exit 77 ;;
  *) echo "build.sh: no runner for '$arch'" >&2; exit 2 ;;
esac
clang=${CLANG19:-clang++-19}
case "$clang" in *clang++*) ;; *clang) clang=${clang}++ ;; *clang-[0-9]*) clang=${clang/clang-/clang++-} ;; esac
if [ ! -d "$sysroot/lib" ] || ! command -v "$clang" >/dev/null; then
  echo "skipped: the $arch runner needs $clang and $sysroot (g++-$triple, ci/setup)"
  exit 77
fi
work="$out/runner-$arch.objs"
mkdir -p "$work"
cd "$root"
srcs="$(ls engine/loader/*.cc engine/loader/core/*.cc engine/loader/elf/*.cc | grep -v -- '-test\.cc$') tools/exec-program.cc tools/common.cc tools/runner/main.cc"
cc="$clang"
command -v ccache >/dev/null && cc="ccache $clang"
objs=()
for s in $srcs; do
  o="$work/$(echo "$s" | tr / _).o"
  if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ -n "$(find engine/loader tools -name '*.h' -newer "$o" -print -quit)" ]; then
    $cc --target=$triple -std=c++20 -O2 -I"$root" -Wall -Wno-unused-parameter -c "$s" -o "$o"
  fi
  objs+=("$o")
done
"$clang" --target=$triple -fuse-ld=lld -rdynamic -o "$out/jitload-runner-$arch.tmp" "${objs[@]}" -ldl -lm
file "$out/jitload-runner-$arch.tmp" | grep -q "$file_says" || { echo "FAIL: not an $arch executable"; exit 1; }
mv "$out/jitload-runner-$arch.tmp" "$out/jitload-runner-$arch"
echo "built $out/jitload-runner-$arch"
