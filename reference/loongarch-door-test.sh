#!/bin/sh
# Through the user's door: `jitload diff --oracle none` on LoongArch64
# objects compiled by clang-19 (C with calls, globals through the GOT and
# thread-local variables in every model; C++ with exceptions, whose
# .eh_frame and .gcc_except_table carry ADD/SUB and ULEB128 pairs) at the
# normal, medium and extreme code models, PIC and not, with and without
# linker relaxation, TLS descriptors or not: engine and reference must
# agree on every object, and load it — except the extreme model's
# general-dynamic TLS under -fPIC, which both must refuse (reference.h
# "LoongArch": no local-exec rewrite for it). Then a pcalau12i whose page
# is 2 GiB away: both must reject it as an overflow of R_LARCH_PCALA_HI20.
# Last, `jitload exec` refuses a LoongArch object (no runner) with a reason.
# usage: loongarch-door-test.sh JITLOAD CLANG
set -eu
jitload=$1
clang=$2
clangxx=$(dirname "$clang")/clang++-19
[ -x "$clangxx" ] || clangxx=clang++-19
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/good.c" <<'C'
extern int g; extern int ext(int); static int tab[64];
__thread int t; extern __thread int et; static __thread int lt __attribute__((tls_model("local-dynamic")));
__thread int ie __attribute__((tls_model("initial-exec"))); __thread int le __attribute__((tls_model("local-exec")));
int f(int x) { t += x; lt++; ie++; le--; tab[x & 63] += x; return ext(x) + g + t + et + lt + ie + le + tab[(x + 1) & 63]; }
C
cat > "$dir/good.cc" <<'C'
struct E { int code; };
int thrower(int x) { if (x < 0) throw E{x}; return x; }
int catcher(int x) { try { return thrower(x); } catch (const E& e) { return e.code; } catch (...) { return -1; } }
C
n=0
for model in normal medium extreme; do
  for pic in -fPIC -fno-pic; do
    for relax in +relax -relax; do
      for tls in "" -mtls-dialect=desc; do
        for src in good.c good.cc; do
          cc=$clang; [ $src = good.cc ] && cc=$clangxx
          "$cc" --target=loongarch64-linux-gnu -O1 -g $pic -mcmodel=$model -Xclang -target-feature -Xclang $relax \
            $tls -c "$dir/$src" -o "$dir/o.o"
          out=$("$jitload" diff "$dir/o.o" --oracle none --json --extern g=0x12345678 --extern ext=0x10001000 | head -1)
          n=$((n + 1))
          case "$out" in
            *'"verdict": "agree"'*'"engine": "loaded'*) ;;
            *'"verdict": "rejected-by-all"'*)
              if [ "$model/$pic/$src" != extreme/-fPIC/good.c ] && [ "$model/$pic/$src" != extreme/-fPIC/good.cc ]; then
                echo "FAIL: $src $model $pic $relax $tls rejected: $out"; exit 1
              fi ;;
            *) echo "FAIL: $src $model $pic $relax $tls: $out"; exit 1 ;;
          esac
        done
      done
    done
  done
done
echo "$n objects: engine and reference agree"
printf '  .text\n  pcalau12i $a0, %%pc_hi20(v)\n  addi.d $a0, $a0, %%pc_lo12(v)\n' > "$dir/bad.s"
"$clang" --target=loongarch64-linux-gnu -c "$dir/bad.s" -o "$dir/bad.o"
out=$("$jitload" diff "$dir/bad.o" --oracle none --json --base 0x1000 --extern v=0x80001000 | head -1)
echo "bad: $out"
echo "$out" | grep -q '"verdict": "rejected-by-all"' || { echo "FAIL: the far pcalau12i was not rejected by both"; exit 1; }
echo "$out" | grep -q 'R_LARCH_PCALA_HI20' || { echo "FAIL: the rejection does not name R_LARCH_PCALA_HI20"; exit 1; }
# `jitload exec` on a LoongArch object refuses it, saying why (no runner:
# no LoongArch C library), instead of running LoongArch code on the host.
printf 'int main(void) { return 7; }\n' > "$dir/m.c"
"$clang" --target=loongarch64-linux-gnu -c "$dir/m.c" -o "$dir/m.o"
set +e
out=$("$jitload" exec "$dir/m.o" 2>&1); rc=$?
set -e
echo "exec: status $rc: $out"
[ $rc -eq 1 ] || { echo "FAIL: jitload exec on a LoongArch object: status $rc (want 1, a refusal)"; exit 1; }
echo "$out" | grep -q 'no LoongArch C library' || { echo "FAIL: the refusal does not say why"; exit 1; }
echo ok
