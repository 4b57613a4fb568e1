// x86-64 for the reference loader: one table, one row per relocation type,
// each citing where its formula comes from. See x86-64.h.
#include "reference/elf/x86-64.h"

#include <cstdio>

namespace jitload::reference::x86_64 {

namespace {

const char* const kTable = "x86-64 psABI §4.4.1 Table 4.10";
const char* const kTls = "x86-64 psABI §4.4.1 Table 4.10; TLS supplement §4.3";
const char* const kTlsOpt = "TLS supplement §5.5 (x86-64 Linker Optimizations)";

// Every supported type, in Table 4.10's order.
const Row kRows[] = {
    {0, "R_X86_64_NONE", 0, Formula::None, Fit::Any, kTable},
    {1, "R_X86_64_64", 8, Formula::S_A, Fit::Any, kTable},
    {2, "R_X86_64_PC32", 4, Formula::S_A_P, Fit::Signed, kTable},
    {4, "R_X86_64_PLT32", 4, Formula::L_A_P, Fit::Signed, kTable},
    {9, "R_X86_64_GOTPCREL", 4, Formula::G_GOT_A_P, Fit::Signed, kTable},
    {10, "R_X86_64_32", 4, Formula::S_A, Fit::Unsigned, kTable},
    {11, "R_X86_64_32S", 4, Formula::S_A, Fit::Signed, kTable},
    {12, "R_X86_64_16", 2, Formula::S_A, Fit::SignedOrUnsigned, kTable},
    {13, "R_X86_64_PC16", 2, Formula::S_A_P, Fit::Signed, kTable},
    {14, "R_X86_64_8", 1, Formula::S_A, Fit::SignedOrUnsigned, kTable},
    {15, "R_X86_64_PC8", 1, Formula::S_A_P, Fit::Signed, kTable},
    {16, "R_X86_64_DTPMOD64", 8, Formula::DtpMod, Fit::Any, kTls},
    {17, "R_X86_64_DTPOFF64", 8, Formula::TpOff, Fit::Any, kTls},
    {18, "R_X86_64_TPOFF64", 8, Formula::TpOff, Fit::Any, kTls},
    {19, "R_X86_64_TLSGD", 4, Formula::TlsGd, Fit::Signed, kTlsOpt},
    {20, "R_X86_64_TLSLD", 4, Formula::TlsLd, Fit::Signed, kTlsOpt},
    {21, "R_X86_64_DTPOFF32", 4, Formula::TpOff, Fit::Signed, kTls},
    {22, "R_X86_64_GOTTPOFF", 4, Formula::GotTpOff, Fit::Signed, kTls},
    {23, "R_X86_64_TPOFF32", 4, Formula::TpOff, Fit::Signed, kTls},
    {24, "R_X86_64_PC64", 8, Formula::S_A_P, Fit::Any, kTable},
    {25, "R_X86_64_GOTOFF64", 8, Formula::S_A_GOT, Fit::Any, kTable},
    {26, "R_X86_64_GOTPC32", 4, Formula::GOT_A_P, Fit::Signed, kTable},
    {27, "R_X86_64_GOT64", 8, Formula::G_A, Fit::Any, kTable},
    {28, "R_X86_64_GOTPCREL64", 8, Formula::G_GOT_A_P, Fit::Any, kTable},
    {29, "R_X86_64_GOTPC64", 8, Formula::GOT_A_P, Fit::Any, kTable},
    {31, "R_X86_64_PLTOFF64", 8, Formula::L_GOT_A, Fit::Any, kTable},
    {32, "R_X86_64_SIZE32", 4, Formula::Z_A, Fit::Unsigned, kTable},
    {33, "R_X86_64_SIZE64", 8, Formula::Z_A, Fit::Any, kTable},
    {41, "R_X86_64_GOTPCRELX", 4, Formula::G_GOT_A_P, Fit::Signed, kTable},
    {42, "R_X86_64_REX_GOTPCRELX", 4, Formula::G_GOT_A_P, Fit::Signed, kTable},
};

// Types Table 4.10 names that the reference does not implement.
struct Name {
  uint32_t type;
  const char* name;
};
const Name kOtherNames[] = {
    {3, "R_X86_64_GOT32"},       {5, "R_X86_64_COPY"},
    {6, "R_X86_64_GLOB_DAT"},    {7, "R_X86_64_JUMP_SLOT"},
    {8, "R_X86_64_RELATIVE"},    {30, "R_X86_64_GOTPLT64"},
    {34, "R_X86_64_GOTPC32_TLSDESC"}, {35, "R_X86_64_TLSDESC_CALL"},
    {36, "R_X86_64_TLSDESC"},    {37, "R_X86_64_IRELATIVE"},
    {38, "R_X86_64_RELATIVE64"},
};

}  // namespace

const Row* find_row(uint32_t type) {
  for (const Row& r : kRows)
    if (r.type == type) return &r;
  return nullptr;
}

std::string type_name(uint32_t type) {
  for (const Row& r : kRows)
    if (r.type == type) return r.name;
  for (const Name& n : kOtherNames)
    if (n.type == type) return n.name;
  char buf[40];
  std::snprintf(buf, sizeof buf, "<unknown type 0x%x>", type);
  return buf;
}

std::vector<uint8_t> stub_bytes() {
  return {
      0xff, 0x25, 0x00, 0x00, 0x00, 0x00,              // jmp *0x0(%rip)
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // .quad target
      0xcc, 0xcc,                                      // int3; int3
  };
}

// The sequences of the TLS supplement §5.5 for x86-64, as compilers emit
// them. "x" marks bytes of relocated fields, which are not compared.
// Relocation types of the call to __tls_get_addr, per form of the call:
static const std::vector<uint32_t> kCallRel32 = {4, 2};       // PLT32, PC32: e8 rel32
static const std::vector<uint32_t> kCallGot = {9, 41, 42};    // GOTPCREL(X), REX_GOTPCRELX: ff 15
static const std::vector<uint32_t> kCallPltoff = {31};        // PLTOFF64: movabs

const std::vector<TlsSequence>& general_dynamic_sequences() {
  static const std::vector<TlsSequence> seqs = {
      {"general dynamic, small code model",
       {0x66,                          // data16
        0x48, 0x8d, 0x3d, 0, 0, 0, 0,  // lea x@tlsgd(%rip), %rdi
        0x66, 0x66, 0x48,              // data16 data16 rex64
        0xe8, 0, 0, 0, 0},             // call __tls_get_addr@plt
       {0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1},
       4,
       {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0,  // mov %fs:0, %rax
        0x48, 0x8d, 0x80, 0, 0, 0, 0},             // lea x@tpoff(%rax), %rax
       12, 12, kCallRel32},
      {"general dynamic, small code model, call through the GOT",
       {0x66,                          // data16
        0x48, 0x8d, 0x3d, 0, 0, 0, 0,  // lea x@tlsgd(%rip), %rdi
        0x66, 0x48,                    // data16 rex64
        0xff, 0x15, 0, 0, 0, 0},       // call *__tls_get_addr@gotpcrel(%rip)
       {0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1},
       4,
       {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0,  // mov %fs:0, %rax
        0x48, 0x8d, 0x80, 0, 0, 0, 0},             // lea x@tpoff(%rax), %rax
       12, 12, kCallGot},
      {"general dynamic, large code model",
       {0x48, 0x8d, 0x3d, 0, 0, 0, 0,        // lea x@tlsgd(%rip), %rdi
        0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,  // movabs $__tls_get_addr@pltoff, %rax
        0x48, 0x01, 0xd8,                    // add %rbx, %rax
        0xff, 0xd0},                         // call *%rax
       {0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
       3,
       {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0,  // mov %fs:0, %rax
        0x48, 0x8d, 0x80, 0, 0, 0, 0,              // lea x@tpoff(%rax), %rax
        0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},       // nopw 0x0(%rax,%rax,1)
       12, 9, kCallPltoff},
  };
  return seqs;
}

const std::vector<TlsSequence>& local_dynamic_sequences() {
  static const std::vector<TlsSequence> seqs = {
      {"local dynamic, small code model",
       {0x48, 0x8d, 0x3d, 0, 0, 0, 0,  // lea x@tlsld(%rip), %rdi
        0xe8, 0, 0, 0, 0},             // call __tls_get_addr@plt
       {0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1},
       3,
       {0x66, 0x66, 0x66,                          // data16 ×3
        0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0},  // mov %fs:0, %rax
       -1, 8, kCallRel32},
      {"local dynamic, small code model, call through the GOT",
       {0x48, 0x8d, 0x3d, 0, 0, 0, 0,  // lea x@tlsld(%rip), %rdi
        0xff, 0x15, 0, 0, 0, 0},       // call *__tls_get_addr@gotpcrel(%rip)
       {0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1},
       3,
       {0x0f, 0x1f, 0x40, 0x00,                    // nopl 0x0(%rax)
        0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0},  // mov %fs:0, %rax
       -1, 9, kCallGot},
      {"local dynamic, large code model",
       {0x48, 0x8d, 0x3d, 0, 0, 0, 0,        // lea x@tlsld(%rip), %rdi
        0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,  // movabs $__tls_get_addr@pltoff, %rax
        0x48, 0x01, 0xd8,                    // add %rbx, %rax
        0xff, 0xd0},                         // call *%rax
       {0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
       3,
       {0x66, 0x66, 0x66, 0x66, 0x66,                  // data16 ×5
        0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00,  // nopw 0x0(%rax,%rax,1)
        0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0},      // mov %fs:0, %rax
       -1, 9, kCallPltoff},
  };
  return seqs;
}

const std::vector<TlsSequence>& initial_exec_sequences() {
  static const std::vector<TlsSequence> seqs = {
      // The form the TLS supplement §5.5 gives for "Initial Exec To Local Exec".
      {"initial exec, add form",
       {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0,  // mov %fs:0, %rax
        0x48, 0x03, 0x05, 0, 0, 0, 0},             // add x@gottpoff(%rip), %rax
       {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1},
       12,
       {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0,  // mov %fs:0, %rax
        0x48, 0x8d, 0x80, 0, 0, 0, 0},             // lea x@tpoff(%rax), %rax
       12, -1, {}},
      // A load through the slot; the rewrite keeps the 64-bit load.
      {"initial exec, load form",
       {0x48, 0x8b, 0x05, 0, 0, 0, 0,  // mov x@gottpoff(%rip), %rax
        0x64, 0x48, 0x8b, 0x00},       // mov %fs:(%rax), %rax
       {0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0},
       3,
       {0x66, 0x90,                               // xchg %ax, %ax
        0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0},  // mov %fs:x@tpoff, %rax
       7, -1, {}},
  };
  return seqs;
}

}  // namespace jitload::reference::x86_64
