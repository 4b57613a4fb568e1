#!/usr/bin/env bash
# `jitload run` as a drop-in for `lli -jit-kind=mcjit`: the same invocations,
# in lli's spellings and ours, must print the same output and exit with the
# same status as lli-19 (when lli-19 is installed; otherwise against the
# expected values written here).
# usage: run-test.sh JITLOAD CLANG CLANGXX LLVM_AR [LLI]
set -u
here=$(cd "$(dirname "$0")" && pwd)
jitload=$1
# Absolute, since the script works in a temporary directory.
case $jitload in */*) jitload=$(cd "$(dirname "$jitload")" && pwd)/$(basename "$jitload") ;; esac
clang=$2
clangxx=$3
llvm_ar=$4
lli=${5:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
check() {  # check NAME EXPECTED_RC EXPECTED_STDOUT -- COMMAND...
  local name=$1 want_rc=$2 want_out=$3
  shift 4
  local out rc
  out=$("$@" 2>"$work/stderr")
  rc=$?
  if [ "$rc" = "$want_rc" ] && [ "$out" = "$want_out" ]; then
    echo "ok: $name"
  else
    echo "FAIL: $name: exit $rc (want $want_rc), stdout [$out] (want [$want_out])"
    sed 's/^/  stderr: /' "$work/stderr" | head -5
    fails=$((fails + 1))
  fi
}
# same NAME ARGS...: jitload run ARGS and lli ARGS agree (exit status and stdout).
same() {
  local name=$1
  shift
  local jout jrc lout lrc
  jout=$("$jitload" run "$@" 2>"$work/stderr")
  jrc=$?
  if [ -z "$lli" ]; then
    echo "ok: $name (exit $jrc; lli-19 not installed, not compared)"
    return
  fi
  lout=$("$lli" -jit-kind=mcjit "$@" 2>/dev/null)
  lrc=$?
  if [ "$jrc" = "$lrc" ] && [ "$jout" = "$lout" ]; then
    echo "ok: $name (same as lli: exit $jrc)"
  else
    echo "FAIL: $name: jitload exit $jrc [$jout], lli exit $lrc [$lout]"
    sed 's/^/  stderr: /' "$work/stderr" | head -5
    fails=$((fails + 1))
  fi
}

cat > main.c <<'C'
#include <stdio.h>
#include <string.h>
int helper(int);        /* extra module */
int from_object(int);   /* extra object */
int from_archive(int);  /* extra archive */
int main(int argc, char** argv) {
  printf("argc=%d", argc);
  for (int i = 1; i < argc; i++) printf(" [%s]", argv[i]);
  printf("\nargv0-is-file=%d\n", strstr(argv[0], "main") != NULL);
  printf("helper=%d object=%d archive=%d\n", helper(2), from_object(3), from_archive(4));
  return argc + 20;
}
int other_entry(void) { printf("other entry\n"); return 7; }
C
cat > exits.c <<'C'
#include <stdio.h>
#include <stdlib.h>
static void bye(void) { printf("atexit handler ran\n"); }
int main(void) {
  atexit(bye);
  printf("calling exit\n");
  exit(5);
}
C
cat > helper.c <<'C'
int helper(int x) { return x * 11; }
C
cat > object.c <<'C'
int from_object(int x) { return x * 100; }
C
cat > arch1.c <<'C'
int archive_inner(int);
int from_archive(int x) { return archive_inner(x) + 1; }
C
cat > arch2.c <<'C'
int archive_inner(int x) { return x * 1000; }
C
cat > unused.c <<'C'
int never_called(void) { return 0; }
C
"$clang" -O1 -S -emit-llvm main.c -o main.ll &&
  "$clang" -O1 -c -emit-llvm main.c -o main.bc &&
  "$clang" -O1 -S -emit-llvm helper.c -o helper.ll &&
  "$clang" -O1 -c object.c -o object.o &&
  "$clang" -O1 -c arch1.c -o arch1.o &&
  "$clang" -O1 -c arch2.c -o arch2.o &&
  "$clang" -O1 -c unused.c -o unused.o &&
  "$clang" -O1 -S -emit-llvm exits.c -o exits.ll &&
  "$clangxx" -O1 -S -emit-llvm "$here/testdata/program.cc" -o program.ll &&
  "$llvm_ar" rcs libx.a arch1.o arch2.o unused.o || { echo "FAIL: could not build the test inputs"; exit 1; }

