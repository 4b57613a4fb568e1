#!/bin/sh
# jitload coverage through the command line: the TSV's shape (10 fields a
# line, counts numeric, the input lists as long as their counts), a known
# type counted from each source that has it (R_X86_64_PC32: conformance
# tests and corpus seeds; R_AARCH64_PREL32 in both byte orders from the
# AArch64 seeds; RISC-V types by name in both classes; Mach-O x86-64's by
# r_type), no row without an input, a well-formed SVG, and
# malformed objects skipped with their reason (never a crash).
#   coverage-test.sh JITLOAD SOURCE_DIR
set -eu
jitload=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$jitload" coverage --tsv --llvm-suite none --conformance "$src/conformance/tests" \
  --objects "$src/corpora/object-bytes/seeds" --objects "$src/fuzz/testdata" --svg "$tmp/cov.svg" > "$tmp/cov.tsv"
[ -s "$tmp/cov.tsv" ] || fail "empty output"
awk -F'\t' '
  NF != 10 { print "line " NR ": " NF " fields"; bad = 1 }
  $3 !~ /^[0-9]+$/ || $5 !~ /^[0-9]+$/ || $6 !~ /^[0-9]+$/ || $7 !~ /^[0-9]+$/ { print "line " NR ": not numeric"; bad = 1 }
  { for (s = 0; s < 3; s++) { n = ($(8 + s) == "") ? 0 : split($(8 + s), a, ",");
      if (n != $(5 + s)) { print "line " NR ": list of " n " for count " $(5 + s); bad = 1 } } }
  $5 + $6 + $7 == 0 { print "line " NR ": a type no input has"; bad = 1 }
  END { exit bad }' "$tmp/cov.tsv" || fail "malformed TSV"

pc32=$(awk -F'\t' '$1 == "ELF64-LE" && $2 == "x86-64" && $4 == "R_X86_64_PC32"' "$tmp/cov.tsv")
[ -n "$pc32" ] || fail "R_X86_64_PC32 not counted"
echo "$pc32" | awk -F'\t' '$5 >= 3 && $7 >= 3 && $6 == 0 { ok = 1 } END { exit !ok }' ||
  fail "R_X86_64_PC32 counts: $pc32"
# The conformance test written for it, and a seed that contains it, are listed.
echo "$pc32" | cut -f8 | tr , '\n' | grep -qx 'elf/x86-64/pc32.s' || fail "pc32.s not listed: $pc32"
echo "$pc32" | cut -f10 | tr , '\n' | grep -qx 'seeds/s-pc32.o' || fail "s-pc32.o not listed: $pc32"
for fmt in ELF64-LE ELF64-BE; do
  awk -F'\t' -v f=$fmt '$1 == f && $2 == "aarch64" && $4 == "R_AARCH64_PREL32" && $7 >= 1 { ok = 1 } END { exit !ok }' \
    "$tmp/cov.tsv" || fail "R_AARCH64_PREL32 ($fmt) not counted from the AArch64 seeds"
done
# RISC-V, both classes, named by the psABI: CALL_PLT from the conformance
# files and the seeds, label arithmetic from the seeds.
for fmt in ELF64-LE ELF32-LE; do
  awk -F'\t' -v f=$fmt '$1 == f && $2 == "riscv" && $4 == "R_RISCV_CALL_PLT" && $5 >= 1 && $7 >= 1 { ok = 1 } END { exit !ok }' \
    "$tmp/cov.tsv" || fail "R_RISCV_CALL_PLT ($fmt) not counted from the conformance files and the RISC-V seeds"
  awk -F'\t' -v f=$fmt '$1 == f && $2 == "riscv" && $4 == "R_RISCV_SET_ULEB128" && $7 >= 1 { ok = 1 } END { exit !ok }' \
    "$tmp/cov.tsv" || fail "R_RISCV_SET_ULEB128 ($fmt) not counted from the RISC-V seeds"
done
# ELF32 REL, big- and little-endian (r_info's type in its low byte).
awk -F'\t' '$1 == "ELF32-BE" && $2 == "mips" && $3 == 2 && $7 == 1 && $10 == "testdata/elf32-be-rel-mips.o" { ok = 1 } END { exit !ok }' \
  "$tmp/cov.tsv" || fail "ELF32-BE MIPS type 2 not counted from fuzz/testdata"
