#!/bin/sh
# campaign-isolation.sh JITLOAD OUTDIR — the campaign's crash and hang
# isolation, shown with a planted fault (JITLOAD_CAMPAIGN_PLANT): the child
# running the first object's mutants crashes at mutant 17, then (second run)
# hangs at mutant 5. Each run must go on to the end (every object of the
# program, the final table with its per-target throughput), exit 1, and name
# exactly that mutant in findings.txt with the mutant's bytes saved; the
# hang must be caught by the per-mutant watchdog, not the 12 s alarm.
set -u
jitload=$1 out=$2
command -v csmith >/dev/null 2>&1 || { echo "campaign-isolation: csmith missing: skipped"; exit 77; }
fail() { echo "campaign-isolation: FAIL: $*"; exit 1; }
for plant in crash:17 hang:5; do
  dir=$out/$(echo "$plant" | tr : -)
  rm -rf "$dir"
  mkdir -p "$out"
  log=$dir.log
  JITLOAD_CAMPAIGN_PLANT=$plant "$jitload" campaign --seed 1 --count 1 --out "$dir" >"$log" 2>&1
  rc=$?
  [ "$rc" -eq 1 ] || fail "$plant: exit status $rc, expected 1 (a finding); log $log"
  n=${plant#*:}
  case $plant in
    crash:*) want="mutant $n of a O0 object: signal 11" ;;
    hang:*)  want="mutant $n of a O0 object: hang (no progress for 5000 ms)" ;;
  esac
  grep -qF "$want" "$dir/findings.txt" || fail "$plant: findings.txt does not say '$want': $(cat "$dir/findings.txt")"
  [ "$(wc -l <"$dir/findings.txt")" -eq 1 ] || fail "$plant: more than the one planted finding"
  [ -s "$dir/finding-0-0/mutant.o" ] || fail "$plant: the mutant was not saved"
  grep -q "per core" "$log" && grep -q "^mutants  *[0-9]" "$log" || fail "$plant: no mutants row in the final table"
  grep -q "programs (0 skipped" "$log" || fail "$plant: the campaign did not finish its program"
  echo "campaign-isolation: $plant: $(cat "$dir/findings.txt")"
done
echo "campaign-isolation: crash and hang isolated, each named by its mutant"
