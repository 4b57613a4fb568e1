// ELF x86-64, following the System V AMD64 psABI (x86-64-ABI, §4.4
// "Relocation", Table 4.10, and the TLS supplement "ELF Handling For
// Thread-Local Storage", §4.4 and §5.5 "x86-64 Linker Optimizations").
//
// What is unusual here: almost nothing about the fields — every field is a
// whole little-endian 8/16/32/64-bit word, so applying twice is trivially
// idempotent — but a lot about reach. Code is compiled for ±2 GiB, so a call
// to a host function far away goes through a stub (jmp *addr), and GOT
// slots live in a section of our own next to the code. Thread-local storage
// has two strategies (core/memory-manager.h, TlsStrategy). StaticRewrite,
// for simulated targets: general- and local-dynamic sequences are rewritten
// to local-exec (as a static linker would, psABI TLS §5.5), and DTPOFF
// equals TPOFF because every TLS block sits in the static TLS area.
// Dynamic, for host execution: the code stays as compiled, TLSGD/TLSLD
// point at a tls_index pair in the GOT, __tls_get_addr is jitload's, and a
// TLS symbol's S is its module's key plus its offset (core/tls-runtime.h).
//
// Letters, as in the psABI: S symbol, A addend, P place, G GOT slot, GOT the
// GOT's address, L stub, Z symbol size. Here G and L are addresses.
#include <array>
#include <cinttypes>

#include "engine/loader/core/apply-runs.h"
#include "engine/loader/core/encode.h"
#include "engine/loader/core/tls-runtime.h"
#include "engine/loader/elf/arch.h"
#include "engine/loader/elf/elf.h"

