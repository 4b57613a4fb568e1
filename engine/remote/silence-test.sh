#!/usr/bin/env bash
# Peers that stay alive but stop talking end in a clear error within a
# bounded time in the other process, never a hang (issue 17, item 4):
#   jitload run (the client) against an executor that goes silent before
#   Setup, after Setup (a reserve or lookup unanswered), and halfway through
#   a reply: `-remote-timeout=2` ends it in ~2 s with "alive but silent",
#   exit status 1, and the silent executor is killed;
#   jitload-executor against a controller that goes silent after Setup,
#   halfway through a message header, over TCP, and against `jitload run`
#   itself stopped (SIGSTOP) mid-session: `--timeout=2` ends it
#   with status 1, the reason on stderr and in a Hangup to the controller;
#   the program's own run is never timed (a program sleeping 3 s under
#   -remote-timeout=1 finishes), and the defaults are stated in the help.
# The silent peers are engine/remote/testdata/silent-peer.py (a relay in
# front of the real jitload-executor that stops relaying, or a controller
# that stops sending).
# usage: silence-test.sh JITLOAD EXECUTOR CLANG
set -u
here=$(cd "$(dirname "$0")" && pwd)
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
jitload=$(abs "$1") executor=$(abs "$2") clang=$3
peer="$here/testdata/silent-peer.py"
command -v python3 >/dev/null || { echo "skipped: python3 not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${listener:-}" ] && kill "$listener" 2>/dev/null' EXIT
cd "$work"
fails=0 passes=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; passes=$((passes + 1)); }
now() { date +%s.%N; }
# within START MAX: the seconds since START are at most MAX.
within() { awk -v s="$1" -v e="$(now)" -v m="$2" 'BEGIN { exit !(e - s <= m) }'; }
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

"$clang" -S -emit-llvm -O1 -o globals.ll "$here/testdata/globals.c"
printf '#include <stdio.h>\n#include <unistd.h>\nint main(void){sleep(3);puts("slept");return 4;}\n' > sleeps.c
"$clang" -S -emit-llvm -O1 -o sleeps.ll sleeps.c

# --- the client: jitload run against a silent executor ---------------------
# REPLIES PART: relay that many executor messages (Setup is the first), then
# PART bytes of the next, then nothing.
client_case() {
  local name=$1 replies=$2 part=$3 want=$4
  local start; start=$(now)
  timeout 60 "$jitload" run -remote-timeout=2 -disable-lazy-compilation -remote-mcjit \
    -mcjit-remote-process="$peer executor $replies $part $executor" globals.ll > out.txt 2> err.txt
  local rc=$? took; took=$(elapsed "$start")
  if [ $rc = 124 ]; then fail "$name: jitload run hung (killed by timeout(1) after 60 s)"; return; fi
  if [ $rc != 1 ]; then fail "$name: exit status $rc, expected 1 ($(head -c 300 err.txt))"; return; fi
  if ! grep -q "alive but silent" err.txt || ! grep -q -- "$want" err.txt; then
    fail "$name: stderr lacks 'alive but silent' / '$want': $(head -c 500 err.txt)"; return
  fi
  if ! within "$start" 12; then fail "$name: the error took $took s with -remote-timeout=2"; return; fi
  pass "$name ($took s): $(head -c 200 err.txt)"
}
client_case "jitload run: executor silent before Setup" 0 0 "waiting for the executor's Setup"
client_case "jitload run: executor silent after Setup" 1 0 "waiting for the executor's reply"
client_case "jitload run: executor silent halfway through a reply" 1 40 "inside a Result message (8 of"
client_case "jitload run: executor silent at a symbol lookup" 3 0 "symbol lookup"
sleep 0.5
# The silent relay and the executor behind it are gone (killed, or ended by EOF).
left=$(ps -eo args | grep -c "[s]ilent-peer.py executor" || true)
[ "$left" = 0 ] && pass "no silent executor left running" || fail "$left silent executors still running"

# The program's run is not a load request: never timed.
start=$(now)
out=$(timeout 60 "$jitload" run -remote-timeout=1 -disable-lazy-compilation -remote-mcjit \
  -mcjit-remote-process="$executor" sleeps.ll 2>err.txt); rc=$?
[ "$out" = slept ] && [ $rc = 4 ] && pass "a program running 3 s under -remote-timeout=1 finishes ($(elapsed "$start") s)" ||
  fail "a program running 3 s under -remote-timeout=1: '$out' status $rc ($(head -c 300 err.txt))"

