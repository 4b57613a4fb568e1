#!/usr/bin/env python3
"""Writes the seed corpora of the remote-executor and remote-client fuzz
targets (fuzz/remote-*.cc): small SimpleRemoteEPC message streams, each a
well-formed session or one hostile twist on one. Addresses the executor
decides are placeholders (see fuzz/remote-executor.cc)."""
import os
import struct
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETUP, HANGUP, RESULT, CALL = 0, 1, 2, 3
PAGE = 4096


def u8(v): return struct.pack("<B", v)
def u32(v): return struct.pack("<I", v)
def u64(v): return struct.pack("<Q", v & (2**64 - 1))
def string(s): b = s.encode() if isinstance(s, str) else s; return u64(len(b)) + b
def msg(op, seq, tag, payload=b""): return u64(32 + len(payload)) + u64(op) + u64(seq) + u64(tag) + payload
def P(k, off=0): return (0xDEADBEEF << 32) | (k << 16) | off
def alloc(i, off=0): return P(0x100 + i, off)

# Setup order of jitload-executor's bootstrap symbols (executor.cc).
DISPATCH_CTX, DISPATCH_FN, MEMMGR, DYLIBMGR, RESERVE, FINALIZE, DEALLOC, OPEN, LOOKUP, W8, W16, W32, W64, WBUF, \
    REG_EH, DEREG_EH, RUN_MAIN, RUN_VOID, RUN_INT, TLS_RESERVE, TLS_PUBLISH = range(21)

# A CIE ("zR", pcrel|sdata4) and one FDE, then the zero terminator.
EH = bytes([0x14, 0, 0, 0, 0, 0, 0, 0, 1, ord('z'), ord('R'), 0, 1, 0x78, 0x10, 1, 0x1b, 0x0c, 0x07, 0x08, 0x90, 1, 0, 0,
            0x10, 0, 0, 0, 0x1c, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])


def call(seq, sym, args): return msg(CALL, seq, P(sym), args)
def reserve(seq, size): return call(seq, RESERVE, u64(P(MEMMGR)) + u64(size))


def finalize(seq, segs, eh=()):
    p = u64(P(MEMMGR)) + u64(len(segs))
    for prot, addr, size, content in segs:
        p += u8(prot) + u64(addr) + u64(size) + string(content)
    p += u64(len(eh))
    for start, end in eh:
        rng = u64(start) + u64(end)
        p += u64(P(REG_EH)) + string(rng) + u64(P(DEREG_EH)) + string(rng)
    return call(seq, FINALIZE, p)


def executor_seeds():
    load = (reserve(1, 3 * PAGE) +
            finalize(2, [(5, alloc(0), PAGE, b"\xc3" * 16), (1, alloc(0, PAGE), PAGE, EH),
                         (3, alloc(0, 2 * PAGE), PAGE, b"\x01" * 8)], [(alloc(0, PAGE), alloc(0, PAGE + len(EH)))]) +
            call(3, OPEN, u64(P(DYLIBMGR)) + string("") + u64(0)) +
            call(4, LOOKUP, u64(P(DYLIBMGR)) + u64(0) + u64(1) + string("puts") + u8(0)) +
            call(5, W32, u64(1) + u64(alloc(0, 2 * PAGE + 16)) + u32(7)) +
            call(6, WBUF, u64(1) + u64(alloc(0, 2 * PAGE + 32)) + string(b"abc")) +
            call(7, W64, u64(1) + u64(alloc(0, 2 * PAGE + 40)) + u64(9)) +
            call(8, DEALLOC, u64(P(MEMMGR)) + u64(1) + u64(alloc(0))) +
            msg(HANGUP, 0, 0, u8(0)))
    seeds = {
        "load-session": load,
        "two-reservations": reserve(1, PAGE) + reserve(2, 2 * PAGE) +
                            finalize(3, [(1, alloc(1), PAGE, b"x")]) + call(4, DEALLOC, u64(P(MEMMGR)) + u64(2) + u64(alloc(0)) + u64(alloc(1))),
        "write-into-code": reserve(1, PAGE) + finalize(2, [(5, alloc(0), PAGE, b"\xc3")]) +
                           call(3, W8, u64(1) + u64(alloc(0)) + u8(0x90)),
        "write-outside": call(1, W32, u64(1) + u64(0x1000) + u32(1)),
        "wx-segment": reserve(1, PAGE) + finalize(2, [(7, alloc(0), PAGE, b"\xc3")]),
        "overlapping-segments": reserve(1, 2 * PAGE) + finalize(2, [(1, alloc(0), 2 * PAGE, b""), (3, alloc(0, PAGE), PAGE, b"")]),
        "eh-outside": reserve(1, PAGE) + finalize(2, [(1, alloc(0), PAGE, EH)], [(alloc(0, 8), alloc(0, PAGE + 8))]),
        "run-refused": reserve(1, PAGE) + finalize(2, [(5, alloc(0), PAGE, b"\xc3")]) +
                       call(3, RUN_MAIN, u64(alloc(0)) + u64(1) + string("prog")),
        "reserve-huge": reserve(1, 2**63) + reserve(2, 0),
        "setup-from-controller": msg(SETUP, 0, 0, string("x")),
        "unknown-tag": msg(CALL, 1, 0x4141414141414141, b""),
        "eh-register-call": reserve(1, PAGE) + finalize(2, [(1, alloc(0), PAGE, EH)]) +
                            call(3, REG_EH, u64(alloc(0)) + u64(alloc(0, len(EH)))) +
                            call(4, DEREG_EH, u64(alloc(0)) + u64(alloc(0, len(EH)))),
        # A frame registered in writable memory while it is only the
        # terminator (libgcc ignores it), then rewritten under it and
        # re-finalized: both refused (the write ends the session), so release deregisters what was
        # registered (an unknown frame aborts inside libgcc).
        "eh-rewritten": reserve(1, PAGE) + finalize(2, [(3, alloc(0), PAGE, bytes(4))], [(alloc(0), alloc(0, 4))]) +
                        finalize(3, [(1, alloc(0), PAGE, EH)]) +
                        call(4, WBUF, u64(1) + u64(alloc(0)) + string(EH[:4])),
        # jitload's TLS extension: a piece (handle 0 when the reserve is
        # empty), its image, a too-large image, a handle never reserved.
        "tls-pieces": call(1, TLS_RESERVE, u64(24) + u64(8)) + call(2, TLS_PUBLISH, u64(0) + string(b"\x05\x06\x07")) +
                      call(3, TLS_PUBLISH, u64(0) + string(b"\x01" * 25)) + call(4, TLS_PUBLISH, u64(4096) + string(b"x")) +
                      call(5, TLS_RESERVE, u64(2**40) + u64(4096)),
    }
    return seeds


