#!/usr/bin/env bash
# Thread-local storage through the commands (`jitload exec`, `jitload run`,
# `jitload rtdyld -execute`): programs compiled by clang-19 in every TLS
# model print what the main thread and a thread created after the load see;
# each must print what the native binary prints. A 16 MiB block runs; an
# initial-exec/local-exec block too large for the static reserve is refused
# with an error naming the variable and the model to compile with.
# Local-dynamic code for a weak variable another object defines reads that
# object's definition (part 5).
# usage: tls-test.sh JITLOAD CLANG
set -u
here=$(cd "$(dirname "$0")" && pwd)
jitload=$1
case $jitload in */*) jitload=$(cd "$(dirname "$jitload")" && pwd)/$(basename "$jitload") ;; esac
clang=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
checks=0

# same NAME NATIVE_BINARY -- COMMAND...: COMMAND prints what the binary prints.
same() {
  local name=$1 native=$2
  shift 3
  local want got rc
  want=$("./$native")
  got=$("$@" 2>"$work/stderr")
  rc=$?
  checks=$((checks + 1))
  if [ "$rc" = 0 ] && [ "$got" = "$want" ] && [ -n "$want" ]; then
    echo "ok: $name"
  else
    echo "FAIL: $name: exit $rc"
    diff <(echo "$want") <(echo "$got") | sed 's/^/  /' | head -10
    sed 's/^/  stderr: /' "$work/stderr" | head -5
    fails=$((fails + 1))
  fi
}

# refused NAME PATTERN... -- COMMAND...: exit 1, every PATTERN in stderr.
refused() {
  local name=$1
  shift
  local patterns=()
  while [ "$1" != -- ]; do patterns+=("$1"); shift; done
  shift
  "$@" >/dev/null 2>"$work/stderr"
  local rc=$? ok=1
  for p in "${patterns[@]}"; do grep -qF -- "$p" "$work/stderr" || ok=0; done
  checks=$((checks + 1))
  if [ "$rc" = 1 ] && [ "$ok" = 1 ]; then
    echo "ok: $name"
  else
    echo "FAIL: $name: exit $rc (want 1), stderr:"
    sed 's/^/  /' "$work/stderr" | head -5
    fails=$((fails + 1))
  fi
}

compile() {  # compile OUT FLAGS... SOURCE
  local out=$1
  shift
  if ! "$clang" -c -o "$out" "$@" 2>"$work/cc-stderr"; then
    echo "FAIL: cannot compile $out: $(head -3 "$work/cc-stderr")"
    fails=$((fails + 1))
    return 1
  fi
}

# 1. Every TLS model, -fPIC or not (without it, clang gives a variable the
# object defines local exec whatever -ftls-model asks for less), and the
# large code model; exec of the object, run of the module, rtdyld -execute.
"$clang" -O1 -pthread -o native-threads "$here/threads.c" || exit 1
"$clang" -O1 -S -emit-llvm -o threads.ll "$here/threads.c" || exit 1
same "run: threads.ll" native-threads -- "$jitload" run threads.ll
i=0
for pic in "" -fPIC; do
  for model in "" global-dynamic local-dynamic initial-exec local-exec; do
    flags=(-O1)
    [ -n "$pic" ] && flags+=("$pic")
    [ -n "$model" ] && flags+=("-ftls-model=$model")
    i=$((i + 1))
    compile "t$i.o" "${flags[@]}" "$here/threads.c" || continue
    same "exec: threads.c ${flags[*]}" native-threads -- "$jitload" exec "t$i.o"
    same "rtdyld -execute: threads.c ${flags[*]}" native-threads -- "$jitload" rtdyld -execute -entry=main "t$i.o"
  done
done
compile t-large.o -O1 -fPIC -mcmodel=large "$here/threads.c" &&
  same "exec: threads.c -fPIC -mcmodel=large" native-threads -- "$jitload" exec t-large.o

# 2. One variable defined in one object, used from another, each side in
# its own model; the module side under run -extra-object.
for big in 16 1048576; do
  "$clang" -O1 -pthread -DBIG=$big -o "native-shared-$big" "$here/shared-use.c" "$here/shared-def.c" || exit 1
  "$clang" -O1 -S -emit-llvm -DBIG=$big -o "shared-use-$big.ll" "$here/shared-use.c" || exit 1
  for def in "" -fPIC; do
    for use in "" -fPIC; do
      # A block above the reserve is only reachable from general/local-dynamic code.
      [ $big != 16 ] && { [ -z "$def" ] || [ -z "$use" ]; } && continue
      compile "def.o" -O1 -DBIG=$big $def "$here/shared-def.c" || continue
      compile "use.o" -O1 -DBIG=$big $use "$here/shared-use.c" || continue
      same "exec: use.o(${use:-pie}) def.o(${def:--fPIE}) BIG=$big" "native-shared-$big" -- "$jitload" exec use.o def.o
      same "exec: def.o(${def:--fPIE}) use.o(${use:-pie}) BIG=$big" "native-shared-$big" -- "$jitload" exec def.o use.o
    done
    [ $big != 16 ] && [ -z "$def" ] && continue
    same "run: shared-use.ll -extra-object def.o(${def:--fPIE}) BIG=$big" "native-shared-$big" -- \
      "$jitload" run -extra-object def.o "shared-use-$big.ll"
  done
done

# 3. A 16 MiB block: exec of a -fPIC object, run of the module.
"$clang" -O1 -pthread -o native-big "$here/big.c" || exit 1
compile big-pic.o -O1 -fPIC "$here/big.c" &&
  same "exec: 16 MiB TLS block, -fPIC" native-big -- "$jitload" exec big-pic.o
"$clang" -O1 -S -emit-llvm -o big.ll "$here/big.c" || exit 1
same "run: 16 MiB TLS block (IR)" native-big -- "$jitload" run big.ll

# 4. Initial-exec and local-exec code only reach the static reserve: the
# 16 MiB block is refused, naming the variable, the model and the fix.
compile big-le.o -O1 -ftls-model=local-exec "$here/big.c" &&
  refused "exec: 16 MiB local-exec block is refused" "big-le.o: its thread-local block" \
    "does not fit the static TLS reserve" "is accessed with local-exec code (R_X86_64_TPOFF32)" \
    "compile it with -ftls-model=global-dynamic (or -fPIC)" -- "$jitload" exec big-le.o
compile big-ie.o -O1 -fPIC -ftls-model=initial-exec "$here/big.c" &&
  refused "exec: 16 MiB initial-exec block is refused" "big-ie.o: its thread-local block" \
    "is accessed with initial-exec code (R_X86_64_GOTTPOFF)" "'big" \
    "compile it with -ftls-model=global-dynamic (or -fPIC)" -- "$jitload" exec big-ie.o

# 5. Local-dynamic code for a weak thread-local variable whose definition
# the set takes from another object (first weak wins): weak-ld.c reaches
# `shared` and its own `own` through one __tls_get_addr(module, 0), so each
# DTPOFF is relative to its own block, wherever the chosen `shared` lives.
# Both load orders (each against the native link in that order), exec of
# the objects and run of the modules, a thread created after the load.
for vis in protected hidden; do
  for first in main ld; do
    "$clang" -O2 -c -o wm.o "$here/weak-main.c" || exit 1
    "$clang" -O2 -S -emit-llvm -o wm.ll "$here/weak-main.c" || exit 1
    compile "wl-$vis.o" -O2 -fPIC -ftls-model=local-dynamic "-DVIS=\"$vis\"" "$here/weak-ld.c" || continue
    "$clang" -O2 -fPIC -ftls-model=local-dynamic "-DVIS=\"$vis\"" -S -emit-llvm -o "wl-$vis.ll" "$here/weak-ld.c" ||
      exit 1
    if [ $first = main ]; then objs=(wm.o "wl-$vis.o"); else objs=("wl-$vis.o" wm.o); fi
    "$clang" -pthread -o "native-weak-$vis-$first" "${objs[@]}" || exit 1
    same "exec: local-dynamic weak $vis, ${objs[*]}" "native-weak-$vis-$first" -- "$jitload" exec "${objs[@]}"
    # run loads the module with main first, then the extra modules.
    [ $first = main ] && same "run: local-dynamic weak $vis, wm.ll --extra-module wl-$vis.ll" \
      "native-weak-$vis-$first" -- "$jitload" run --extra-module "wl-$vis.ll" wm.ll
  done
done
# The chosen definition's block is allocated per thread (1 MiB). When the
# local-dynamic code reaches that block only, its pairs name that module
# and it runs; when it also reaches its own block from the same base, there
# is no fixed distance between the two, so it is refused, naming the
# variable, both objects and the model to compile it with.
"$clang" -O2 -c -fPIC -DBIG=131072 -o wm-big.o "$here/weak-main.c" || exit 1
compile wl-only.o -O2 -fPIC -ftls-model=local-dynamic -DONLY_SHARED '-DVIS="protected"' "$here/weak-ld.c" && {
  "$clang" -pthread -o native-weak-big wm-big.o wl-only.o || exit 1
  same "exec: local-dynamic code reaching another object's per-thread block only" native-weak-big -- \
    "$jitload" exec wm-big.o wl-only.o
}
refused "exec: local-dynamic code reaching its own block and another object's per-thread one is refused" \
  "wl-protected.o:(.text+" "R_X86_64_DTPOFF32 is local-dynamic code" "definition the set chose in wm-big.o" \
  "wm-big.o's block is allocated per thread" "compile wl-protected.o with -ftls-model=global-dynamic" \
  "references 'shared'" -- "$jitload" exec wm-big.o wl-protected.o

echo "$checks checks, $fails failed"
[ "$fails" = 0 ]