# --- the executor: jitload-executor against a silent controller ------------
executor_case() {
  local name=$1 part=$2 want=$3
  local start; start=$(now)
  timeout 60 python3 "$peer" controller "$part" "$executor" --timeout=2 > out.txt 2>&1
  local took; took=$(elapsed "$start")
  if ! grep -q "^executor status: 1 after" out.txt; then fail "$name: $(tr '\n' ' ' < out.txt)"; return; fi
  if ! grep -q "^executor stderr: jitload-executor: controller connection: .*$want.*alive but silent" out.txt; then
    fail "$name: stderr: $(grep '^executor stderr' out.txt)"; return
  fi
  if ! grep -q "^executor sent opcode 1: .*alive but silent" out.txt; then
    fail "$name: no Hangup naming the reason: $(tr '\n' ' ' < out.txt)"; return
  fi
  if ! within "$start" 12; then fail "$name: took $took s with --timeout=2"; return; fi
  pass "$name ($took s)"
}
executor_case "jitload-executor: controller silent after Setup" 0 "while a message was awaited"
executor_case "jitload-executor: controller silent halfway through a header" 10 "inside a message header (10 of 32 bytes)"

# The real client stopped mid-session: `jitload run` is stopped (SIGSTOP)
# as soon as it has started its executor; the executor (--timeout=2) must
# end by itself while its controller is stopped, and the continued client
# must say how its executor ended.
# (a module that takes LLVM a while to compile, so the stop lands mid-session)
{ for i in $(seq 1000); do echo "int f$i(int x) { int s = 0; for (int j = 0; j < x; j++) s += j * $i ^ (s >> 3); return s; }"; done
  echo "int main(void) { return f1(3) & 1; }"; } > big.c
"$clang" -S -emit-llvm -O1 -o big.ll big.c
"$jitload" run -remote-timeout=30 -disable-lazy-compilation -remote-mcjit \
  -mcjit-remote-process="$executor --timeout=2" big.ll > out.txt 2> err.txt &
client=$!
child=
for _ in $(seq 500); do child=$(pgrep -P $client | head -1) && [ -n "$child" ] && break; sleep 0.01; done
kill -STOP $client
start=$(now)
state() { awk '{print $3}' /proc/$1/stat 2>/dev/null; }  # "Z" once it has exited (its parent is stopped)
for _ in $(seq 150); do st=$(state "$child"); { [ -z "$st" ] || [ "$st" = Z ]; } && break; sleep 0.1; done
st=$(state "$child"); took=$(elapsed "$start")
kill -CONT $client
wait $client; rc=$?
if [ -z "$child" ]; then
  fail "jitload run stopped mid-session: no executor child seen"
elif [ -n "$st" ] && [ "$st" != Z ]; then
  fail "jitload run stopped mid-session: its executor still runs after $took s (state $st)"
elif [ $rc != 1 ] || ! grep -q "controller connection: .*alive but silent" err.txt || ! grep -q "the executor exited with status 1" err.txt; then
  fail "jitload run stopped mid-session: status $rc, stderr: $(head -c 500 err.txt)"
elif ! within "$start" 12; then
  fail "jitload run stopped mid-session: the executor took $took s to end with --timeout=2"
else
  pass "jitload run stopped mid-session: its executor ended in $took s; continued, jitload run says how ($(tail -1 err.txt | head -c 200))"
fi

# Over TCP: a controller that connects and says nothing.
"$executor" --listen=0 --timeout=2 > listen.txt 2> listen-err.txt &
listener=$!
for _ in $(seq 50); do grep -q listening listen.txt && break; sleep 0.1; done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' listen.txt)
start=$(now)
exec 3<>/dev/tcp/127.0.0.1/"$port"
for _ in $(seq 100); do kill -0 "$listener" 2>/dev/null || break; sleep 0.1; done
wait "$listener"; rc=$?; listener=
exec 3<&-
if [ $rc = 1 ] && grep -q "alive but silent" listen-err.txt && within "$start" 12; then
  pass "jitload-executor over TCP: silent controller ends the session ($(elapsed "$start") s, status 1)"
else
  fail "jitload-executor over TCP: status $rc after $(elapsed "$start") s: $(head -c 300 listen-err.txt)"
fi

# --- the defaults are stated where a user looks ------------------------------
"$jitload" run --help-list-hidden 2>/dev/null | grep -q -- "-remote-timeout" ||
  "$jitload" run --help 2>/dev/null | grep -q -- "-remote-timeout" &&
  pass "jitload run --help lists -remote-timeout" || fail "jitload run --help does not list -remote-timeout"
"$executor" --help 2>&1 | grep -q -- "--timeout=SECONDS.*\|default 300" && pass "jitload-executor --help states --timeout's default" ||
  fail "jitload-executor --help: $("$executor" --help 2>&1)"

echo "silence: $passes passed, $fails failed"
[ $fails = 0 ]