namespace jitload::elf {
namespace {

enum : u32 {
  R_X86_64_NONE = 0,
  R_X86_64_64 = 1,
  R_X86_64_PC32 = 2,
  R_X86_64_GOT32 = 3,
  R_X86_64_PLT32 = 4,
  R_X86_64_COPY = 5,
  R_X86_64_GLOB_DAT = 6,
  R_X86_64_JUMP_SLOT = 7,
  R_X86_64_RELATIVE = 8,
  R_X86_64_GOTPCREL = 9,
  R_X86_64_32 = 10,
  R_X86_64_32S = 11,
  R_X86_64_16 = 12,
  R_X86_64_PC16 = 13,
  R_X86_64_8 = 14,
  R_X86_64_PC8 = 15,
  R_X86_64_DTPMOD64 = 16,
  R_X86_64_DTPOFF64 = 17,
  R_X86_64_TPOFF64 = 18,
  R_X86_64_TLSGD = 19,
  R_X86_64_TLSLD = 20,
  R_X86_64_DTPOFF32 = 21,
  R_X86_64_GOTTPOFF = 22,
  R_X86_64_TPOFF32 = 23,
  R_X86_64_PC64 = 24,
  R_X86_64_GOTOFF64 = 25,
  R_X86_64_GOTPC32 = 26,
  R_X86_64_GOT64 = 27,
  R_X86_64_GOTPCREL64 = 28,
  R_X86_64_GOTPC64 = 29,
  R_X86_64_GOTPLT64 = 30,
  R_X86_64_PLTOFF64 = 31,
  R_X86_64_SIZE32 = 32,
  R_X86_64_SIZE64 = 33,
  R_X86_64_GOTPC32_TLSDESC = 34,
  R_X86_64_TLSDESC_CALL = 35,
  R_X86_64_TLSDESC = 36,
  R_X86_64_IRELATIVE = 37,
  R_X86_64_RELATIVE64 = 38,
  R_X86_64_GOTPCRELX = 41,
  R_X86_64_REX_GOTPCRELX = 42,
};

// One row per type: its psABI name, the bytes it writes (kNo: a type this
// loader does not apply), what it asks of its symbol's thread-locality, and
// what the scan records for it. Rows follow psABI Table 4.10 and the TLS
// supplement's Table 4; unlisted numbers are unknown types.
enum class Tls : u8 {
  Any,     // no rule: NONE, the module id, sizes, the LD sequence
  Need,    // a thread-pointer offset: the symbol must be thread-local
  Forbid,  // an address: the symbol must not be thread-local
};
enum class Special : u8 { None, StubIfExternal, Size, TlsGd, TlsLd, GotTpOff, TlsValue };
constexpr u8 kNoWidth = 0xff;
struct TypeRow {
  const char* name;
  u8 width;
  Tls tls;
  u16 flags;  // kRel* set unconditionally
  Special special;
};
constexpr TypeRow kTypes[] = {
    /*  0 */ {"R_X86_64_NONE", 0, Tls::Any, 0, Special::None},
    /*  1 */ {"R_X86_64_64", 8, Tls::Forbid, 0, Special::None},
    /*  2 */ {"R_X86_64_PC32", 4, Tls::Forbid, 0, Special::None},
    /*  3 */ {"R_X86_64_GOT32", kNoWidth, Tls::Any, 0, Special::None},
    /*  4 */ {"R_X86_64_PLT32", 4, Tls::Forbid, 0, Special::StubIfExternal},
    /*  5 */ {"R_X86_64_COPY", kNoWidth, Tls::Any, 0, Special::None},
    /*  6 */ {"R_X86_64_GLOB_DAT", kNoWidth, Tls::Any, 0, Special::None},
    /*  7 */ {"R_X86_64_JUMP_SLOT", kNoWidth, Tls::Any, 0, Special::None},
    /*  8 */ {"R_X86_64_RELATIVE", kNoWidth, Tls::Any, 0, Special::None},
    /*  9 */ {"R_X86_64_GOTPCREL", 4, Tls::Forbid, kRelGot | kRelNeedsGot, Special::None},
    /* 10 */ {"R_X86_64_32", 4, Tls::Forbid, 0, Special::None},
    /* 11 */ {"R_X86_64_32S", 4, Tls::Forbid, 0, Special::None},
    /* 12 */ {"R_X86_64_16", 2, Tls::Forbid, 0, Special::None},
    /* 13 */ {"R_X86_64_PC16", 2, Tls::Forbid, 0, Special::None},
    /* 14 */ {"R_X86_64_8", 1, Tls::Forbid, 0, Special::None},
    /* 15 */ {"R_X86_64_PC8", 1, Tls::Forbid, 0, Special::None},
    /* 16 */ {"R_X86_64_DTPMOD64", 8, Tls::Any, 0, Special::TlsValue},
    /* 17 */ {"R_X86_64_DTPOFF64", 8, Tls::Need, 0, Special::TlsValue},
    /* 18 */ {"R_X86_64_TPOFF64", 8, Tls::Need, 0, Special::TlsValue},
    /* 19 */ {"R_X86_64_TLSGD", 4, Tls::Any, 0, Special::TlsGd},
    /* 20 */ {"R_X86_64_TLSLD", 4, Tls::Any, 0, Special::TlsLd},
    /* 21 */ {"R_X86_64_DTPOFF32", 4, Tls::Need, 0, Special::TlsValue},
    /* 22 */ {"R_X86_64_GOTTPOFF", 4, Tls::Any, 0, Special::GotTpOff},
    /* 23 */ {"R_X86_64_TPOFF32", 4, Tls::Need, 0, Special::TlsValue},
    /* 24 */ {"R_X86_64_PC64", 8, Tls::Forbid, 0, Special::None},
    /* 25 */ {"R_X86_64_GOTOFF64", 8, Tls::Forbid, kRelNeedsGot, Special::None},
    /* 26 */ {"R_X86_64_GOTPC32", 4, Tls::Forbid, kRelNeedsGot, Special::None},
    /* 27 */ {"R_X86_64_GOT64", 8, Tls::Forbid, kRelGot | kRelNeedsGot, Special::None},
    /* 28 */ {"R_X86_64_GOTPCREL64", 8, Tls::Forbid, kRelGot | kRelNeedsGot, Special::None},
    /* 29 */ {"R_X86_64_GOTPC64", 8, Tls::Forbid, kRelNeedsGot, Special::None},
    /* 30 */ {"R_X86_64_GOTPLT64", kNoWidth, Tls::Any, 0, Special::None},
    /* 31 */ {"R_X86_64_PLTOFF64", 8, Tls::Forbid, kRelStub | kRelNeedsGot, Special::None},
    /* 32 */ {"R_X86_64_SIZE32", 4, Tls::Any, kRelSize, Special::Size},
    /* 33 */ {"R_X86_64_SIZE64", 8, Tls::Any, kRelSize, Special::Size},
    /* 34 */ {"R_X86_64_GOTPC32_TLSDESC", kNoWidth, Tls::Any, 0, Special::None},
    /* 35 */ {"R_X86_64_TLSDESC_CALL", kNoWidth, Tls::Any, 0, Special::None},
    /* 36 */ {"R_X86_64_TLSDESC", kNoWidth, Tls::Any, 0, Special::None},
    /* 37 */ {"R_X86_64_IRELATIVE", kNoWidth, Tls::Any, 0, Special::None},
    /* 38 */ {"R_X86_64_RELATIVE64", kNoWidth, Tls::Any, 0, Special::None},
    /* 39 */ {nullptr, kNoWidth, Tls::Any, 0, Special::None},
    /* 40 */ {nullptr, kNoWidth, Tls::Any, 0, Special::None},
    /* 41 */ {"R_X86_64_GOTPCRELX", 4, Tls::Forbid, kRelGot | kRelNeedsGot, Special::None},
    /* 42 */ {"R_X86_64_REX_GOTPCRELX", 4, Tls::Forbid, kRelGot | kRelNeedsGot, Special::None},
};
constexpr TypeRow kUnknownType = {nullptr, kNoWidth, Tls::Any, 0, Special::None};

const TypeRow& row(u32 type) { return type < std::size(kTypes) ? kTypes[type] : kUnknownType; }

std::string_view type_name(u32 type) {
  const TypeRow& t = row(type);
  return t.name ? std::string_view(t.name) : unknown_type_name(type);
}

// Width in bytes of the field each supported type writes; 0: none; ~0: unsupported.
u32 field_width(u32 type) {
  u8 w = row(type).width;
  return w == kNoWidth ? ~0u : w;
}

// The stub for a far call: jmp *0(%rip) followed by the 64-bit target.
constexpr u8 kStub[16] = {
    0xff, 0x25, 0x00, 0x00, 0x00, 0x00,              // jmp *0x0(%rip)
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // .quad target
    0xcc, 0xcc,                                      // int3; int3 (padding)
};
void write_stub(u8* where) { std::memcpy(where, kStub, sizeof(kStub)); }

// ---- IFUNC ------------------------------------------------------------------
//
// The trampoline every IFUNC slot starts at. On entry %r11 points at the
// slot pair {target, resolver} (set by the stub) and the stack holds the
// caller's return address. It saves every argument register — including
// %rax (the vector-register count of a variadic call) and %xmm0-7, which a
// resolver may clobber — calls the resolver, stores its answer as the new
// target and jumps there, so later calls go straight through the stub.
constexpr u8 kIfuncTrampoline[144] = {
    0x57,                                // push %rdi
    0x56,                                // push %rsi
    0x52,                                // push %rdx
    0x51,                                // push %rcx
    0x41, 0x50,                          // push %r8
    0x41, 0x51,                          // push %r9
    0x41, 0x53,                          // push %r11
    0x50,                                // push %rax       (8 pushes: %rsp = 16n + 8)
    0x48, 0x81, 0xec, 0x88, 0, 0, 0,     // sub $136, %rsp  (%rsp = 16n, as a call needs)
    0xf3, 0x0f, 0x7f, 0x04, 0x24,        // movdqu %xmm0, 0(%rsp)
    0xf3, 0x0f, 0x7f, 0x4c, 0x24, 0x10,  // movdqu %xmm1, 16(%rsp)
    0xf3, 0x0f, 0x7f, 0x54, 0x24, 0x20,  // movdqu %xmm2, 32(%rsp)
    0xf3, 0x0f, 0x7f, 0x5c, 0x24, 0x30,  // movdqu %xmm3, 48(%rsp)
    0xf3, 0x0f, 0x7f, 0x64, 0x24, 0x40,  // movdqu %xmm4, 64(%rsp)
    0xf3, 0x0f, 0x7f, 0x6c, 0x24, 0x50,  // movdqu %xmm5, 80(%rsp)
    0xf3, 0x0f, 0x7f, 0x74, 0x24, 0x60,  // movdqu %xmm6, 96(%rsp)
    0xf3, 0x0f, 0x7f, 0x7c, 0x24, 0x70,  // movdqu %xmm7, 112(%rsp)
    0x41, 0xff, 0x53, 0x08,              // call *8(%r11)   (the resolver)
    0x49, 0x89, 0xc2,                    // mov %rax, %r10
    0xf3, 0x0f, 0x6f, 0x04, 0x24,        // movdqu 0(%rsp), %xmm0
    0xf3, 0x0f, 0x6f, 0x4c, 0x24, 0x10,  // movdqu 16(%rsp), %xmm1
    0xf3, 0x0f, 0x6f, 0x54, 0x24, 0x20,  // movdqu 32(%rsp), %xmm2
    0xf3, 0x0f, 0x6f, 0x5c, 0x24, 0x30,  // movdqu 48(%rsp), %xmm3
    0xf3, 0x0f, 0x6f, 0x64, 0x24, 0x40,  // movdqu 64(%rsp), %xmm4
    0xf3, 0x0f, 0x6f, 0x6c, 0x24, 0x50,  // movdqu 80(%rsp), %xmm5
    0xf3, 0x0f, 0x6f, 0x74, 0x24, 0x60,  // movdqu 96(%rsp), %xmm6
    0xf3, 0x0f, 0x6f, 0x7c, 0x24, 0x70,  // movdqu 112(%rsp), %xmm7
    0x48, 0x81, 0xc4, 0x88, 0, 0, 0,     // add $136, %rsp
    0x58,                                // pop %rax
    0x41, 0x5b,                          // pop %r11
    0x41, 0x59,                          // pop %r9
    0x41, 0x58,                          // pop %r8
    0x59,                                // pop %rcx
    0x5a,                                // pop %rdx
    0x5e,                                // pop %rsi
    0x5f,                                // pop %rdi
    0x4d, 0x89, 0x13,                    // mov %r10, (%r11)  (the slot now holds the answer)
    0x41, 0xff, 0xe2,                    // jmp *%r10
    0xcc,                                // int3 (padding)
};
// One per IFUNC symbol; its address is the symbol's address.
constexpr u8 kIfuncStub[16] = {
    0x4c, 0x8d, 0x1d, 0, 0, 0, 0,        // lea slots(%rip), %r11
    0x41, 0xff, 0x23,                    // jmp *(%r11)
    0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,  // int3 (padding)
};
void write_ifunc_trampoline(u8* where) { std::memcpy(where, kIfuncTrampoline, sizeof kIfuncTrampoline); }
void write_ifunc_stub(u8* where) { std::memcpy(where, kIfuncStub, sizeof kIfuncStub); }

// ---- TLS relaxation (psABI TLS supplement §5.5) ---------------------------
//
// A sequence: bytes expected around the relocated field (the field's own
// four bytes, and any other relocated field, are not compared), where the
// field sits in it, and what replaces it. `tpoff_at` is where the rewritten
// code wants S's thread-pointer offset (a TPOFF32), or ~0 when it wants none.
// The forms of the call to __tls_get_addr, each with the relocation
// types that can express it: e8 rel32 (PLT32, PC32), ff 15 through the GOT
// (GOTPCREL, GOTPCRELX, REX_GOTPCRELX), movabs of its PLT offset (PLTOFF64).
enum class Call : u8 { None, Rel32, Got, PltOff };
struct TlsSequence {
  const char* what;
  std::span<const u8> expect;
  std::span<const u8> ignore;  // 1 = do not compare this byte
  u32 field_at;                // offset of the TLSGD/TLSLD/GOTTPOFF field in expect
  std::span<const u8> replace;
  u32 tpoff_at;
  u32 next_at;                 // offset of the __tls_get_addr field, ~0 if none
  Call call = Call::None;      // how the sequence calls __tls_get_addr
};

// general dynamic, small code model:
//   66 48 8d 3d xx xx xx xx    data16 lea x@tlsgd(%rip), %rdi
//   66 66 48 e8 yy yy yy yy    data16 data16 rex64 call __tls_get_addr@plt
constexpr u8 kGdSmall[] = {0x66, 0x48, 0x8d, 0x3d, 0, 0, 0, 0, 0x66, 0x66, 0x48, 0xe8, 0, 0, 0, 0};
constexpr u8 kGdSmallIgnore[] = {0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1};
// general dynamic, small code model, -fno-plt:
//   66 48 8d 3d xx xx xx xx    data16 lea x@tlsgd(%rip), %rdi
//   66 48 ff 15 yy yy yy yy    data16 rex64 call *__tls_get_addr@gotpcrel(%rip)
constexpr u8 kGdSmallGot[] = {0x66, 0x48, 0x8d, 0x3d, 0, 0, 0, 0, 0x66, 0x48, 0xff, 0x15, 0, 0, 0, 0};
// either → local exec:
//   64 48 8b 04 25 00 00 00 00   mov %fs:0, %rax
//   48 8d 80 zz zz zz zz         lea x@tpoff(%rax), %rax
constexpr u8 kLeSmall[] = {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, 0x48, 0x8d, 0x80, 0, 0, 0, 0};

// general/local dynamic, large code model:
//   48 8d 3d xx xx xx xx              lea x@tlsgd(%rip), %rdi
//   48 b8 yy yy yy yy yy yy yy yy     movabs $__tls_get_addr@pltoff, %rax
//   48 01 d8                          add %rbx, %rax
//   ff d0                             call *%rax
constexpr u8 kDynLarge[] = {0x48, 0x8d, 0x3d, 0, 0, 0, 0, 0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
                            0x48, 0x01, 0xd8, 0xff, 0xd0};
constexpr u8 kDynLargeIgnore[] = {0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
// general dynamic, large → local exec:
//   64 48 8b 04 25 00 00 00 00   mov %fs:0, %rax
//   48 8d 80 zz zz zz zz         lea x@tpoff(%rax), %rax
//   66 0f 1f 44 00 00            nopw 0(%rax,%rax,1)
constexpr u8 kGdLargeLe[] = {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, 0x48, 0x8d,
                             0x80, 0,    0,    0,    0, 0x66, 0x0f, 0x1f, 0x44, 0, 0};

// local dynamic, small code model:
//   48 8d 3d xx xx xx xx    lea x@tlsld(%rip), %rdi
//   e8 yy yy yy yy          call __tls_get_addr@plt
constexpr u8 kLdSmall[] = {0x48, 0x8d, 0x3d, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0};
constexpr u8 kLdSmallIgnore[] = {0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1};
// → 66 66 66 64 48 8b 04 25 00 00 00 00    data16 ×3; mov %fs:0, %rax
constexpr u8 kLdSmallLe[] = {0x66, 0x66, 0x66, 0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0};
// local dynamic, small, -fno-plt:
//   48 8d 3d xx xx xx xx    lea x@tlsld(%rip), %rdi
//   ff 15 yy yy yy yy       call *__tls_get_addr@gotpcrel(%rip)
constexpr u8 kLdSmallGot[] = {0x48, 0x8d, 0x3d, 0, 0, 0, 0, 0xff, 0x15, 0, 0, 0, 0};
constexpr u8 kLdSmallGotIgnore[] = {0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1};
// → 0f 1f 40 00    nopl 0(%rax); 64 48 8b 04 25 00 00 00 00    mov %fs:0, %rax
constexpr u8 kLdSmallGotLe[] = {0x0f, 0x1f, 0x40, 0x00, 0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0};
// local dynamic, large → 10 bytes of nop (66 66 66 66 66 0f 1f 84 00 ×5... as
// data16 prefixes on a nopw) then mov %fs:0, %rax
constexpr u8 kLdLargeLe[] = {0x66, 0x66, 0x66, 0x66, 0x66, 0x0f, 0x1f, 0x84, 0, 0, 0,
                             0,    0,    0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0};

// initial exec (GOTTPOFF) → local exec, psABI TLS §5.5 "Initial Exec to
// Local Exec". Form I:
//   64 48 8b 04 25 00 00 00 00   mov %fs:0, %rax
//   48 03 05 xx xx xx xx         add x@gottpoff(%rip), %rax
// → 64 48 8b 04 25 00 00 00 00   mov %fs:0, %rax
//   48 8d 80 zz zz zz zz         lea x@tpoff(%rax), %rax
constexpr u8 kIe1[] = {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, 0x48, 0x03, 0x05, 0, 0, 0, 0};
constexpr u8 kIe1Ignore[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
// Form II (11 bytes):
//   48 8b 05 xx xx xx xx         mov x@gottpoff(%rip), %rax
//   64 48 8b 00                  mov %fs:(%rax), %rax
// → 66 90                        xchg %ax, %ax (2-byte nop)
//   64 48 8b 04 25 zz zz zz zz   mov %fs:x@tpoff, %rax
// LLVM 19 compares and rewrites 14 bytes here (three bytes past the
// sequence) and writes `64 8b 04 25`, a 32-bit load into %eax, for this
// 64-bit load. We rewrite exactly the sequence and keep the load's width.
constexpr u8 kIe2[] = {0x48, 0x8b, 0x05, 0, 0, 0, 0, 0x64, 0x48, 0x8b, 0x00};
constexpr u8 kIe2Ignore[] = {0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0};
constexpr u8 kIe2Le[] = {0x66, 0x90, 0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0};

constexpr u32 kNo = ~0u;

const TlsSequence kGdSequences[] = {
    {"general dynamic (small code model)", kGdSmall, kGdSmallIgnore, 4, kLeSmall, 12, 12, Call::Rel32},
    {"general dynamic (small code model, GOT call)", kGdSmallGot, kGdSmallIgnore, 4, kLeSmall, 12, 12, Call::Got},
    {"general dynamic (large code model)", kDynLarge, kDynLargeIgnore, 3, kGdLargeLe, 12, 9, Call::PltOff},
};
const TlsSequence kLdSequences[] = {
    {"local dynamic (small code model)", kLdSmall, kLdSmallIgnore, 3, kLdSmallLe, kNo, 8, Call::Rel32},
    {"local dynamic (small code model, GOT call)", kLdSmallGot, kLdSmallGotIgnore, 3, kLdSmallGotLe, kNo, 9,
     Call::Got},
    {"local dynamic (large code model)", kDynLarge, kDynLargeIgnore, 3, kLdLargeLe, kNo, 9, Call::PltOff},
};
const TlsSequence kIeSequences[] = {
    {"initial exec I", kIe1, kIe1Ignore, 12, kLeSmall, 12, kNo},
    {"initial exec II", kIe2, kIe2Ignore, 3, kIe2Le, 7, kNo},
};

// Does `seq` sit around r's field in the section's file bytes?
bool matches(ElfScan& scan, const ElfRelocation& r, const TlsSequence& seq) {
  if (r.offset < seq.field_at) return false;
  u64 start = r.offset - seq.field_at;
  if (!in_bounds(start, seq.expect.size(), scan.bytes.size())) return false;
  for (size_t i = 0; i < seq.expect.size(); i++)
    if (!seq.ignore[i] && scan.bytes[start + i] != seq.expect[i]) return false;
  if (seq.next_at != kNo) {
    // The call's relocation must be the next entry, at its place in the
    // sequence, and name __tls_get_addr: that is the call being removed.
    const ElfRelocation* next = scan.next();
    if (!next || next->offset != start + seq.next_at || scan.own_name(next->symbol) != "__tls_get_addr") return false;
    // Its type must express the sequence's form of the call.
    switch (next->type) {
      case R_X86_64_PLT32: case R_X86_64_PC32:
        return seq.call == Call::Rel32;
      case R_X86_64_GOTPCREL: case R_X86_64_GOTPCRELX: case R_X86_64_REX_GOTPCRELX:
        return seq.call == Call::Got;
      case R_X86_64_PLTOFF64:
        return seq.call == Call::PltOff;
      default:
        return false;
    }
  }
  return true;
}

// Rewrite the sequence to local exec: patch the code, turn this relocation
// into a TPOFF32 at its new place (or into nothing), absorb the call's.
Error relax(ElfScan& scan, const ElfRelocation& r, RelocationEntry& e, std::span<const TlsSequence> seqs,
            bool fallback_to_got) {
  for (const TlsSequence& seq : seqs) {
    if (!matches(scan, r, seq)) continue;
    u64 start = r.offset - seq.field_at;
    // The rewrite is defined for the compiler's sequence, whose field ends
    // its instruction: addend -4. Anything else has no local-exec meaning.
    if (seq.tpoff_at != kNo && r.addend != -4)
      return scan.error(ErrorKind::Unsupported, r,
                        format("has addend %lld, not -4: the rewrite to local exec is defined for the compiler's "
                               "sequence only", (long long)r.addend));
    scan.patches->push_back(Patch{scan.section_id, start, seq.replace.data(), u32(seq.replace.size())});
    if (seq.next_at != kNo) scan.skip_next = true;
    if (seq.tpoff_at == kNo) {
      e.flags |= kRelConsumed;
    } else {
      e.type = R_X86_64_TPOFF32;
      e.offset = u32(start + seq.tpoff_at);  // inside the section, which is below 4 GiB
      // The old field was PC-relative at the end of its instruction, so its
      // addend carries -4; the TP offset is S + A + 4 (as lld computes it).
      e.addend = r.addend + 4;
    }
    return Error::success();
  }
  if (fallback_to_got) {
    e.flags |= kRelGotTpoff | kRelNeedsGot;
    return Error::success();
  }
  return scan.error(ErrorKind::Unsupported, r,
                    "is not part of a recognised TLS code sequence calling __tls_get_addr");
}

// Dynamic TLS: an initial-exec/local-exec reference to the object's own
// thread-local variable needs the object's block in static TLS; the first
// one is what an error names if it does not fit.
void note_static_tls(ElfScan& scan, const ElfRelocation& r) {
  if (!scan.dynamic_tls || r.undefined() || !r.tls() || !scan.static_tls_reason.empty()) return;
  std::string_view name = scan.name(r.symbol), type = type_name(r.type);
  const char* model = r.type == R_X86_64_GOTTPOFF ? "initial-exec" : "local-exec";
  scan.static_tls_reason = format("'%.*s' is accessed with %s code (%.*s)", int(name.size()), name.data(), model,
                                  int(type.size()), type.data());
}

// The rarer cases, out of line so that scan's common path stays a leaf
// function with nothing to save: unknown types, fields outside their
// section, and the TLS sequences.
[[gnu::noinline]] Error scan_rare(ElfScan& scan, const ElfRelocation& r, RelocationEntry& e, const TypeRow& t) {
  if (t.width == kNoWidth)
    return scan.error(ErrorKind::Unsupported, r, "has a type the x86-64 loader does not support");
  if (t.width) TRY(scan.check_field(r, r.offset, t.width));
  switch (t.special) {
    case Special::TlsGd:
      if (scan.dynamic_tls) {  // kept: the tls_index pair {module, offset}
        e.flags |= kRelTlsGdPair | kRelGotTpoff | kRelNeedsGot | kRelDynamicTls;
        scan.saw_dynamic_tls = true;
      } else {
        if (scan.bytes.empty()) return scan.error(ErrorKind::Malformed, r, "patches a section without contents");
        TRY(relax(scan, r, e, kGdSequences, false));
      }
      if (r.symbol && !r.tls())
        return scan.error(ErrorKind::Unsupported, r, format("refers to '%.*s', which is not thread-local",
                                                            int(scan.name(r.symbol).size()), scan.name(r.symbol).data()));
      return Error::success();
    case Special::TlsLd:
      if (scan.dynamic_tls) {  // kept: the tls_index pair {module, 0}
        e.flags |= kRelTlsLdPair | kRelGotTpoff | kRelNeedsGot | kRelDynamicTls;
        scan.saw_dynamic_tls = true;
        return Error::success();
      }
      if (scan.bytes.empty()) return scan.error(ErrorKind::Malformed, r, "patches a section without contents");
      return relax(scan, r, e, kLdSequences, false);
    case Special::GotTpOff:
      if (r.symbol && !r.tls())
        return scan.error(ErrorKind::Unsupported, r, format("refers to '%.*s', which is not thread-local",
                                                            int(scan.name(r.symbol).size()), scan.name(r.symbol).data()));
      if (scan.dynamic_tls) {  // kept: a GOT slot holding the TP offset
        note_static_tls(scan, r);
        e.flags |= kRelGotTpoff | kRelNeedsGot;
        scan.saw_dynamic_tls = true;  // its GOT slot's TPOFF64 fill is a dynamic TLS entry
        return Error::success();
      }
      return relax(scan, r, e, kIeSequences, true);
    case Special::TlsValue:  // dynamic TLS computes these from module keys
      if (scan.dynamic_tls) {
        e.flags |= kRelDynamicTls;
        scan.saw_dynamic_tls = true;
        if (r.type == R_X86_64_TPOFF32 || r.type == R_X86_64_TPOFF64) note_static_tls(scan, r);
      }
      return Error::success();
    default:
      return Error::success();
  }
}

Error scan(ElfScan& scan, const ElfRelocation& r, RelocationEntry& e) {
  const TypeRow& t = row(r.type);
  // Thread-locality must fit the type (TLS supplement): thread-pointer
  // offsets of thread-local symbols only, addresses of ordinary ones only.
  // Such a mismatch fails when applied; TLSGD and GOTTPOFF are refused at
  // load (scan_rare).
  if (t.tls == Tls::Forbid ? r.tls() : t.tls == Tls::Need && r.symbol && !r.tls()) e.flags |= kRelBadTls;
  e.flags |= t.flags;
  switch (t.special) {
    case Special::None:
      break;
    case Special::StubIfExternal:  // PLT32: a stub only for symbols that may lie outside the object
      if (r.by_name()) e.flags |= kRelStub;
      break;
    case Special::Size:  // an external's size is not known here; a preemptible one's is its own definition's
      if (r.undefined()) e.flags |= kRelExternalSize;
      break;
    default:
      return scan_rare(scan, r, e, t);
  }
  scan.field_width = t.width;
  if (t.width == kNoWidth || !in_bounds(r.offset, t.width, scan.section_size)) [[unlikely]]
    return scan_rare(scan, r, e, t);
  return Error::success();
}

[[gnu::always_inline]] inline Error apply(Fixup& f) {
  using Via = RelocationOutcome::Via;
  // Address arithmetic wraps modulo 2^64, as the processor's does; values
  // are read as signed only to check a field's range.
  const u64 S = f.S, A = u64(f.A), P = f.P, G = f.G, L = f.L, GOT = f.GOT;
  f.effective = S + A;
  switch (f.type) {
    case R_X86_64_NONE:
      f.via = Via::None;
      return Error::success();
    case R_X86_64_64:         // S + A, word64
    case R_X86_64_DTPOFF64:   // S + A: offset in the (static) TLS block
    case R_X86_64_TPOFF64:    // S + A: offset from the thread pointer
      f.value = S + A;
      put_64(f.loc, f.value);
      return Error::success();
    case R_X86_64_SIZE64:     // Z + A, word64 (S carries Z)
      f.value = S + A;
      f.effective = 0;
      f.via = Via::None;
      put_64(f.loc, f.value);
      return Error::success();
    case R_X86_64_SIZE32:     // Z + A, word32 zero-extended
      f.value = S + A;
      f.effective = 0;
      f.via = Via::None;
      return put_u32(f.loc, f.value);
    case R_X86_64_32:         // S + A, word32 zero-extended
      f.value = S + A;
      return put_u32(f.loc, f.value);
    case R_X86_64_32S:        // S + A, word32 sign-extended
    case R_X86_64_DTPOFF32:   // S + A
    case R_X86_64_TPOFF32:    // S + A
      f.value = S + A;
      return put_s32(f.loc, i64(S + A));
    case R_X86_64_16:         // S + A, word16
      f.value = S + A;
      return put_int_or_uint(f.loc, i64(S + A), 16);
    case R_X86_64_8:          // S + A, word8
      f.value = S + A;
      return put_int_or_uint(f.loc, i64(S + A), 8);
    case R_X86_64_PC64:       // S + A - P, word64
      f.value = S + A - P;
      put_64(f.loc, f.value);
      return Error::success();
    case R_X86_64_PC32:       // S + A - P, word32 signed
      f.value = S + A - P;
      return put_s32(f.loc, i64(S + A - P));
    case R_X86_64_PC16:       // S + A - P, word16 signed
      f.value = S + A - P;
      return put_s16(f.loc, i64(S + A - P));
    case R_X86_64_PC8:        // S + A - P, word8 signed
      f.value = S + A - P;
      return put_s8(f.loc, i64(S + A - P));
    case R_X86_64_PLT32: {    // L + A - P; L = S when S is within reach
      i64 direct = i64(S + A - P);
      if (fits_signed(direct, 32) || !L) {
        f.value = u64(direct);
        return put_s32(f.loc, direct);
      }
      f.via = Via::Stub;
      f.value = L + A - P;
      return put_s32(f.loc, i64(L + A - P));
    }
    case R_X86_64_PLTOFF64:   // L - GOT + A, word64
      f.via = Via::Stub;
      f.value = L - GOT + A;
      put_64(f.loc, f.value);
      return Error::success();
    case R_X86_64_GOTPCREL:       // G + GOT + A - P, word32 signed (G, GOT: one address here)
    case R_X86_64_GOTPCRELX:
    case R_X86_64_REX_GOTPCRELX:
      f.via = Via::Got;
      f.effective = f.S;
      f.value = G + A - P;
      return put_s32(f.loc, i64(G + A - P));
    case R_X86_64_GOTTPOFF:       // G + GOT + A - P, to a slot holding S's TP offset
      f.via = Via::Got;
      f.effective = f.S;
      f.value = G + A - P;
      return put_s32(f.loc, i64(G + A - P));
    case R_X86_64_GOTPCREL64:     // G + GOT + A - P, word64
      f.via = Via::Got;
      f.effective = f.S;
      f.value = G + A - P;
      put_64(f.loc, f.value);
      return Error::success();
    case R_X86_64_GOT64:          // G + A, word64: the slot's offset in the GOT
      f.via = Via::Got;
      f.effective = f.S;
      f.value = G - GOT + A;
      put_64(f.loc, f.value);
      return Error::success();
    case R_X86_64_GOTOFF64:       // S + A - GOT, word64
      f.value = S + A - GOT;
      put_64(f.loc, f.value);
      return Error::success();
    case R_X86_64_GOTPC32:        // GOT + A - P, word32 signed
      f.effective = GOT + A;
      f.value = GOT + A - P;
      return put_s32(f.loc, i64(GOT + A - P));
    case R_X86_64_GOTPC64:        // GOT + A - P, word64
      f.effective = GOT + A;
      f.value = GOT + A - P;
      put_64(f.loc, f.value);
      return Error::success();
    case R_X86_64_DTPMOD64:       // the module id: one static TLS module, id 1
      f.value = 1;
      f.effective = 0;
      f.via = Via::None;
      put_64(f.loc, 1);
      return Error::success();
  }
  // TLSGD/TLSLD never get here: the scan rewrote or rejected them.
  return Error(ErrorKind::Unsupported, "has a type the x86-64 loader cannot apply");
}

// Dynamic TLS (TlsStrategy::Dynamic): S of a thread-local symbol is its
// module's key plus its offset in the module's block (core/tls-runtime.h).
// The scan flags the TLS types kRelDynamicTls (and the loader their GOT
// fills): apply_runs skips them, and core/tls-loader.cc's
// apply_dynamic_tls_entries brings them here afterwards, so apply's
// static-rewrite cases never see them and the common loop pays nothing.
//
// S outside every module: a thread-local variable of the host (dlsym's
// answer, the resolving thread's address) is reached through the C
// library's {module, offset} by general-dynamic code only.
[[gnu::cold]] Error not_in_module(u64 S) {
  return Error(ErrorKind::Unsupported,
               format("refers to a thread-local variable at 0x%llx, which is in no loaded object's TLS block: "
                      "a thread-local variable of the host (or an undefined weak one) is reached by "
                      "general-dynamic code only (compile with -ftls-model=global-dynamic, or -fPIC)",
                      (unsigned long long)S));
}
[[gnu::cold]] Error apply_host_tls(Fixup& f) {
  std::optional<tls::HostTls> host = tls::host_tls(f.S);
  if (!host || (f.type != R_X86_64_DTPMOD64 && f.type != R_X86_64_DTPOFF64)) return not_in_module(f.S);
  f.value = f.type == R_X86_64_DTPMOD64 ? host->module : host->offset + u64(f.A);
  f.effective = 0;
  f.via = RelocationOutcome::Via::None;
  put_64(f.loc, f.value);
  return Error::success();
}
Error apply_dynamic_tls(Fixup& f) {
  using Via = RelocationOutcome::Via;
  const u64 S = f.S, A = u64(f.A), P = f.P, G = f.G;
  switch (f.type) {
    case R_X86_64_NONE:       // the second slot of a {module, 0} pair
      f.via = Via::None;
      return Error::success();
    case R_X86_64_TLSGD:      // G + GOT + A - P: the pair {module, offset}
    case R_X86_64_TLSLD:      // G + GOT + A - P: the pair {module, 0}
      f.via = Via::Got;
      f.effective = S;
      f.value = G + A - P;
      return put_s32(f.loc, i64(G + A - P));
    case R_X86_64_DTPMOD64:   // the module's id: its key
      if (!tls::is_key_address(S)) return apply_host_tls(f);
      f.value = tls::module_key(S);
      f.effective = 0;
      f.via = Via::None;
      put_64(f.loc, f.value);
      return Error::success();
    case R_X86_64_DTPOFF64:   // S + A - the block's start
    case R_X86_64_DTPOFF32:
      if (!tls::is_key_address(S)) return apply_host_tls(f);
      f.value = S + A - tls::module_key(S);
      if (f.type == R_X86_64_DTPOFF32) return put_s32(f.loc, i64(f.value));
      put_64(f.loc, f.value);
      return Error::success();
    case R_X86_64_TPOFF64:    // S + A - TP: the block's offset from TP + S's in it
    case R_X86_64_TPOFF32: {
      if (!tls::is_key_address(S)) return apply_host_tls(f);
      std::optional<i64> base = tls::static_tp_offset(tls::module_key(S));
      if (!base)
        return Error(ErrorKind::Unsupported,
                     "is an initial-exec or local-exec access to a thread-local variable whose block is allocated "
                     "per thread (it does not fit the static TLS reserve, or its object is not loaded): compile "
                     "with -ftls-model=global-dynamic (or -fPIC)");
      f.value = u64(*base) + (S - tls::module_key(S)) + A;
      if (f.type == R_X86_64_TPOFF32) return put_s32(f.loc, i64(f.value));
      put_64(f.loc, f.value);
      return Error::success();
    }
  }
  return Error(ErrorKind::Unsupported, "has a type the x86-64 loader cannot apply");
}

const RelocationArch kReloc = {
    .name = "x86-64",
    .got_entry_size = 8,
    .stub_size = sizeof(kStub),
    .stub_align = 16,
    .stub_address_offset = 6,
    .abs64_type = R_X86_64_64,
    .tpoff64_type = R_X86_64_TPOFF64,
    .write_stub = write_stub,
    .type_name = type_name,
    .apply_runs = apply_runs<apply>,
    .apply_dynamic_tls = apply_dynamic_tls,
    .dtpmod64_type = R_X86_64_DTPMOD64,
    .dtpoff64_type = R_X86_64_DTPOFF64,
    .dtpoff32_type = R_X86_64_DTPOFF32,
    .ifunc_trampoline_size = sizeof(kIfuncTrampoline),
    .write_ifunc_trampoline = write_ifunc_trampoline,
    .ifunc_stub_size = sizeof(kIfuncStub),
    .write_ifunc_stub = write_ifunc_stub,
    .ifunc_stub_field = 3,
    .ifunc_stub_addend = -4,
    .pc32_type = R_X86_64_PC32,
    .planted_bug_type = R_X86_64_PC32,
};

// The plain rows (ElfPlainType): an address or offset field with no stub
// or size to arrange (PLT32 to a symbol bound here needs no stub), or a
// GOT slot's (GOTPCREL, GOTPCRELX, ...: only the slot, no relaxation),
// derived from kTypes so that there is one table.
constexpr auto kPlainTypes = [] {
  std::array<ElfPlainType, std::size(kTypes)> plain{};
  for (size_t i = 0; i < std::size(kTypes); i++) {
    const TypeRow& t = kTypes[i];
    if ((t.special != Special::None && t.special != Special::StubIfExternal) || t.width == 0 || t.width == kNoWidth ||
        t.tls == Tls::Need || (t.flags != 0 && t.flags != (kRelGot | kRelNeedsGot)))
      continue;
    plain[i] = ElfPlainType{t.width, t.flags};
  }
  return plain;
}();

}  // namespace

const ElfArch kX86_64 = {
    .machine = EM_X86_64,
    .elf_class = ELFCLASS64,
    .little_endian = true,
    .reloc = &kReloc,
    .scan = scan,
    .field_width = field_width,
    .unwind_section_type = SHT_X86_64_UNWIND,
    .plain_types = kPlainTypes.data(),
    .plain_type_count = u32(kPlainTypes.size()),
};

}  // namespace jitload::elf
