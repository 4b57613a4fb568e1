#!/usr/bin/env bash
# C++ programs through the commands people type, against the same program
# linked natively by clang++-19 (the oracle): stdout — the order of every
# constructor and destructor included — and the exit status must be equal.
#   jitload exec OBJ...                (one object; three objects; at -O0,
#                                       -O2 -fPIC, -O1 -mcmodel=large, and
#                                       -O1 -fno-use-cxa-atexit: static objects'
#                                       destructors through atexit)
#   jitload rtdyld -execute OBJ...     (the same; no exceptions: jitload-rtdyld,
#                                       as llvm-rtdyld, registers no EH frames)
#   jitload run A.ll -extra-module ... (the same programs as IR)
# each with main returning and with main calling exit(). Static objects,
# function-local statics, thread_local objects in the main and a second
# thread, atexit handlers, .init_array/.fini_array functions, and exceptions
# crossing JIT and host frames that registered static destructors.
# Also: where code does not run here (`jitload load`), __dso_handle stays an
# ordinary external the scenario resolves.
# usage: run-test.sh JITLOAD CLANGXX
set -u
here=$(cd "$(dirname "$0")" && pwd)
abs() { case $1 in */*) echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" ;; *) command -v "$1" ;; esac; }
jitload=$(abs "$1")
clangxx=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
checks=0

# same NAME NATIVE_BINARY ARGS -- COMMAND...: equal stdout and exit status.
same() {
  local name=$1 native=$2 args=$3
  shift 4
  local nout nrc jout jrc
  nout=$("./$native" $args 2>/dev/null)
  nrc=$?
  jout=$("$@" 2>"$work/stderr")
  jrc=$?
  checks=$((checks + 1))
  if [ "$nrc" = "$jrc" ] && [ "$nout" = "$jout" ]; then
    echo "ok: $name (exit $jrc, $(printf '%s\n' "$jout" | wc -l) lines)"
  else
    echo "FAIL: $name: exit $jrc, native $nrc"
    diff <(printf '%s\n' "$nout") <(printf '%s\n' "$jout") | head -20 | sed 's/^/  /'
    sed 's/^/  stderr: /' "$work/stderr" | head -5
    fails=$((fails + 1))
  fi
}

compile() {  # compile FLAGS SRC OUT
  if ! "$clangxx" $1 -I"$here" -c "$here/$2" -o "$3" 2>"$work/cc.err"; then
    echo "FAIL: clang++ $1 $2"; cat "$work/cc.err"; fails=$((fails + 1)); return 1
  fi
}

programs="one:one multi:multi-a,multi-b,multi-c throw:throw-a,throw-b"
for flags in "-O0" "-O2 -fPIC" "-O1 -mcmodel=large" "-O1 -fno-use-cxa-atexit"; do
  tag=$(echo "$flags" | tr -c 'A-Za-z0-9\n' '_')
  for p in $programs; do
    name=${p%%:*}
    objs=()
    for src in $(echo "${p#*:}" | tr , ' '); do
      compile "$flags" "$src.cc" "$src$tag.o" || continue 2
      objs+=("$src$tag.o")
    done
    "$clangxx" "${objs[@]}" -o "$name$tag" || { echo "FAIL: native link of $name"; fails=$((fails + 1)); continue; }
    for args in "" "exit"; do
      [ "$name" = throw ] && [ -n "$args" ] && continue
      label="$name $flags${args:+ (exit())}"
      same "exec $label" "$name$tag" "$args" -- "$jitload" exec "${objs[@]}" ${args:+-- $args}
      if [ "$name" != throw ]; then
        same "rtdyld -execute $label" "$name$tag" "$args" -- "$jitload" rtdyld -execute -entry=main "${objs[@]}" ${args:+-args $args}
      fi
    done
  done
done

# The same programs as IR under `jitload run` (-O1), several modules with
# -extra-module.
for p in $programs; do
  name=${p%%:*}
  srcs=($(echo "${p#*:}" | tr , ' '))
  ok=1
  for src in "${srcs[@]}"; do
    "$clangxx" -O1 -I"$here" -S -emit-llvm "$here/$src.cc" -o "$src.ll" || ok=0
  done
  [ $ok = 1 ] || { echo "FAIL: IR of $name"; fails=$((fails + 1)); continue; }
  extra=()
  for src in "${srcs[@]:1}"; do extra+=(-extra-module "$src.ll"); done
  "$clangxx" -O1 -I"$here" $(for s in "${srcs[@]}"; do echo "$here/$s.cc"; done) -o "$name-O1"
  for args in "" "exit"; do
    [ "$name" = throw ] && [ -n "$args" ] && continue
    same "run $name -O1 IR${args:+ (exit())}" "$name-O1" "$args" -- "$jitload" run "${extra[@]}" "${srcs[0]}.ll" $args
  done
done

# Simulated target: __dso_handle is resolved by the scenario like any other
# external (every reference reaches --extern-default), not bound per object.
compile "-O1" one.cc sim.o
checks=$((checks + 1))
out=$("$jitload" load sim.o --extern-default 0x7000 2>&1)
if [ $? = 0 ] && echo "$out" | grep -q "__dso_handle-4 .*-> 0x6ffc (direct)" &&
   ! echo "$out" | grep "__dso_handle" | grep -vq -- "-> 0x6ffc"; then
  echo "ok: load: __dso_handle resolved by the scenario"
else
  echo "FAIL: load: __dso_handle not resolved by the scenario"
  echo "$out" | grep -i dso | head -5 | sed 's/^/  /'
  fails=$((fails + 1))
fi

echo "$checks checks, $fails failed"
[ $fails = 0 ]
