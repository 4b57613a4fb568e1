// Mach-O arm64 relocations, following Apple's <mach-o/arm64/reloc.h> (its
// comments are the only specification) and ld64's and ld64.lld's reading
// of it; LLVM's RuntimeDyldMachOAArch64 is the behavioural oracle where it
// agrees with them.
//
// What is unusual here, next to ELF AArch64 and Mach-O x86-64:
// - An instruction carries no addend. BRANCH26, PAGE21 and PAGEOFF12 take
//   theirs from an ARM64_RELOC_ADDEND entry just before them (its
//   r_symbolnum, 24 bits, sign-extended), else 0; the immediate already in
//   the instruction is overwritten (ld64 and ld64.lld read none; LLVM 19
//   reads it as an addend, which only a hand-made object can tell apart).
//   Data words of UNSIGNED and SUBTRACTOR pairs hold theirs in the field, as
//   on x86-64; a POINTER_TO_GOT field's contents are ignored (G, or G - P).
// - Relocations on instructions are always extern (the assembler makes
//   them so: a section-relative one would name no target, since the
//   instruction holds no offset); a non-extern BRANCH26/PAGE21/PAGEOFF12 is
//   refused. Data words may be non-extern (section-relative, the field
//   holding an object-file address).
// - PAGEOFF12 writes the low 12 bits of the target into an ADD immediate
//   unscaled, or into a load/store's unsigned offset scaled by its access
//   size, which only the instruction says (bits 31:30, and bit 23 with V
//   for the 128-bit form): the target must be aligned to it, else an error.
//   (LLVM 19 only asserts it, and its release build writes a truncated
//   offset.) GOT_LOAD_PAGEOFF12 and TLVP_LOAD_PAGEOFF12 likewise.
// - PAGE21 (ADRP) reaches Page(S + A) - Page(P) within ±4 GiB; B/BL reach
//   ±128 MiB, and a call to a name bound at resolve time (undefined, or a
//   definition another object may preempt) goes through a veneer (ldr x16,
//   #8; br x16; .quad S) when S is farther.
// - One GOT slot per symbol (GOT_LOAD_PAGE21/PAGEOFF12, POINTER_TO_GOT).
// - TLVP_LOAD_PAGE21/PAGEOFF12 (thread-local variables): the page and
//   offset of a GOT-like slot holding the address of the descriptor _x
//   {thunk, key, offset} in __thread_vars; code calls the thunk with x0 =
//   &_x and gets &x back. Where the code runs on an arm64 host (under qemu
//   through jitload-runner-aarch64, whose memory manager serves the static
//   TLS block) __thread_data/__thread_bss are pieces of that block, the
//   offset word holds the variable's offset from the thread pointer and the
//   thunk is jitload's (below): tpidr_el0 + offset. Elsewhere (simulated
//   targets) an Unsupported error naming the relocation.
//
// Letters: S symbol, A addend, P place, G GOT slot, L veneer, B subtrahend;
// Page(x) = x & ~0xfff.
#include "engine/loader/core/apply-runs.h"
#include "engine/loader/core/encode.h"
#include "engine/loader/macho/apply-loop.h"
#include "engine/loader/macho/macho.h"

