#!/usr/bin/env bash
# The split of the command line (tools/llvm-module.h): the LLVM-free
# commands never map libLLVM, the commands that need LLVM still work
# through the jitload-llvm.so module, and without the module they fail with
# an error naming it while the LLVM-free commands go on working.
#
# Which libraries a process mapped is read twice over: from the dynamic
# linker (LD_DEBUG=libs lists every library it loads, dlopen()ed ones
# included) and from the process itself (JITLOAD_DUMP_PROCESS=FILE writes
# /proc/self/maps and /proc/self/status at exit; VmHWM there is the peak
# resident set, which must stay under 10 MiB for `load` of a tiny object
# outside sanitizer builds).
# usage: llvm-free-test.sh JITLOAD CLANG
set -u
jitload=$1
case $jitload in */*) jitload=$(cd "$(dirname "$jitload")" && pwd)/$(basename "$jitload") ;; esac
clang=$2
bin=$(dirname "$jitload")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { checks=$((checks + 1)); }

# A one-function object, a program to execute, IR to run, a -verify check
# with and without instruction decoding.
cat > tiny.c <<'C'
int answer(int x) { return x * 6 + 0; }
C
cat > prog.c <<'C'
#include <stdio.h>
int main(void) { printf("exec says hi\n"); return 7; }
C
cat > check.s <<'S'
  .text
# rtdyld-check: *{4}field = 0x1234
field:
  .long ext
S
cat > decode.s <<'S'
  .text
# rtdyld-check: decode_operand(mov_ext, 1) = 0x1234
mov_ext:
  movl $ext, %eax
S
"$clang" -c -O1 tiny.c -o tiny.o || exit 1
"$clang" -c -O1 prog.c -o prog.o || exit 1
"$clang" -S -emit-llvm -O1 prog.c -o prog.ll || exit 1
"$clang" -c check.s -o check.o || exit 1
"$clang" -c decode.s -o decode.o || exit 1

# The executable itself needs no LLVM.
if readelf -d "$jitload" | grep -q 'NEEDED.*LLVM'; then
  fail "jitload has libLLVM among its DT_NEEDED libraries: $(readelf -d "$jitload" | grep NEEDED | tr '\n' ' ')"
else pass; fi

# maps_llvm NAME WANT(yes|no) -- COMMAND...: runs COMMAND with both probes
# and checks whether libLLVM was mapped; COMMAND's status goes to $status.
maps_llvm() {
  local name=$1 want=$2
  shift 3
  rm -f dump.txt
  LD_DEBUG=libs JITLOAD_DUMP_PROCESS="$work/dump.txt" "$@" >out.txt 2>err.txt
  status=$?
  if ! grep -q 'libc\.so' err.txt; then fail "$name: LD_DEBUG=libs printed nothing (cannot tell)"; return; fi
  if [ ! -s dump.txt ] || ! grep -q 'libc\.so' dump.txt; then fail "$name: no JITLOAD_DUMP_PROCESS dump"; return; fi
  local by_ld=no by_maps=no
  grep -q 'libLLVM' err.txt && by_ld=yes
  grep -q 'libLLVM' dump.txt && by_maps=yes
  if [ "$by_ld" != "$want" ] || [ "$by_maps" != "$want" ]; then
    fail "$name: libLLVM mapped: $by_ld (LD_DEBUG), $by_maps (/proc/self/maps); expected $want"
  else pass; fi
}

# The LLVM-free commands.
maps_llvm "load" no -- "$jitload" load tiny.o
[ "$status" = 0 ] && grep -q 'answer' out.txt && pass || fail "load tiny.o: status $status, no report"
if nm "$jitload" 2>/dev/null | grep -q '__asan_init'; then
  echo "peak RSS check skipped: sanitizer build"
else
  hwm=$(awk '/^VmHWM:/ {print $2}' dump.txt)
  if [ -n "$hwm" ] && [ "$hwm" -lt 10240 ]; then pass; echo "load tiny.o: peak RSS $hwm kB"
  else fail "load tiny.o: peak resident set ${hwm:-?} kB, not under 10240 kB"; fi
fi
maps_llvm "exec" no -- "$jitload" exec prog.o
[ "$status" = 7 ] && grep -q 'exec says hi' out.txt && pass || fail "exec prog.o: status $status, output '$(cat out.txt)'"
maps_llvm "rtdyld -execute" no -- "$jitload" rtdyld -execute -entry=main prog.o
[ "$status" = 7 ] && grep -q 'exec says hi' out.txt && pass || fail "rtdyld -execute prog.o: status $status, output '$(cat out.txt)'"
maps_llvm "diff --oracle none" no -- "$jitload" diff tiny.o --oracle none
[ "$status" = 0 ] && pass || fail "diff --oracle none: status $status: $(cat out.txt)"
maps_llvm "rtdyld -verify (no decoding)" no -- "$jitload" rtdyld -verify -triple=x86_64-pc-linux \
  -check=check.s -dummy-extern=ext=0x1234 check.o
[ "$status" = 0 ] && pass || fail "rtdyld -verify check.o: status $status: $(grep -v '^ *[0-9]*:' err.txt)"
maps_llvm "jitload-rtdyld -verify" no -- "$bin/jitload-rtdyld" -verify -triple=x86_64-pc-linux \
  -check=check.s -dummy-extern=ext=0x1234 check.o
[ "$status" = 0 ] && pass || fail "jitload-rtdyld -verify check.o: status $status"
# A failing check still fails, without LLVM.
maps_llvm "rtdyld -verify (failing check)" no -- "$jitload" rtdyld -verify -triple=x86_64-pc-linux \
  -check=check.s -dummy-extern=ext=0x1235 check.o
[ "$status" = 0 ] && fail "rtdyld -verify with a wrong ext passed" || pass

# The commands that need LLVM load the module, and work.
maps_llvm "run" yes -- "$jitload" run prog.ll
[ "$status" = 7 ] && grep -q 'exec says hi' out.txt && pass || fail "run prog.ll: status $status: $(grep -v '^ *[0-9]*:' err.txt)"
maps_llvm "rtdyld -verify decode_operand" yes -- "$jitload" rtdyld -verify -triple=x86_64-pc-linux \
  -check=decode.s -dummy-extern=ext=0x1234 decode.o
[ "$status" = 0 ] && pass || fail "rtdyld -verify decode.o: status $status: $(grep -v '^ *[0-9]*:' err.txt)"
maps_llvm "rtdyld -verify decode_operand (wrong)" yes -- "$jitload" rtdyld -verify -triple=x86_64-pc-linux \
  -check=decode.s -dummy-extern=ext=0x1235 decode.o
[ "$status" = 0 ] && fail "rtdyld -verify decode.o with a wrong ext passed" || pass
# A triple this side cannot vouch for is asked of LLVM up front, as before.
"$jitload" rtdyld -verify -triple=nosucharch-pc-linux -check=check.s -dummy-extern=ext=0x1234 check.o \
  >out.txt 2>err.txt
status=$?
[ "$status" = 1 ] && grep -q "error accessing target 'nosucharch-pc-linux'" err.txt && pass ||
  fail "-triple=nosucharch: status $status: $(cat err.txt)"

# Without the module: the LLVM-needing commands name it; the others work.
export JITLOAD_LLVM_MODULE=$work/no-such-module.so
"$jitload" run prog.ll >out.txt 2>err.txt
status=$?
[ "$status" = 1 ] && grep -q "no-such-module.so" err.txt && pass || fail "run without the module: status $status: $(cat err.txt)"
"$jitload" rtdyld -verify -triple=x86_64-pc-linux -check=decode.s -dummy-extern=ext=0x1234 decode.o >out.txt 2>err.txt
status=$?
[ "$status" = 1 ] && grep -q "no-such-module.so" err.txt && pass ||
  fail "decode_operand without the module: status $status: $(cat err.txt)"
"$jitload" rtdyld -printobjline tiny.o >out.txt 2>err.txt
status=$?
[ "$status" = 1 ] && grep -q "no-such-module.so" err.txt && pass || fail "-printobjline without the module: status $status: $(cat err.txt)"
"$jitload" load tiny.o >out.txt 2>err.txt && pass || fail "load without the module failed: $(cat err.txt)"
"$jitload" rtdyld -verify -triple=x86_64-pc-linux -check=check.s -dummy-extern=ext=0x1234 check.o >out.txt 2>err.txt &&
  pass || fail "-verify (no decoding) without the module failed: $(cat err.txt)"
# Not a jitload module: refused, named.
printf 'not an ELF file\n' > bad.so
JITLOAD_LLVM_MODULE=$work/bad.so "$jitload" run prog.ll >out.txt 2>err.txt
status=$?
[ "$status" = 1 ] && grep -q "bad.so" err.txt && pass || fail "run with a broken module: status $status: $(cat err.txt)"
unset JITLOAD_LLVM_MODULE

echo "llvm-free-test: $checks checks passed, $fails failed"
[ "$fails" = 0 ] && echo "llvm-free-test: ok"
[ "$fails" = 0 ]