extras=(-extra-module=helper.ll -extra-object=object.o -extra-archive=libx.a)
want=$'argc=3 [a] [b c]\nargv0-is-file=1\nhelper=22 object=300 archive=4001'
check "lli spellings, .ll" 23 "$want" -- "$jitload" run "${extras[@]}" -jit-kind=mcjit -O2 main.ll a "b c"
check "our spellings, .bc" 23 "$want" -- "$jitload" run --extra-module helper.ll --extra-object object.o \
  --extra-archive libx.a -O3 main.bc -- a "b c"
check "options after the file" 23 "$want" -- "$jitload" run main.ll --extra-module=helper.ll \
  --extra-object=object.o --extra-archive=libx.a -O0 -- a "b c"
check "-entry-function" 7 "other entry" -- "$jitload" run "${extras[@]}" -entry-function=other_entry main.ll
check "-mtriple/-mcpu" 23 "$want" -- "$jitload" run "${extras[@]}" -mtriple=x86_64-unknown-linux-gnu -mcpu=generic main.ll a "b c"
check "program options after the file go to the program" 22 \
  $'argc=2 [-v]\nargv0-is-file=1\nhelper=22 object=300 archive=4001' -- "$jitload" run "${extras[@]}" main.ll -v
same "same as lli: arguments and exit status" "${extras[@]}" main.ll a "b c"
same "same as lli: -entry-function" "${extras[@]}" -entry-function=other_entry main.ll
same "same as lli: -O0 bitcode" "${extras[@]}" -O0 main.bc x
check "exit() from JIT code runs its atexit handlers" 5 $'calling exit\natexit handler ran' -- "$jitload" run exits.ll
same "same as lli: exit() and atexit" exits.ll
check "C++: iostream, exceptions, static constructor and destructor" 3 \
  $'construct global\ncaught empty\ncaught stoi\nsum 45 distinct 2\ndestroy global' -- "$jitload" run program.ll
# (Not compared with lli: LLVM 19's `lli -jit-kind=mcjit` dies with SIGSEGV
# in this program's static constructor, calling through a null pointer.)

# The object cache, lli's way and ours: the second run generates nothing.
"$jitload" run "${extras[@]}" -enable-cache-manager -object-cache-dir=cache --stats main.ll >/dev/null 2>first.err
"$jitload" run "${extras[@]}" --object-cache cache --stats main.ll >/dev/null 2>second.err
# Two modules (main and the extra one): two objects.
if grep -q "2 object(s) generated, 0 from cache" first.err && grep -q "0 object(s) generated, 2 from cache" second.err; then
  echo "ok: object cache hit on the second run"
else
  echo "FAIL: object cache: first [$(cat first.err)] second [$(cat second.err)]"
  fails=$((fails + 1))
fi
entry=$(ls cache/*.jlobj 2>/dev/null | head -1)
if [ -n "$entry" ]; then
  printf 'garbage' | dd of="$entry" bs=1 seek=200 conv=notrunc status=none
  out=$("$jitload" run "${extras[@]}" --object-cache cache --stats main.ll 2>corrupt.err)
  if [ "$out" = $'argc=1\nargv0-is-file=1\nhelper=22 object=300 archive=4001' ] &&
     grep -q "rejected" corrupt.err && grep -q "1 object(s) generated, 1 from cache" corrupt.err; then
    echo "ok: corrupted cache entry rejected and regenerated"
  else
    echo "FAIL: corrupted cache entry: [$out] $(cat corrupt.err)"
    fails=$((fails + 1))
  fi
else
  echo "FAIL: no cache entry written"
  fails=$((fails + 1))
fi

# Errors: clear message, non-zero exit, no crash.
check "missing input" 1 "" -- "$jitload" run nonexistent.ll
check "unknown option" 2 "" -- "$jitload" run --frobnicate main.ll
check "other jit kinds refused" 2 "" -- "$jitload" run -jit-kind=orc-lazy main.ll
check "unresolved symbol" 1 "" -- "$jitload" run main.ll
grep -q "helper" "$work/stderr" && echo "ok: the unresolved symbol is named" ||
  { echo "FAIL: unresolved symbol not named: $(cat "$work/stderr")"; fails=$((fails + 1)); }
check "missing entry" 1 "" -- "$jitload" run "${extras[@]}" -entry-function=nope main.ll

echo "run-test: $fails failure(s)"
[ $fails -eq 0 ]