NAMES = ["__llvm_orc_SimpleRemoteEPC_dispatch_ctx", "__llvm_orc_SimpleRemoteEPC_dispatch_fn",
         "__llvm_orc_SimpleExecutorMemoryManager_Instance", "__llvm_orc_SimpleExecutorDylibManager_Instance",
         "__llvm_orc_SimpleExecutorMemoryManager_reserve_wrapper",
         "__llvm_orc_SimpleExecutorMemoryManager_finalize_wrapper",
         "__llvm_orc_SimpleExecutorMemoryManager_deallocate_wrapper",
         "__llvm_orc_SimpleExecutorDylibManager_open_wrapper", "__llvm_orc_SimpleExecutorDylibManager_lookup_wrapper",
         "llvm_orc_registerEHFrameSectionWrapper", "llvm_orc_deregisterEHFrameSectionWrapper",
         "__llvm_orc_bootstrap_run_as_main_wrapper", "__llvm_orc_bootstrap_run_as_void_function_wrapper"]


def setup_payload(page=PAGE, names=NAMES):
    p = string("x86_64-unknown-linux-gnu") + u64(page) + u64(0) + u64(len(names))
    for i, n in enumerate(names):
        p += string(n) + u64(0x10000 + 0x100 * i)
    return p


# jitload-executor's TLS service (wire.h): offered in Setup, then
# tls_reserve after the sections' reserve and tls_publish after finalize.
TLS_NAMES = NAMES + ["__jitload_executor_tls_reserve_wrapper", "__jitload_executor_tls_publish_wrapper"]


def client_seeds():
    setup = msg(SETUP, 0, 0, setup_payload())
    ok_error = u8(0)
    replies = [u8(1) + u64(0x7f0000000000),             # reserve
               ok_error,                                  # finalize
               u8(1) + u64(0x5555),                       # open
               u8(1) + u64(1) + u64(0x7f1234) + u8(16) + u8(0),  # lookup
               u64(0),                                    # run as main
               ok_error]                                  # deallocate
    good = setup + b"".join(msg(RESULT, i + 1, 0, r) for i, r in enumerate(replies))
    return {
        "good-session": good,
        "call-from-executor": setup + msg(CALL, 9, 0x1234, b"") + b"".join(msg(RESULT, i + 1, 0, r) for i, r in enumerate(replies)),
        "hangup-after-setup": setup + msg(HANGUP, 0, 0, u8(1) + string("executor is tired")),
        "wrong-sequence": setup + msg(RESULT, 7, 0, replies[0]),
        "reserve-refused": setup + msg(RESULT, 1, 0, u8(0) + string("no memory")),
        "setup-bad-page": msg(SETUP, 0, 0, setup_payload(3000)),
        "truncated": good[:len(setup) + 20],
        "short-setup": msg(SETUP, 0, 0, setup_payload()[:30]),
        "tls-session": msg(SETUP, 0, 0, setup_payload(names=TLS_NAMES)) + b"".join(
            msg(RESULT, i + 1, 0, r) for i, r in enumerate(
                [replies[0], u8(1) + u64(0) + u64(2**64 - 0x1000), ok_error, ok_error] + replies[2:])),
        "tls-refused": msg(SETUP, 0, 0, setup_payload(names=TLS_NAMES)) + msg(RESULT, 1, 0, replies[0]) +
                       msg(RESULT, 2, 0, u8(0) + string("does not fit")),
    }


for target, seeds in (("remote-executor", executor_seeds()), ("remote-client", client_seeds())):
    d = os.path.join(root, "corpora", target, "seeds")
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name + ".bin"), "wb") as f:
            f.write(data)
    print("%s: %d seeds in %s" % (target, len(seeds), os.path.relpath(d, root)))
