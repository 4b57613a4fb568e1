#!/bin/sh
# Found by `jitload campaign --linkage --seed 5 --count 150` (program seed
# 179085021388650671), reduced by hand. A C++ object declaring an extern
# thread_local with hidden visibility refers to the weak undefined init
# function _ZTH2tv through R_X86_64_PC32 (`lea _ZTH2tv(%rip)`, then a test
# for 0). Natively (-no-pie, image below 2 GiB) the weak undefined 0 is in
# reach and the program prints 5; under `jitload exec` the loaded code sits
# near the executable (0x55...), 0 is out of PC32 range and the load fails:
#   tuse.o:(.text._ZTW2tv+0x7): relocation R_X86_64_PC32 out of range ...; references '_ZTH2tv'
# Pending a decision (memory below 2 GiB for objects with PC-relative
# references to weak undefined names? an error that says so?).
cd "$(dirname "$0")"
J=${JITLOAD:-jitload}
CC=${CC:-clang++-19}
$CC -O0 -c tdef.cc -o tdef.o && $CC -O0 -c tuse.cc -o tuse.o || exit 2
clang-19 -no-pie tuse.o tdef.o -o native
echo "native: $(./native)"
echo "jitload exec: $($J exec tuse.o tdef.o 2>&1)"
rm -f tdef.o tuse.o native
