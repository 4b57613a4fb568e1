#!/usr/bin/env bash
# jitload-executor for AArch64 under qemu-user, driven by the x86-64
# controller (remote-tests' Cross.* test): the executor is cross-built here
# from engine/remote and engine/loader alone (no LLVM; clang-19 and the
# Debian cross libraries g++-aarch64-linux-gnu brings). Exit 77 (skipped,
# shown by ctest) when the cross libraries or qemu are missing.
# usage: cross-test.sh REMOTE_TESTS OUT_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tests=$1 out=$2
sysroot=/usr/aarch64-linux-gnu
qemu=$(command -v qemu-aarch64-static || true)
if [ ! -d "$sysroot/lib" ] || [ -z "$qemu" ]; then
  echo "skipped: needs $sysroot (g++-aarch64-linux-gnu) and qemu-aarch64-static (ci/setup)"
  exit 77
fi
mkdir -p "$out"
cd "$root"
srcs=$(ls engine/loader/*.cc engine/loader/core/*.cc engine/loader/elf/*.cc | grep -v -- '-test\.cc$')
# ccache when present: the loader's sources rarely change.
cc="clang++-19"
command -v ccache >/dev/null && cc="ccache clang++-19"
objs=()
for s in engine/remote/wire.cc engine/remote/executor.cc engine/remote/executor-main.cc $srcs; do
  o="$out/$(echo "$s" | tr / _).o"
  $cc --target=aarch64-linux-gnu -std=c++20 -O2 -I"$root" -Wall -Wno-unused-parameter -c "$s" -o "$o"
  objs+=("$o")
done
clang++-19 --target=aarch64-linux-gnu -fuse-ld=lld -rdynamic -o "$out/jitload-executor" "${objs[@]}" -ldl
file "$out/jitload-executor" | grep -q 'ARM aarch64' || { echo "FAIL: not an AArch64 executable"; exit 1; }
JITLOAD_CROSS_EXECUTOR="$qemu -L $sysroot $out/jitload-executor" "$tests" --gtest_filter='Cross.*'
