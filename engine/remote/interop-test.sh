#!/usr/bin/env bash
# Remote execution through the user's door, both directions of interop:
#   LLVM controllers (lli-19 -remote-mcjit, llvm-jitlink-19 -oop-executor) -> jitload-executor
#   jitload controller (jitload run -remote-mcjit) -> lli-child-target-19 and jitload-executor
# Output and exit status are compared with the local run (or lli with its own
# child); a fault, exit(), a dead or refusing executor and TCP are covered.
# usage: interop-test.sh JITLOAD EXECUTOR CLANG CLANGXX [LLI CHILD]
set -u
here=$(cd "$(dirname "$0")" && pwd)
jitload=$1 executor=$2 clang=$3 clangxx=$4 lli=${5:-} child=${6:-}
abs() { case $1 in */*) echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" ;; *) echo "$1" ;; esac; }
jitload=$(abs "$jitload") executor=$(abs "$executor")
[ -n "$child" ] && child=$(abs "$child")
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${listener:-}" ] && kill "$listener" 2>/dev/null' EXIT
cd "$work"
fails=0 passes=0 skips=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; passes=$((passes + 1)); }
skip() { echo "skipped: $*"; skips=$((skips + 1)); }
# expect NAME RC STDOUT-FILE-OR-TEXT [STDERR-PATTERN] -- COMMAND...
expect() {
  local name=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 5
  timeout 60 "$@" > out.txt 2> err.txt
  local rc=$?
  if [ "$rc" != "$want_rc" ]; then fail "$name: exit status $rc, expected $want_rc ($(head -c 400 err.txt))"; return; fi
  if [ "$(cat out.txt)" != "$want_out" ]; then fail "$name: stdout '$(head -c 200 out.txt)', expected '$want_out'"; return; fi
  if [ -n "$want_err" ] && ! grep -q -- "$want_err" err.txt; then fail "$name: stderr lacks '$want_err': $(head -c 400 err.txt)"; return; fi
  pass "$name"
}

"$clang" -S -emit-llvm -O1 -o globals.ll "$here/testdata/globals.c"
"$clang" -S -emit-llvm -O1 -o exits.ll "$here/testdata/exits.c"
"$clang" -S -emit-llvm -O0 -o crash.ll "$here/testdata/crash.c"
"$clangxx" -S -emit-llvm -O1 -o throw.ll "$here/../../corpora/programs/throw.cc"
"$clangxx" -S -emit-llvm -O1 -o ctors.ll "$here/testdata/ctors.cc"
remote=(-remote-mcjit -disable-lazy-compilation)

# --- jitload controller ----------------------------------------------------
local_out=$("$jitload" run globals.ll one two 2>/dev/null); local_rc=$?
[ "$local_out" = "alpha:5 beta:4 gamma:5 argc=3 last=two" ] && [ $local_rc = 42 ] || fail "local run: '$local_out' status $local_rc"
ctors_out=$("$jitload" run ctors.ll 2>/dev/null)
[ "$ctors_out" = "$(printf 'early constructor\nconstruct global\nconstruct local\nmain sees global and local\ndestroy local\ndestroy global')" ] ||
  fail "local run of ctors: '$ctors_out'"
children=("$executor")
[ -n "$child" ] && [ -x "$child" ] && children+=("$child") || skip "lli-child-target: not installed"
for c in "${children[@]}"; do
  n=$(basename "$c")
  expect "jitload run -> $n: globals" 42 "$local_out" "" -- "$jitload" run "${remote[@]}" -mcjit-remote-process="$c" globals.ll one two
  expect "jitload run -> $n: C++ exception" 0 "caught: bottom reached" "" -- "$jitload" run "${remote[@]}" -mcjit-remote-process="$c" throw.ll
  if [ "$c" = "$executor" ]; then
    expect "jitload run -> $n: constructors and destructors" 0 "$ctors_out" "" -- "$jitload" run "${remote[@]}" -mcjit-remote-process="$c" ctors.ll
  else
    # LLVM's child unmaps the session's memory before its process exits, so
    # the program's __cxa_atexit destructors fault there and its buffered
    # output is lost: only main's status is jitload's to check.
    expect "jitload run -> $n: constructors run (status; LLVM's child faults at its exit)" 0 "" "" -- \
      sh -c '"$0" "$@" >/dev/null' "$jitload" run "${remote[@]}" -mcjit-remote-process="$c" ctors.ll
  fi
  expect "jitload run -> $n: exit(3)" 3 "exiting with 3" "" -- "$jitload" run "${remote[@]}" -mcjit-remote-process="$c" exits.ll
  expect "jitload run -> $n: SIGSEGV" 139 "before the fault" "signal 11" -- "$jitload" run "${remote[@]}" -mcjit-remote-process="$c" crash.ll
done
# The fault is named by jitload-executor itself (its Hangup), not only by waitpid.
expect "jitload run -> jitload-executor: the executor names the signal" 139 "before the fault" "terminated by signal 11 (SIGSEGV)" -- \
  "$jitload" run "${remote[@]}" -mcjit-remote-process="$executor" crash.ll
# An executor that refuses (its memory cap) or dies before Setup: an error, no hang.
expect "jitload run: executor refuses the reservation" 1 "" "exceed the session's limit" -- \
  "$jitload" run "${remote[@]}" -mcjit-remote-process="$executor --memory-limit=4096" globals.ll
printf '#!/bin/sh\nexit 5\n' > dies.sh && chmod +x dies.sh
expect "jitload run: executor dies before Setup" 1 "" "exited with status 5" -- \
  "$jitload" run "${remote[@]}" -mcjit-remote-process="$work/dies.sh" globals.ll
printf '#!/bin/sh\nprintf 0123456789 >&$2\n' > half.sh && chmod +x half.sh
expect "jitload run: executor dies inside its first message" 1 "" "inside a message header" -- \
  "$jitload" run "${remote[@]}" -mcjit-remote-process="$work/half.sh" globals.ll

# Code for another architecture than the executor's: refused before anything runs.
expect "jitload run: code for aarch64, executor x86-64: refused" 1 "" "the code is for aarch64" -- \
  "$jitload" run "${remote[@]}" -mtriple=aarch64-linux-gnu -mcjit-remote-process="$executor" globals.ll

# --target-exec: the host's architecture runs in jitload-executor beside jitload.
expect "jitload run --target-exec (host): globals" 42 "$local_out" "" -- "$jitload" run --target-exec "$(uname -m)-linux-gnu" globals.ll one two
expect "jitload run --target-exec: aarch64_be has no executor, saying why" 1 "" "no big-endian AArch64 C library" -- \
  "$jitload" run --target-exec aarch64_be-linux-gnu globals.ll
expect "jitload run --target-exec: an architecture without an executor" 1 "" "no executor for riscv64" -- \
  "$jitload" run --target-exec riscv64-linux-gnu globals.ll
expect "jitload run --target-exec: a missing cross executor names its build target" 1 "" "target jitload-executor-aarch64" -- \
  env JITLOAD_EXECUTOR_AARCH64=/nonexistent/jitload-executor-aarch64 "$jitload" run --target-exec aarch64-linux-gnu globals.ll
expect "jitload run --target-exec with a contradicting -mtriple" 1 "" "contradicts --target-exec" -- \
  "$jitload" run --target-exec "$(uname -m)-linux-gnu" -mtriple=aarch64-linux-gnu globals.ll
expect "jitload run --target-exec with -mcjit-remote-process too" 1 "" "not both" -- \
  "$jitload" run --target-exec "$(uname -m)-linux-gnu" -remote-mcjit -mcjit-remote-process="$executor" globals.ll
# Thread-local storage in the executor (jitload's tls_reserve/tls_publish):
# as the local run prints it, a thread the program creates included; LLVM's
# lli-child-target has no such service: refused before anything runs.
cat > tls.c <<'C'
#include <pthread.h>
#include <stdio.h>
_Thread_local int counter = 7;
_Thread_local char name[16] = "init";
static void *work(void *arg) { counter += (int)(long)arg; name[0] = 'T'; printf("thread %d %s\n", counter, name); return 0; }
int main(void) { counter = 100; pthread_t t; pthread_create(&t, 0, work, (void *)5); pthread_join(t, 0); printf("main %d %s\n", counter, name); return 0; }
C
"$clang" -S -emit-llvm -O1 -o tls.ll tls.c
tls_out=$("$jitload" run tls.ll 2>/dev/null)
[ "$tls_out" = "$(printf 'thread 12 Tnit\nmain 100 init')" ] || fail "local run of tls: '$tls_out'"
expect "jitload run -> jitload-executor: thread-local storage, two threads" 0 "$tls_out" "" -- \
  "$jitload" run "${remote[@]}" -mcjit-remote-process="$executor" tls.ll
printf '#include <stdio.h>\n_Thread_local char big[1 << 20] = {1};\nint main(void){printf("%%d\\n", big[0]);return 0;}\n' > bigtls.c
"$clang" -S -emit-llvm -O1 -o bigtls.ll bigtls.c
expect "jitload run -> jitload-executor: TLS larger than the static reserve: refused, saying why" 1 "" "does not fit the executor's static TLS reserve" -- \
  "$jitload" run "${remote[@]}" -mcjit-remote-process="$executor" bigtls.ll
if [ -n "$child" ] && [ -x "$child" ]; then
  expect "jitload run -> lli-child-target: TLS refused, saying why" 1 "" "offers no thread-local storage" -- \
    "$jitload" run "${remote[@]}" -mcjit-remote-process="$child" tls.ll
fi

# TCP on loopback: the program's output appears in the executor's stdout.
"$executor" --listen=0 > listen.txt 2>&1 &
listener=$!
for _ in $(seq 50); do grep -q listening listen.txt && break; sleep 0.1; done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' listen.txt)
expect "jitload run -> jitload-executor over TCP" 42 "" "" -- "$jitload" run "${remote[@]}" -mcjit-remote-process="tcp:127.0.0.1:$port" globals.ll one two
wait "$listener"; listener=
grep -q "alpha:5 beta:4 gamma:5 argc=3 last=two" listen.txt && pass "TCP: the program ran in the executor" || fail "TCP: executor output: $(cat listen.txt)"
expect "jitload run: TCP to a non-loopback address is refused" 1 "" "not a loopback address" -- \
  "$jitload" run "${remote[@]}" -mcjit-remote-process="tcp:192.0.2.1:9" globals.ll

# --- LLVM controller -> jitload-executor -------------------------------------
if [ -n "$lli" ] && [ -x "$(command -v "$lli")" ]; then
  for prog in globals throw exits crash tls; do
    ref_out=$("$lli" -jit-kind=mcjit "${remote[@]}" -mcjit-remote-process="${child:-$executor}" $prog.ll 2>/dev/null); ref_rc=$?
    [ -z "$child" ] && ref_rc=skip
    out=$("$lli" -jit-kind=mcjit "${remote[@]}" -mcjit-remote-process="$executor" $prog.ll 2>err.txt); rc=$?
    if [ "$ref_rc" != skip ] && { [ "$out" != "$ref_out" ] || [ $rc != $ref_rc ]; }; then
      fail "lli-19 -> jitload-executor: $prog: '$out' status $rc; with lli-child-target: '$ref_out' status $ref_rc"
    else
      pass "lli-19 -> jitload-executor: $prog (status $rc, '$out')"
    fi
  done
  # LLVM's own remote path on the TLS program (its child serves TLS its own
  # way) is the oracle for jitload's (the executor's static reserve).
  if [ -n "$child" ]; then
    ref_out=$("$lli" -jit-kind=mcjit "${remote[@]}" -mcjit-remote-process="$child" tls.ll 2>/dev/null)
    [ "$ref_out" = "$tls_out" ] && pass "jitload run -> jitload-executor: TLS output as lli-19 -> lli-child-target-19's" ||
      fail "TLS: lli-19 -> lli-child-target-19 printed '$ref_out', jitload's remote run '$tls_out'"
  fi
  # lli passes no argv (argc 0); the exception must be caught in the executor.
  out=$("$lli" -jit-kind=mcjit "${remote[@]}" -mcjit-remote-process="$executor" throw.ll 2>&1)
  [ "$out" = "caught: bottom reached" ] && pass "lli-19 -> jitload-executor: exception caught in the executor" ||
    fail "lli-19 -> jitload-executor: throw printed '$out'"
else
  skip "lli-19: not installed"
fi

# --- LLVM's JITLink controller (llvm-jitlink -oop-executor) -> jitload-executor
# (another LLVM client of the same protocol: EPCGenericJITLinkMemoryManager,
# EH frames registered by wrapper calls, argv from -args; debugger support
# off: it needs a GDB-registration wrapper neither executor is asked for here).
jitlink=$(command -v llvm-jitlink-19 || true)
jitlink_exec=$(command -v llvm-jitlink-executor-19 || true)
if [ -n "$jitlink" ] && [ -n "$jitlink_exec" ]; then
  "$clang" -c -O1 -o globals.o "$here/testdata/globals.c"
  "$clangxx" -c -O1 -o throw.o "$here/../../corpora/programs/throw.cc"
  for obj in globals.o throw.o; do
    ref=$("$jitlink" -debugger-support=false -oop-executor="$jitlink_exec" $obj -args x y 2>&1); ref_rc=$?
    out=$(timeout 60 "$jitlink" -debugger-support=false -oop-executor="$executor" $obj -args x y 2>&1); rc=$?
    if [ -z "$out" ] || [ "$out" != "$ref" ] || [ $rc != $ref_rc ]; then
      fail "llvm-jitlink -> jitload-executor: $obj: '$out' status $rc; with llvm-jitlink-executor: '$ref' status $ref_rc"
    else
      pass "llvm-jitlink -> jitload-executor: $obj ('$out')"
    fi
  done
else
  skip "llvm-jitlink-19 / llvm-jitlink-executor-19: not installed"
fi

echo "interop: $passes passed, $fails failed, $skips skipped"
[ $fails = 0 ]
