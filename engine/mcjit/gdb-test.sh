#!/usr/bin/env bash
# GDB JIT interface, end to end: gdb runs `jitload run` on a module whose
# JIT-compiled functions call abort(); the backtrace must name them. With
# --no-debugger the same backtrace must not (so the check can fail).
# Exit 77 (ctest: skipped) when gdb is missing or cannot trace here.
# usage: gdb-test.sh JITLOAD
set -u
jitload=$1
# Absolute, since the script works in a temporary directory.
case $jitload in */*) jitload=$(cd "$(dirname "$jitload")" && pwd)/$(basename "$jitload") ;; esac
if ! command -v gdb >/dev/null 2>&1; then
  echo "SKIPPED: gdb is not installed"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/crash.ll" <<'IR'
declare void @abort()
define void @jit_inner_frame() noinline {
  call void @abort()
  unreachable
}
define void @jit_outer_frame() noinline {
  call void @jit_inner_frame()
  ret void
}
define i32 @main() {
  call void @jit_outer_frame()
  ret i32 0
}
IR
bt() {
  timeout 120 gdb -batch -nx -ex run -ex bt --args "$jitload" run "$@" "$work/crash.ll" 2>&1
}
out=$(bt -O0)
if grep -q "ptrace: Operation not permitted\|Could not trace the inferior\|Couldn't get registers" <<<"$out"; then
  echo "SKIPPED: gdb cannot trace processes here"
  echo "$out" | tail -3
  exit 77
fi
status=0
for f in jit_inner_frame jit_outer_frame; do
  if grep -q "in $f ()" <<<"$out"; then
    echo "ok: backtrace names $f"
  else
    echo "FAIL: backtrace does not name $f"
    status=1
  fi
done
if [ $status -ne 0 ]; then echo "$out" | tail -20; fi
out=$(bt -O0 --no-debugger)
if grep -q "in jit_inner_frame ()" <<<"$out"; then
  echo "FAIL: without registration gdb still named jit_inner_frame: the check proves nothing"
  status=1
else
  echo "ok: without registration the frame is anonymous"
fi
exit $status
