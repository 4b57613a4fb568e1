#!/usr/bin/env python3
# The native link as the oracle for LoongArch64 (issue 13: for linkage it
# is *the* truth): Csmith programs compiled by clang-19 (fixed seeds) at the
# normal, medium and extreme code models are linked alone by ld.lld-19
# (-O0, -static: no string merging moves a piece; no relaxation is asked
# for), then loaded by each jitload loader (`jitload-rtdyld --loader=X
# -verify`) with every section at lld's address and every external at its
# --defsym address. At every relocation site both resolve the same way —
# all but the GOT and TLS forms (each side places its own GOT), the markers
# and label arithmetic (ADD/SUB, in data) — the bytes the loader wrote must
# be the bytes lld wrote: one rtdyld-check line per site, generated from
# lld's output. Layouts: data 1 GiB after the text (normal, medium); data
# about 2^47 below the text, and at 0xffff800000000000, a negative address
# (extreme: the 64-bit tail, both signs).
# usage: loongarch-native-test.py BIN_DIR WORK_DIR
import os
import re
import shutil
import struct
import subprocess
import sys

BIN, WORK = sys.argv[1], sys.argv[2]
# The csmith shim headers for freestanding objects: JITLOAD_CSMITH_SHIM, else
# the team's shared directory beside the source tree (as `jitload campaign`).
SHIM = os.environ.get("JITLOAD_CSMITH_SHIM") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                                             "shared", "csmith-shim")
for tool in ("csmith", "ld.lld-19", "clang-19"):
    if not shutil.which(tool):
        print("skipped: %s not installed" % tool)
        sys.exit(77)
if not os.path.exists(os.path.join(SHIM, "custom_stdint_x86.h")):
    print("skipped: the csmith shim headers (../shared/csmith-shim or JITLOAD_CSMITH_SHIM) are missing")
    sys.exit(77)
os.makedirs(WORK, exist_ok=True)


def sections(b):
    shoff, = struct.unpack_from("<Q", b, 0x28)
    shn, shstrndx = struct.unpack_from("<HH", b, 0x3c)
    hs = [struct.unpack_from("<IIQQQQIIQQ", b, shoff + i * 64) for i in range(shn)]
    base = hs[shstrndx][4]
    name = lambda off: b[base + off: b.index(b"\0", base + off)].decode()
    # (name, type, flags, addr, offset, size, link, info)
    return [(name(h[0]), h[1], h[2], h[3], h[4], h[5], h[6], h[7]) for h in hs]


# Types compared: everything but GOT/TLS forms, markers and label arithmetic.
SKIP = set(range(75, 99)) | set(range(111, 127)) | set(range(6, 12)) | {0, 20, 21, 100, 102}
SKIP |= set(range(47, 57)) | {105, 106, 107, 108}
WIDTH = {2: 8, 109: 8, 110: 8}


def one(src, flags, text, data, tag):
    o = os.path.join(WORK, tag + ".o")
    elf = os.path.join(WORK, tag + ".elf")
    mp = os.path.join(WORK, tag + ".map")
    subprocess.check_call(["clang-19", "--target=loongarch64-linux-gnu", "-ffreestanding", "-DCSMITH_MINIMAL",
                           "-I/usr/include/csmith", "-I" + SHIM, "-w", "-c", src, "-o", o] + flags)
    ob = open(o, "rb").read()
    osecs = sections(ob)
    symtab = [s for s in osecs if s[1] == 2][0]
    strsec = osecs[symtab[6]]
    undef = set()
    for k in range(symtab[5] // 24):
        st_name, _, _, st_shndx, _, _ = struct.unpack_from("<IBBHQQ", ob, symtab[4] + k * 24)
        nm = ob[strsec[4] + st_name: ob.index(b"\0", strsec[4] + st_name)].decode()
        if st_shndx == 0 and nm:
            undef.add(nm)
    ext = {n: text - 0x10000 + 0x100 * i for i, n in enumerate(sorted(undef))}
    cmd = ["ld.lld-19", "-O0", "-static", o, "-o", elf, "-e", "0", "-Map", mp, "-Ttext=0x%x" % text,
           "-Tdata=0x%x" % data] + ["--defsym=%s=0x%x" % (n, a) for n, a in ext.items()]
    subprocess.check_call(cmd)
    addr = {}
    for line in open(mp):
        m = re.match(r"\s*([0-9a-f]+)\s+[0-9a-f]+\s+[0-9a-f]+\s+\d+\s+(\S+):\((\S+)\)$", line)
        if m and m.group(2) in (o, os.path.basename(o)):
            addr[m.group(3)] = int(m.group(1), 16)
    eb = open(elf, "rb").read()
    esecs = sections(eb)

    def linked(va, n):
        for s in esecs:
            if s[1] != 8 and s[3] and s[3] <= va and va + n <= s[3] + s[5]:
                return eb[s[4] + va - s[3]: s[4] + va - s[3] + n]
        return None

    checks = []
    for s in osecs:
        if s[1] != 4:
            continue
        target = osecs[s[7]]
        if not (target[2] & 2) or target[0] not in addr:
            continue
        for k in range(s[5] // 24):
            off, info, _ = struct.unpack_from("<QQq", ob, s[4] + k * 24)
            t = info & 0xffffffff
            if t in SKIP:
                continue
            w = WIDTH.get(t, 4)
            got = linked(addr[target[0]] + off, w)
            if got is None:
                continue
            checks.append("# rtdyld-check: *{%d}(section_addr(%s, %s) + 0x%x) = 0x%x"
                          % (w, os.path.basename(o), target[0], off, int.from_bytes(got, "little")))
    chk = os.path.join(WORK, tag + ".chk")
    open(chk, "w").write("\n".join(checks) + "\n")
    args = ["-triple=loongarch64-linux-gnu", "-verify", "-check=" + chk]
    names = {s[0] for s in osecs}
    args += sum((["-map-section", "%s,%s=0x%x" % (os.path.basename(o), sec, a)]
                 for sec, a in addr.items() if sec in names), [])
    args += ["-dummy-extern=%s=0x%x" % (n, a) for n, a in ext.items()]
    ok = True
    for loader in ("engine", "reference"):
        r = subprocess.run([os.path.join(BIN, "jitload-rtdyld"), "--loader=" + loader] + args + [o],
                           capture_output=True, text=True)
        print("%s %s: %d relocated fields against ld.lld-19: %s" % (tag, loader, len(checks),
              "equal" if r.returncode == 0 else "DIFFERENT\n" + r.stderr[:2000]))
        ok &= r.returncode == 0
    if len(checks) < 20:
        print("%s: too few fields compared (%d)" % (tag, len(checks)))
        ok = False
    return ok


ok = True
for seed in (2, 7):
    src = os.path.join(WORK, "p%d.c" % seed)
    subprocess.check_call(["csmith", "--seed", str(seed), "-o", src], stdout=subprocess.DEVNULL)
    ok &= one(src, ["-O0", "-mcmodel=normal"], 0x120001000, 0x160000800, "p%d-normal" % seed)
    ok &= one(src, ["-O2", "-mcmodel=medium"], 0x120001000, 0x160000800, "p%d-medium" % seed)
    ok &= one(src, ["-O1", "-mcmodel=extreme"], 0x7f0000001000, 0x10000000, "p%d-extreme-below" % seed)
    ok &= one(src, ["-O2", "-mcmodel=extreme"], 0x200000, 0xffff800000000000, "p%d-extreme-above" % seed)
print("ok" if ok else "FAIL")
sys.exit(0 if ok else 1)
