#!/bin/sh
# fuzz/afl.sh sync between two "machines" (two local directories standing for
# HOST:DIR): each side ends with the other's instance queues, never with the
# other's crashes or stats, and never overwrites its own instances.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/a/hostA-main/queue" "$t/a/hostA-main/crashes" "$t/b/hostB-s1/queue" "$t/b/hostB-s1/crashes" \
  "$t/b/hostA-main/queue"
echo a1 > "$t/a/hostA-main/queue/id:000001"
echo ca > "$t/a/hostA-main/crashes/id:000000"
echo b1 > "$t/b/hostB-s1/queue/id:000001"
echo cb > "$t/b/hostB-s1/crashes/id:000000"
echo stats > "$t/b/hostB-s1/fuzzer_stats"
echo stale > "$t/b/hostA-main/queue/id:000009"   # a copy B kept from an earlier sync
AFL_NAME_PREFIX=hostA sh "$here/fuzz/afl.sh" sync "$t/a" "$t/b"
fail() { echo "afl-sync-test: FAIL: $*" >&2; find "$t" -type f | sort >&2; exit 1; }
[ "$(cat "$t/a/hostB-s1/queue/id:000001")" = b1 ] || fail "B's queue not pulled into A"
[ "$(cat "$t/b/hostA-main/queue/id:000001")" = a1 ] || fail "A's queue not pushed to B"
[ ! -e "$t/a/hostB-s1/crashes/id:000000" ] || fail "B's crashes copied to A"
[ ! -e "$t/a/hostB-s1/fuzzer_stats" ] || fail "B's stats copied to A"
[ ! -e "$t/a/hostA-main/queue/id:000009" ] || fail "A's own instance overwritten from B's copy"
[ "$(cat "$t/a/hostA-main/crashes/id:000000")" = ca ] || fail "A's own crash lost"
echo "afl-sync-test: ok"