awk -F'\t' '$1 == "ELF32-LE" && $2 == "arm" && $3 == 2 && $7 == 1 { ok = 1 } END { exit !ok }' \
  "$tmp/cov.tsv" || fail "ELF32-LE ARM type 2 not counted from fuzz/testdata"

# Mach-O x86-64, named by <mach-o/x86_64/reloc.h>: SUBTRACTOR from its
# conformance file and the assembly seed; every x86-64 type 0-9 has a row.
awk -F'\t' '$1 == "MachO64-LE" && $2 == "x86-64" && $4 == "X86_64_RELOC_SUBTRACTOR" && $5 >= 1 && $7 >= 1 { ok = 1 } END { exit !ok }' \
  "$tmp/cov.tsv" || fail "X86_64_RELOC_SUBTRACTOR not counted from the conformance files and the Mach-O seeds"
awk -F'\t' '$1 == "MachO64-LE" && $2 == "x86-64" && $4 == "X86_64_RELOC_SUBTRACTOR"' "$tmp/cov.tsv" | cut -f10 | tr , '\n' |
  grep -qx 'seeds/macho-x86_64-s-relocs.o' || fail "macho-x86_64-s-relocs.o not listed for X86_64_RELOC_SUBTRACTOR"
[ "$(awk -F'\t' '$1 == "MachO64-LE" && $2 == "x86-64" && $3 <= 9' "$tmp/cov.tsv" | wc -l)" -eq 10 ] ||
  fail "not every Mach-O x86-64 type 0-9 has a row"

head -c 4 "$tmp/cov.svg" | grep -q '<svg' || fail "SVG does not start with <svg"
tail -c 7 "$tmp/cov.svg" | grep -q '</svg>' || fail "SVG not closed"
rows=$(wc -l < "$tmp/cov.tsv")
rects=$(grep -c '<rect x=' "$tmp/cov.svg")
[ "$rects" -eq $((rows * 3)) ] || fail "SVG has $rects cells for $rows types (3 sources each)"

# Malformed objects: a header pointing past the end, a relocation table
# past the end, a non-ELF file: skipped with a reason, status 0.
mkdir "$tmp/bad"
head -c 100 "$src/corpora/object-bytes/seeds/s-pc32.o" > "$tmp/bad/truncated.o"
python3 - "$src/corpora/object-bytes/seeds/s-pc32.o" "$tmp/bad/huge-rela.o" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
shoff, = struct.unpack_from("<Q", b, 0x28)
shnum, = struct.unpack_from("<H", b, 0x3c)
for i in range(shnum):
    h = shoff + 64 * i
    if struct.unpack_from("<I", b, h + 4)[0] == 4:  # SHT_RELA: size far past the end
        struct.pack_into("<Q", b, h + 0x20, 1 << 40)
open(sys.argv[2], "wb").write(b)
PY
echo "not an object" > "$tmp/bad/text.o"
# A Mach-O object whose sizeofcmds runs past the end of the file.
head -c 40 "$src/corpora/object-bytes/seeds/macho-x86_64-s-relocs.o" > "$tmp/bad/macho-truncated.o"
"$jitload" coverage --tsv --llvm-suite none --conformance "$tmp/none" --objects "$tmp/bad" --skipped \
  > "$tmp/bad.tsv" 2> "$tmp/bad.err" || fail "malformed objects: status $?"
grep -q 'truncated.o: section table at file offset' "$tmp/bad.err" || fail "truncated.o: $(cat "$tmp/bad.err")"
grep -q 'huge-rela.o: relocation section #.* past the end of the file' "$tmp/bad.err" || fail "huge-rela.o: $(cat "$tmp/bad.err")"
grep -q 'text.o: not an ELF' "$tmp/bad.err" || fail "text.o: $(cat "$tmp/bad.err")"
grep -q 'macho-truncated.o: load commands .* past the end of the file' "$tmp/bad.err" || fail "macho-truncated.o: $(cat "$tmp/bad.err")"
[ ! -s "$tmp/bad.tsv" ] || fail "rows from malformed objects: $(cat "$tmp/bad.tsv")"

# Bad arguments: usage status 2.
set +e
"$jitload" coverage --bogus > /dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option: not status 2"
"$jitload" coverage --svg > /dev/null 2>&1; [ $? -eq 2 ] || fail "--svg without a value: not status 2"
echo "coverage-test: ok ($rows types)"