namespace jitload::macho {
namespace {

// <mach-o/arm64/reloc.h>, enum reloc_type_arm64.
enum : u32 {
  ARM64_RELOC_UNSIGNED = 0,             // for pointers
  ARM64_RELOC_SUBTRACTOR = 1,           // must be followed by an ARM64_RELOC_UNSIGNED
  ARM64_RELOC_BRANCH26 = 2,             // a B/BL instruction with 26-bit displacement
  ARM64_RELOC_PAGE21 = 3,               // pc-rel distance to page of target
  ARM64_RELOC_PAGEOFF12 = 4,            // offset within page, scaled by the access size
  ARM64_RELOC_GOT_LOAD_PAGE21 = 5,      // pc-rel distance to page of GOT slot
  ARM64_RELOC_GOT_LOAD_PAGEOFF12 = 6,   // offset within page of GOT slot, scaled
  ARM64_RELOC_POINTER_TO_GOT = 7,       // for pointers to GOT slots
  ARM64_RELOC_TLVP_LOAD_PAGE21 = 8,     // pc-rel distance to page of TLVP slot
  ARM64_RELOC_TLVP_LOAD_PAGEOFF12 = 9,  // offset within page of TLVP slot, scaled
  ARM64_RELOC_ADDEND = 10,              // must be followed by PAGE21 or PAGEOFF12 (or BRANCH26)
};

// Entry types (RelocationEntry::type): the file's type in bits 0-3, its
// r_length in bits 4-5, a PAGEOFF12's scale (log2 of the access size) in
// bits 12-14; and two of the loader's own.
constexpr u32 kLengthShift = 4;
constexpr u32 kScaleShift = 12;
constexpr u32 kEhPcrel64 = kEhPcrel;
constexpr u32 entry_type(u32 type, u32 length) { return type | length << kLengthShift; }
constexpr u32 kUnsigned64 = entry_type(ARM64_RELOC_UNSIGNED, 3);  // GOT and veneer fills

std::string_view type_name(u32 type) {
  if (type & kEhPcrel64) return "ARM64_RELOC_UNSIGNED (FDE address fix-up)";
  switch (type & 0xf) {
    case ARM64_RELOC_UNSIGNED: return "ARM64_RELOC_UNSIGNED";
    case ARM64_RELOC_SUBTRACTOR: return "ARM64_RELOC_SUBTRACTOR";
    case ARM64_RELOC_BRANCH26: return "ARM64_RELOC_BRANCH26";
    case ARM64_RELOC_PAGE21: return "ARM64_RELOC_PAGE21";
    case ARM64_RELOC_PAGEOFF12: return "ARM64_RELOC_PAGEOFF12";
    case ARM64_RELOC_GOT_LOAD_PAGE21: return "ARM64_RELOC_GOT_LOAD_PAGE21";
    case ARM64_RELOC_GOT_LOAD_PAGEOFF12: return "ARM64_RELOC_GOT_LOAD_PAGEOFF12";
    case ARM64_RELOC_POINTER_TO_GOT: return "ARM64_RELOC_POINTER_TO_GOT";
    case ARM64_RELOC_TLVP_LOAD_PAGE21: return "ARM64_RELOC_TLVP_LOAD_PAGE21";
    case ARM64_RELOC_TLVP_LOAD_PAGEOFF12: return "ARM64_RELOC_TLVP_LOAD_PAGEOFF12";
    case ARM64_RELOC_ADDEND: return "ARM64_RELOC_ADDEND";
  }
  return unknown_type_name(type & 0xf);
}

// The veneer: x16 (IP0) is the register AAPCS64 leaves to veneers.
constexpr u8 kStub[16] = {
    0x50, 0x00, 0x00, 0x58,  // ldr x16, #8
    0x00, 0x02, 0x1f, 0xd6,  // br x16
    0, 0, 0, 0, 0, 0, 0, 0,  // .quad target
};
void write_stub(u8* where) { std::memcpy(where, kStub, sizeof kStub); }

// Instruction classes a relocation may patch (Arm ARM, "A64 instruction
// set encoding"): the field's instruction must be of its relocation's kind.
bool is_adrp(u32 insn) { return (insn & 0x9f000000) == 0x90000000; }
bool is_b_or_bl(u32 insn) { return (insn & 0x7c000000) == 0x14000000; }
bool is_add_sub_imm(u32 insn) { return (insn & 0x1f000000) == 0x11000000; }   // ADD/ADDS/SUB/SUBS (immediate)
bool is_ldst_uimm(u32 insn) { return (insn & 0x3b000000) == 0x39000000; }     // LDR/STR (immediate, unsigned offset)
// log2 of a load/store's access size: size (bits 31:30), or 4 for the
// 128-bit SIMD&FP form (V, bit 26, with opc<1>, bit 23, and size 0).
u32 ldst_scale(u32 insn) {
  u32 size = insn >> 30;
  if ((insn & 0x04800000) == 0x04800000 && size == 0) return 4;
  return size;
}

#if defined(__aarch64__)
// The static-TLS descriptor thunk: x0 = &{thunk, key, offset}; returns
// tpidr_el0 + offset in x0, touching only x0 and x16 (the Darwin TLS call
// keeps every other register).
__asm__(R"(
  .text
  .globl jitload_macho_tlv_static_thunk_arm64
  .hidden jitload_macho_tlv_static_thunk_arm64
  .type jitload_macho_tlv_static_thunk_arm64, %function
  .p2align 4
jitload_macho_tlv_static_thunk_arm64:
  ldr x0, [x0, #16]
  mrs x16, tpidr_el0
  add x0, x16, x0
  ret
  .size jitload_macho_tlv_static_thunk_arm64, .-jitload_macho_tlv_static_thunk_arm64
)");
extern "C" void jitload_macho_tlv_static_thunk_arm64();
u64 static_tlv_thunk() { return u64(reinterpret_cast<uintptr_t>(&jitload_macho_tlv_static_thunk_arm64)); }
#else
u64 static_tlv_thunk() { return 0; }  // the code does not run on this host
#endif

Error want(const MachoScan& scan, const MachoRelocation& r, bool pcrel, bool len2, bool len3) {
  if (r.pcrel != pcrel)
    return scan.error(ErrorKind::Malformed, r, pcrel ? "is not pc-relative (r_pcrel 0), as its type must be"
                                                     : "is pc-relative (r_pcrel 1), which its type cannot be");
  if (!((len2 && r.length == 2) || (len3 && r.length == 3)))
    return scan.error(ErrorKind::Malformed, r,
                      format("has r_length %u; its type takes %s", r.length,
                             len2 && len3 ? "2 (4 bytes) or 3 (8 bytes)" : len2 ? "2 (4 bytes)" : "3 (8 bytes)"));
  return scan.check_field(r, u64(1) << r.length);
}

u32 instruction(const MachoScan& scan, const MachoRelocation& r) { return u32(scan.read_field(r, 4)); }

Error scan(MachoScan& scan, u32 index, const MachoTarget& t, RelocationEntry& e) {
  const MachoRelocation& r = scan.relocations[index];
  if (index == 0) scan.pending_addend = false;
  const bool paired = scan.after_subtractor;
  scan.after_subtractor = false;
  const bool have_addend = scan.pending_addend;
  const i64 addend = have_addend ? scan.addend : 0;
  scan.pending_addend = false;
  if (paired && r.type != ARM64_RELOC_UNSIGNED)
    return scan.error(ErrorKind::Malformed, r, "follows an ARM64_RELOC_SUBTRACTOR, which must be followed by an ARM64_RELOC_UNSIGNED");
  if (have_addend && r.type != ARM64_RELOC_PAGE21 && r.type != ARM64_RELOC_PAGEOFF12 && r.type != ARM64_RELOC_BRANCH26)
    return scan.error(ErrorKind::Malformed, r,
                      "follows an ARM64_RELOC_ADDEND, which must be followed by ARM64_RELOC_PAGE21, "
                      "ARM64_RELOC_PAGEOFF12 or ARM64_RELOC_BRANCH26");
  if (t.absolute && r.type != ARM64_RELOC_UNSIGNED && r.type != ARM64_RELOC_ADDEND)
    return scan.error(ErrorKind::Unsupported, r, "is non-extern with r_symbolnum R_ABS (0): only ARM64_RELOC_UNSIGNED may be absolute");
  e.type = u16(entry_type(r.type, r.length));
  switch (r.type) {
    case ARM64_RELOC_UNSIGNED: {  // S + A, 32 or 64 bits (paired: S + A - B)
      TRY(want(scan, r, false, true, true));
      i64 content = scan.read_field(r, u64(1) << r.length);
      e.addend = r.external || t.absolute ? content : i64(u64(content) - t.section_address);
      if (paired) {
        // Modulo 2^64, as the field's S + A - B is: a file's contents and
        // section address may be anything (signed i64 overflow is UB).
        e.addend = i64(u64(e.addend) + u64(scan.subtrahend_adjust));
        e.type |= kPairedUnsigned;
      }
      return Error::success();
    }
    case ARM64_RELOC_SUBTRACTOR: {  // B, the subtrahend of the UNSIGNED that follows
      TRY(want(scan, r, false, true, true));
      TRY(scan.subtractor_pair(r, index, ARM64_RELOC_UNSIGNED));
      e.addend = 0;
      // A non-extern subtrahend is an address in the object file: the
      // field's addend holds minus it (B is then measured from the start
      // of the section the entry names).
      scan.after_subtractor = true;
      scan.subtrahend_adjust = r.external ? 0 : i64(t.section_address);
      return Error::success();
    }
    case ARM64_RELOC_ADDEND: {  // A for the entry after it; writes nothing
      if (r.pcrel || r.length != 2 || r.external)
        return scan.error(ErrorKind::Malformed, r,
                          format("has r_pcrel %u, r_length %u, r_extern %u: an ARM64_RELOC_ADDEND takes 0, 2, 0",
                                 r.pcrel, r.length, r.external));
      TRY(scan.check_field(r, 4));
      if (index + 1 >= scan.relocations.size())
        return scan.error(ErrorKind::Malformed, r, "is the last entry: it must be followed by the entry it gives its addend to");
      const MachoRelocation& next = scan.relocations[index + 1];
      if (next.address != r.address)
        return scan.error(ErrorKind::Malformed, r,
                          format("is followed by an entry at 0x%x: it must be followed by one on its own field", next.address));
      // r_symbolnum, 24 bits, sign-extended.
      scan.addend = i64(i32(r.symbolnum << 8) >> 8);
      scan.pending_addend = true;
      e.addend = scan.addend;
      e.target_kind = TargetKind::Absolute;
      e.target = 0;
      return Error::success();
    }
    case ARM64_RELOC_BRANCH26: {  // S + A - P, or L - P beyond ±128 MiB (A = 0)
      TRY(want(scan, r, true, true, false));
      if (!r.external)
        return scan.error(ErrorKind::Unsupported, r, "is not extern (r_extern 0): an instruction holds no offset to place it in its section");
      if (!is_b_or_bl(instruction(scan, r)))
        return scan.error(ErrorKind::Malformed, r, format("patches 0x%08x, which is not a B or BL", instruction(scan, r)));
      e.addend = addend;
      if (t.by_name) e.flags |= kRelStub;
      return Error::success();
    }
    case ARM64_RELOC_PAGE21:              // Page(S + A) - Page(P)
    case ARM64_RELOC_GOT_LOAD_PAGE21:     // Page(G) - Page(P)
    case ARM64_RELOC_TLVP_LOAD_PAGE21:
    case ARM64_RELOC_PAGEOFF12:           // (S + A) & 0xfff, scaled
    case ARM64_RELOC_GOT_LOAD_PAGEOFF12:  // G & 0xfff, scaled
    case ARM64_RELOC_TLVP_LOAD_PAGEOFF12: {
      const bool page = r.type == ARM64_RELOC_PAGE21 || r.type == ARM64_RELOC_GOT_LOAD_PAGE21 ||
                        r.type == ARM64_RELOC_TLVP_LOAD_PAGE21;
      TRY(want(scan, r, page, true, false));
      const bool tlvp = r.type == ARM64_RELOC_TLVP_LOAD_PAGE21 || r.type == ARM64_RELOC_TLVP_LOAD_PAGEOFF12;
      if (tlvp && !scan.static_tlv)
        return scan.error(ErrorKind::Unsupported, r,
                          "is a thread-local variable access: Mach-O arm64 TLV descriptors are not supported yet "
                          "where the code does not run (served under jitload exec, through the aarch64 runner)");
      if (!r.external)
        return scan.error(r.type == ARM64_RELOC_PAGE21 || r.type == ARM64_RELOC_PAGEOFF12 ? ErrorKind::Unsupported
                                                                                          : ErrorKind::Malformed,
                          r, "is not extern (r_extern 0): an instruction holds no offset to place it in its section");
      const u32 insn = instruction(scan, r);
      if (page) {
        if (!is_adrp(insn)) return scan.error(ErrorKind::Malformed, r, format("patches 0x%08x, which is not an ADRP", insn));
      } else if (is_ldst_uimm(insn)) {
        e.type |= u16(ldst_scale(insn) << kScaleShift);
      } else if (!is_add_sub_imm(insn) || r.type != ARM64_RELOC_PAGEOFF12 || tlvp) {
        return scan.error(ErrorKind::Malformed, r,
                          format("patches 0x%08x, which is neither %s nor a load/store with an unsigned offset", insn,
                                 r.type == ARM64_RELOC_PAGEOFF12 ? "an ADD/SUB immediate" : "(for a GOT slot) an LDR"));
      }
      e.addend = addend;
      if (r.type == ARM64_RELOC_GOT_LOAD_PAGE21 || r.type == ARM64_RELOC_GOT_LOAD_PAGEOFF12 || tlvp)
        e.flags |= kRelGot | kRelNeedsGot;  // (TLVP: a slot holding the descriptor's address)
      return Error::success();
    }
    case ARM64_RELOC_POINTER_TO_GOT: {  // G - P (32-bit, pc-relative) or G (64-bit)
      if (r.pcrel) TRY(want(scan, r, true, true, false));
      else TRY(want(scan, r, false, false, true));
      if (!r.external)
        return scan.error(ErrorKind::Malformed, r, "is not extern (r_extern 0): a GOT slot is a symbol's");
      // The field's contents are not an addend (only UNSIGNED and
      // SUBTRACTOR carry one there, as ld64.lld reads them): llvm-mc leaves
      // minus the field's offset in its section in a pc-relative one.
      e.addend = 0;
      e.flags |= kRelGot | kRelNeedsGot;
      return Error::success();
    }
  }
  return scan.error(ErrorKind::Unsupported, r, "has a type the Mach-O arm64 loader does not know");
}

Error put_page21(u8* loc, i64 delta) {  // ADRP: immlo (bits 30:29), immhi (bits 23:5) of delta >> 12
  if (!fits_signed(delta, 33)) return out_of_range(delta, -(i64(1) << 32), (i64(1) << 32) - 1);
  const u64 imm = u64(delta) >> 12;
  put_bits(loc, 29, 2, imm & 3);
  put_bits(loc, 5, 19, imm >> 2);
  return Error::success();
}

Error put_pageoff12(u8* loc, u64 X, u32 scale) {  // the low 12 bits of X, scaled
  const u64 lo = X & 0xfff;
  if (lo & ((u64(1) << scale) - 1))
    return Error(ErrorKind::Overflow,
                 format("target 0x%llx is not aligned to the instruction's %u-byte access", (unsigned long long)X, 1u << scale));
  put_bits(loc, 10, 12, lo >> scale);
  return Error::success();
}

// One relocation's value, computed then encoded. B is the subtrahend's
// address for the UNSIGNED half of a SUBTRACTOR pair.
[[gnu::always_inline]] inline Error apply(Fixup& f, u64 B) {
  using Via = RelocationOutcome::Via;
  const u64 S = f.S, A = u64(f.A), P = f.P;
  const u32 length = (f.type >> kLengthShift) & 3;
  const u32 scale = (f.type >> kScaleShift) & 7;
  auto page = [](u64 x) { return x & ~u64(0xfff); };
  f.effective = S + A;
  if (f.type & kEhPcrel64) {  // S + A - P, 64 bits
    f.value = S + A - P;
    put_64(f.loc, f.value);
    return Error::success();
  }
  switch (f.type & 0xf) {
    case ARM64_RELOC_UNSIGNED: {  // S + A (paired: S + A - B)
      f.value = (f.type & kPairedUnsigned) ? S + A - B : S + A;
      if (f.type & kPairedUnsigned) {
        f.effective = 0;
        f.via = Via::None;
      }
      if (length == 3) {
        put_64(f.loc, f.value);
        return Error::success();
      }
      return put_int_or_uint(f.loc, i64(f.value), 32);
    }
    case ARM64_RELOC_BRANCH26: {  // S + A - P, or L - P
      i64 direct = i64(S + A - P);
      // The veneer jumps to S; a branch to S + A (A != 0, from an ADDEND:
      // not what a compiler emits for a call) cannot use it and stays out
      // of range, as for ELF's CALL26.
      if (!fits_signed(direct, 28) && f.L && A == 0) {
        f.via = Via::Stub;
        direct = i64(f.L - P);
      }
      f.value = u64(direct);
      if (direct & 3) return Error(ErrorKind::Overflow, format("branch distance %lld is not a multiple of 4", (long long)direct));
      if (!fits_signed(direct, 28)) return out_of_range(direct, -(i64(1) << 27), (i64(1) << 27) - 1);
      put_bits(f.loc, 0, 26, u64(direct) >> 2);
      return Error::success();
    }
    case ARM64_RELOC_PAGE21:
      f.value = page(S + A) - page(P);
      return put_page21(f.loc, i64(f.value));
    case ARM64_RELOC_PAGEOFF12:
      f.value = (S + A) & 0xfff;
      return put_pageoff12(f.loc, S + A, scale);
    case ARM64_RELOC_GOT_LOAD_PAGE21:
    case ARM64_RELOC_TLVP_LOAD_PAGE21:
      f.via = Via::Got;
      f.effective = S;
      f.value = page(f.G) - page(P);
      return put_page21(f.loc, i64(f.value));
    case ARM64_RELOC_GOT_LOAD_PAGEOFF12:
    case ARM64_RELOC_TLVP_LOAD_PAGEOFF12:
      f.via = Via::Got;
      f.effective = S;
      f.value = f.G & 0xfff;
      return put_pageoff12(f.loc, f.G, scale);
    case ARM64_RELOC_POINTER_TO_GOT:
      f.via = Via::Got;
      f.effective = S;
      if (length == 3) {
        f.value = f.G + A;
        put_64(f.loc, f.value);
        return Error::success();
      }
      f.value = f.G + A - P;
      return put_s32(f.loc, i64(f.value));
  }
  return Error(ErrorKind::Unsupported, "has a type the Mach-O arm64 loader cannot apply");
}

// The object's relocations, as x86-64.cc's apply_runs_macho: a SUBTRACTOR
// writes nothing and hands its address B to the UNSIGNED after it; an
// ADDEND writes nothing (the scan gave its value to the entry after it);
// an external bound to 2^64-1 has its relocations left unapplied (llvm-rtdyld's
// -dummy-extern NAME=0xffffffffffffffff).
void apply_runs_macho_arm64(ApplyContext& c) {
  apply_runs_with_subtractor<apply, ARM64_RELOC_SUBTRACTOR>(c, [&](const RelocationEntry& e, const LoadedSection& sec, u32 k, bool report) {
    // An ADDEND writes nothing: the entry after it carries its value.
    if ((e.type & 0xf) != ARM64_RELOC_ADDEND || (e.type & kEhPcrel64)) return false;
    if (report) {
      RelocationOutcome& o = c.obj.outcomes[k];
      o.place = sec.target + e.offset;
      o.addend = e.addend;
      o.via = RelocationOutcome::Via::None;
      o.applied = true;
    }
    return true;
  });
}

const RelocationArch kReloc = {
    .name = "arm64 (Mach-O)",
    .got_entry_size = 8,
    .stub_size = sizeof(kStub),
    .stub_align = 16,
    .stub_address_offset = 8,
    .abs64_type = kUnsigned64,
    .tpoff64_type = kNone,
    .write_stub = write_stub,
    .type_name = type_name,
    .apply_runs = apply_runs_macho_arm64,
    .pc32_type = kNone,
};

}  // namespace

const MachoArch kArm64 = {
    .cputype = CPU_TYPE_ARM64,
    .triple_arch = "arm64",
    .reloc = &kReloc,
    .scan = scan,
    .eh_pcrel64_type = kEhPcrel64,
    .value_only_type = ARM64_RELOC_ADDEND,
    .static_tlv_thunk = static_tlv_thunk,
    .tls_abi = {.variant_one = true, .tcb_size = 16},  // tpidr_el0 points at a 16-byte TCB
};

}  // namespace jitload::macho
