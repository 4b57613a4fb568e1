#!/usr/bin/env bash
# `jitload exec` on objects for another machine: what it says when it cannot
# run them (each a clear error naming the object and the reason, status 1,
# never a crash or the host loader's attempt): aarch64_be (no big-endian
# cross libc in Debian), riscv32 (no RV32 libc), a missing runner, a missing qemu. Needs only clang-19.
# usage: exec-door.sh JITLOAD CLANG
set -u
jitload=$1 clang=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
check() {  # NAME WANT_STATUS WANT_SUBSTRING -- command...
  local name=$1 want=$2 text=$3; shift 4
  out=$("$@" 2>&1); rc=$?
  if [ $rc -ne "$want" ] || [[ "$out" != *"$text"* ]]; then
    echo "FAIL: $name: status $rc, output '$out' (want status $want and '$text')"; fail=1
  else
    echo "ok: $name: $out"
  fi
}
# Freestanding: no C library is needed to compile these.
printf 'int main(void){return 0;}\n' > m.c
"$clang" --target=aarch64_be-linux-gnu -ffreestanding -c m.c -o be.o || { echo "FAIL: $clang cannot compile for aarch64_be"; exit 1; }
"$clang" --target=aarch64-linux-gnu -ffreestanding -c m.c -o le.o || { echo "FAIL: $clang cannot compile for aarch64"; exit 1; }
check "aarch64_be refused with the reason" 1 "be.o is an aarch64_be object: Debian packages no big-endian AArch64 C library" -- "$jitload" exec be.o
check "missing runner" 1 "its runner /nonexistent/runner is missing" -- env JITLOAD_RUNNER_AARCH64=/nonexistent/runner "$jitload" exec le.o
# RISC-V: one machine, two classes; RV32 has no C library (its class picks its line).
"$clang" --target=riscv32-linux-gnu -ffreestanding -c m.c -o rv32.o || { echo "FAIL: $clang cannot compile for riscv32"; exit 1; }
"$clang" --target=riscv64-linux-gnu -ffreestanding -c m.c -o rv64.o || { echo "FAIL: $clang cannot compile for riscv64"; exit 1; }
check "riscv32 refused with the reason" 1 "rv32.o is a riscv32 object: Debian packages no RV32 C library" -- "$jitload" exec rv32.o
check "riscv64 missing runner" 1 "its runner /nonexistent/runner is missing" -- env JITLOAD_RUNNER_RISCV64=/nonexistent/runner "$jitload" exec rv64.o
# A runner that exists but no qemu on PATH.
printf '#!/bin/sh\nexit 0\n' > fake-runner; chmod +x fake-runner
check "missing qemu" 1 "qemu-aarch64-static is not on PATH" -- env PATH=/nonexistent JITLOAD_RUNNER_AARCH64=$PWD/fake-runner "$jitload" exec le.o
exit $fail
