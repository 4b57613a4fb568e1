#!/usr/bin/env bash
# jitload-executor for AArch64 under qemu-user, driven by the x86-64
# controller library (remote-tests' Cross.* test): the executor is the one
# tools/runner/build.sh cross-builds (the ctest fixture aarch64-executor-build)
# from engine/remote and engine/loader alone (no LLVM). Exit 77 (skipped,
# shown by ctest) when the cross libraries, qemu or the executor are missing.
# usage: cross-test.sh REMOTE_TESTS BIN_DIR
set -eu
tests=$1 bin=$2
sysroot=/usr/aarch64-linux-gnu
qemu=$(command -v qemu-aarch64-static || true)
if [ ! -d "$sysroot/lib" ] || [ -z "$qemu" ]; then
  echo "skipped: needs $sysroot (g++-aarch64-linux-gnu) and qemu-aarch64-static (ci/setup)"
  exit 77
fi
[ -x "$bin/jitload-executor-aarch64" ] || { echo "skipped: $bin/jitload-executor-aarch64 not built (tools/runner/build.sh said why)"; exit 77; }
file "$bin/jitload-executor-aarch64" | grep -q 'ARM aarch64' || { echo "FAIL: not an AArch64 executable"; exit 1; }
JITLOAD_CROSS_EXECUTOR="$qemu -L $sysroot $bin/jitload-executor-aarch64" "$tests" --gtest_filter='Cross.*'
