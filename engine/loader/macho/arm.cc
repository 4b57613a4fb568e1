// Mach-O ARM (and Thumb) relocations, following Apple's
// <mach-o/arm/reloc.h> (its comments are the only specification), the ARM
// Architecture Reference Manual for the instruction fields, and ld64's
// behaviour for interworking; LLVM's RuntimeDyldMachOARM is the
// behavioural oracle where it implements a type.
//
// What is particular here (the generic 32-bit rules are i386.cc's:
// scattered entries name their target by r_value's section, addends are
// read from the field, SECTDIFF + PAIR is A - B + k):
// - BR24 (ARM B/BL/BLX imm24, ±32 MiB) is relative to P + 8 and
//   THUMB_RELOC_BR22 (Thumb-2 BL/BLX, S:J1:J2:imm10:imm11, ±16 MiB) to
//   P + 4 — Align(P + 4, 4) for BLX; an extern field holds A minus that
//   base's file address.
// - Interworking of a direct branch (ld64's; stubs below interwork by
//   themselves): a target's mode is the low bit of its address
//   (N_ARM_THUMB_DEF symbols keep it: a Thumb function's address is odd).
//   For an extern branch the loader turns ARM BL into BLX to a Thumb
//   target (and BLX into BL to an ARM one), Thumb BL into BLX to an ARM
//   target (and back); an ARM B (no link form) to a Thumb target is an
//   Unsupported error. A non-extern branch names a section, whose address
//   says nothing of the mode: the instruction's own form is kept.
// - Every branch to a global function goes through a stub of the caller's
//   instruction set, in reach or not, as RuntimeDyld does: an extern
//   branch to a name bound at resolve (undefined, weak, common) or to any
//   global (N_EXT, not N_PEXT) definition, and a non-extern branch whose
//   target is a global's address (assemblers resolve a Thumb call to a
//   global of the same section that way). A JIT cannot know where a name
//   bound at resolve will land, a global function is what a JIT client
//   redirects (its stub's word is the one place to patch), and a stub that
//   loads pc interworks by the target word's low bit (a Thumb function's
//   address is odd). An ARM caller's stub is `ldr pc, [pc, #-4]; .long S`
//   (0xe51ff004), reached
//   by BL (B stays B); a Thumb caller's is `ldr.w pc, [pc, #0]; .long S`
//   (0xf000f8df; the stub is 4-aligned, so pc reads as its own address
//   + 4), reached by Thumb BL. One stub per (symbol, caller's mode). A
//   branch with a nonzero addend (`bl _f+8`) gets no stub (the stub holds
//   S only): it branches directly, and beyond reach is an overflow error.
//   Local and N_PEXT targets are branched to directly with ld64's
//   interworking above.
// - HALF (movw/movt, ARM or Thumb): r_length bit 0 says which half (1:
//   upper, movt), bit 1 the encoding (1: Thumb); the PAIR after it carries
//   the other half in its r_address, so the field's value is the whole
//   32-bit word the assembler computed. HALF_SECTDIFF (scattered) is
//   A - B + k written half by half, B its PAIR's r_value.
//
// Letters: S symbol, A addend, P place, L stub, B subtrahend.
#include "engine/loader/core/apply-runs.h"
#include "engine/loader/core/encode.h"
#include "engine/loader/macho/apply-loop.h"
#include "engine/loader/macho/macho.h"

namespace jitload::macho {
namespace {

// <mach-o/arm/reloc.h>, enum reloc_type_arm.
enum : u32 {
  ARM_RELOC_VANILLA = 0,         // generic relocation as described above
  ARM_RELOC_PAIR = 1,            // the second relocation entry of a pair
  ARM_RELOC_SECTDIFF = 2,        // a PAIR follows with subtract symbol value
  ARM_RELOC_LOCAL_SECTDIFF = 3,  // like ARM_RELOC_SECTDIFF, but the symbol referenced was local
  ARM_RELOC_PB_LA_PTR = 4,       // prebound lazy pointer
  ARM_RELOC_BR24 = 5,            // 24 bit branch displacement (to a word address)
  ARM_THUMB_RELOC_BR22 = 6,      // 22 bit branch displacement (to a half-word address)
  ARM_THUMB_32BIT_BRANCH = 7,    // obsolete - a thumb 32-bit branch instruction possibly needing page-spanning branch workaround
  ARM_RELOC_HALF = 8,
  ARM_RELOC_HALF_SECTDIFF = 9,
};

// Entry types: r_type in bits 0-3, r_length in bits 4-5, r_extern in
// bit 6; the loader's own FDE fix-up.
constexpr u32 kLengthShift = 4;
constexpr u32 kExternBit = 0x40;
constexpr u32 kEhPcrel32 = kEhPcrel;
constexpr u32 entry_type(u32 type, u32 length, bool external) {
  return type | length << kLengthShift | (external ? kExternBit : 0);
}
constexpr u32 kVanilla32 = entry_type(ARM_RELOC_VANILLA, 2, false);

std::string_view type_name(u32 type) {
  if (type & kEhPcrel32) return "ARM_RELOC_VANILLA (FDE address fix-up)";
  switch (type & 0xf) {
    case ARM_RELOC_VANILLA: return "ARM_RELOC_VANILLA";
    case ARM_RELOC_PAIR: return "ARM_RELOC_PAIR";
    case ARM_RELOC_SECTDIFF: return "ARM_RELOC_SECTDIFF";
    case ARM_RELOC_LOCAL_SECTDIFF: return "ARM_RELOC_LOCAL_SECTDIFF";
    case ARM_RELOC_PB_LA_PTR: return "ARM_RELOC_PB_LA_PTR";
    case ARM_RELOC_BR24: return "ARM_RELOC_BR24";
    case ARM_THUMB_RELOC_BR22: return "ARM_THUMB_RELOC_BR22";
    case ARM_THUMB_32BIT_BRANCH: return "ARM_THUMB_32BIT_BRANCH";
    case ARM_RELOC_HALF: return "ARM_RELOC_HALF";
    case ARM_RELOC_HALF_SECTDIFF: return "ARM_RELOC_HALF_SECTDIFF";
  }
  return unknown_type_name(type & 0xf);
}

// The stubs (kind 0: ARM callers, 1: Thumb callers), then the target word.
constexpr u8 kStub[8] = {0x04, 0xf0, 0x1f, 0xe5, 0, 0, 0, 0};       // ldr pc, [pc, #-4]
constexpr u8 kThumbStub[8] = {0xdf, 0xf8, 0x00, 0xf0, 0, 0, 0, 0};  // ldr.w pc, [pc, #0]
constexpr u8 kArmStubKind = 0, kThumbStubKind = 1;
void write_stub(u8* where) { std::memcpy(where, kStub, sizeof kStub); }
void write_stub_kind(u8* where, u8 kind) { std::memcpy(where, kind == kThumbStubKind ? kThumbStub : kStub, sizeof kStub); }

i64 sext(u64 v, unsigned bits) {
  const u64 sign = u64(1) << (bits - 1);
  return i64((v & ((sign << 1) - 1)) ^ sign) - i64(sign);
}
i64 wrap32(i64 v) { return i64(i32(u32(u64(v)))); }

// ARM B/BL/BLX: imm24 << 2 (BLX adds H << 1).
bool arm_is_blx(u32 insn) { return (insn >> 25) == 0x7d; }  // 1111 101H
i64 arm_branch_offset(u32 insn) {
  i64 off = sext(u64(insn & 0xffffff) << 2, 26);
  if (arm_is_blx(insn)) off |= i64((insn >> 24) & 1) << 1;
  return off;
}
// Thumb-2 BL/BLX (T1/T2): hw1 = 11110 S imm10, hw2 = 11 J1 x J2 imm11
// (x = 1: BL, 0: BLX); I1 = !(J1 ^ S), I2 = !(J2 ^ S). B.W (T4, clang's
// tail call) is hw2 = 10 J1 1 J2 imm11, the same offset, from P + 4, and
// cannot switch modes.
bool thumb_is_bl(u32 field) { return (field >> 16) & 0x1000; }  // BL or B.W: from P + 4, stays Thumb
bool thumb_is_bw(u32 field) { return ((field >> 16) & 0xd000) == 0x9000; }
i64 thumb_branch_offset(u32 field) {
  const u32 hw1 = field & 0xffff, hw2 = field >> 16;
  const u32 s = (hw1 >> 10) & 1, j1 = (hw2 >> 13) & 1, j2 = (hw2 >> 11) & 1;
  const u32 i1 = !(j1 ^ s), i2 = !(j2 ^ s);
  const u64 off = u64(s) << 24 | u64(i1) << 23 | u64(i2) << 22 | u64(hw1 & 0x3ff) << 12 | u64(hw2 & 0x7ff) << 1;
  return sext(off, 25);
}
u32 thumb_branch(u32 field, i64 off, bool bl) {
  const u32 s = off < 0, i1 = (off >> 23) & 1, i2 = (off >> 22) & 1;
  const u32 j1 = (!i1) ^ s, j2 = (!i2) ^ s;
  const u32 hw1 = (field & 0xf800) | s << 10 | u32((off >> 12) & 0x3ff);
  const u32 form = thumb_is_bw(field) ? 0x9000 : bl ? 0xd000 : 0xc000;  // B.W keeps its form
  const u32 hw2 = form | j1 << 13 | j2 << 11 | u32((off >> 1) & 0x7ff);
  return hw1 | hw2 << 16;
}
// movw/movt imm16: ARM imm4:imm12 (bits 19-16, 11-0); Thumb T3
// imm4:i:imm3:imm8 (hw1 bits 3-0 and 10, hw2 bits 14-12 and 7-0).
u32 half_get(u32 field, bool thumb) {
  if (!thumb) return ((field >> 4) & 0xf000) | (field & 0xfff);
  const u32 hw1 = field & 0xffff, hw2 = field >> 16;
  return (hw1 & 0xf) << 12 | ((hw1 >> 10) & 1) << 11 | ((hw2 >> 12) & 7) << 8 | (hw2 & 0xff);
}
u32 half_put(u32 field, u32 v, bool thumb) {
  v &= 0xffff;
  if (!thumb) return (field & 0xfff0f000) | (v & 0xf000) << 4 | (v & 0xfff);
  u32 hw1 = field & 0xffff, hw2 = field >> 16;
  hw1 = (hw1 & 0xfbf0) | (v >> 12) | ((v >> 11) & 1) << 10;
  hw2 = (hw2 & 0x8f00) | ((v >> 8) & 7) << 12 | (v & 0xff);
  return hw1 | hw2 << 16;
}

u32 field_width(const MachoRelocation& r) {
  switch (r.type) {
    case ARM_RELOC_BR24: case ARM_THUMB_RELOC_BR22: case ARM_RELOC_HALF: case ARM_RELOC_HALF_SECTDIFF: return 4;
    default: return 1u << r.length;
  }
}

u32 raw_field(const MachoScan& scan, const MachoRelocation& r) {
  if (scan.bytes.empty() || !in_bounds(r.address, 4, scan.bytes.size())) return 0;
  return load_le<u32>(scan.bytes.data() + r.address);
}

Error want(const MachoScan& scan, const MachoRelocation& r, bool pcrel, bool length_ok) {
  if (r.pcrel != pcrel)
    return scan.error(ErrorKind::Malformed, r, pcrel ? "is not pc-relative (r_pcrel 0), as its type must be"
                                                     : "is pc-relative (r_pcrel 1), which its type cannot be");
  if (!length_ok) return scan.error(ErrorKind::Malformed, r, format("has r_length %u, which its type does not take", r.length));
  return scan.check_field(r, field_width(r));
}

// The PAIR that must follow entry `index` (HALF, HALF_SECTDIFF, SECTDIFF):
// scattered exactly when its head is (a non-scattered PAIR carries only
// the other half), of the same r_length.
Error want_pair(const MachoScan& scan, u32 index) {
  const MachoRelocation& r = scan.relocations[index];
  if (index + 1 >= scan.relocations.size())
    return scan.error(ErrorKind::Malformed, r, "is the last entry: an ARM_RELOC_PAIR must follow it");
  const MachoRelocation& q = scan.relocations[index + 1];
  const bool scattered = r.type == ARM_RELOC_HALF ? r.scattered : true;
  if (q.type != ARM_RELOC_PAIR || q.length != r.length || q.pcrel || (r.type != ARM_RELOC_HALF && !q.scattered))
    return scan.error(ErrorKind::Malformed, r,
                      format("is followed by %.*s (r_length %u): its pair must be an ARM_RELOC_PAIR of the same r_length%s",
                             int(type_name(q.type).size()), type_name(q.type).data(), q.length,
                             scattered ? ", scattered" : ""));
  return Error::success();
}

// Whether a branch goes through a stub (the header's policy): extern, to a
// name bound by name or a global, with no addend; or non-extern, landing
// on a global's address (the assembler resolved a call to a global
// function in its own section: the stub is that function's).
Error stub_for_branch(MachoScan& scan, const MachoRelocation& r, const MachoTarget& t, RelocationEntry& e, u64 target_file,
                      u8 kind) {
  u32 sym = ~u32(0);
  if (r.scattered) return Error::success();
  if (r.external) {
    if ((t.by_name || t.global != ~u32(0)) && e.addend == 0) sym = r.symbolnum;
  } else if (!t.absolute && scan.global_at) {
    sym = scan.global_at(u64(u32(target_file)));
  }
  if (sym == ~u32(0)) return Error::success();
  e.flags |= kRelStub;
  scan.stub_kind = kind;
  scan.stub_symbol = sym;
  return Error::success();
}

Error scan(MachoScan& scan, u32 index, const MachoTarget& t, RelocationEntry& e) {
  const MachoRelocation& r = scan.relocations[index];
  const u64 P_file = scan.section_address + r.address;
  e.type = u16(entry_type(r.type, r.length, r.external && !r.scattered));
  if (t.absolute && r.type != ARM_RELOC_VANILLA && r.type != ARM_RELOC_HALF)
    return scan.error(ErrorKind::Unsupported, r, "is non-extern with r_symbolnum R_ABS (0): only VANILLA and HALF may be absolute");
  // The offset of a file address in the named (or r_value's) section.
  auto in_section = [&](u64 file_address) { return wrap32(i64(file_address) - i64(t.section_address)); };
  const bool ext = r.external && !r.scattered;
  switch (r.type) {
    case ARM_RELOC_VANILLA: {  // S + A, 4 bytes
      TRY(want(scan, r, false, r.length == 2));
      const i64 content = i32(raw_field(scan, r));
      e.addend = ext || t.absolute ? content : in_section(u64(content));
      return Error::success();
    }
    case ARM_RELOC_BR24: {  // S + A - (P + 8)
      TRY(want(scan, r, true, r.length == 2));
      const u32 insn = raw_field(scan, r);
      const u64 target_file = P_file + 8 + u64(arm_branch_offset(insn));
      e.addend = ext ? wrap32(i64(target_file)) : in_section(target_file);
      TRY(stub_for_branch(scan, r, t, e, target_file, kArmStubKind));
      return Error::success();
    }
    case ARM_THUMB_RELOC_BR22: {  // S + A - (P + 4), BLX from Align(P + 4, 4)
      TRY(want(scan, r, true, r.length == 2));
      const u32 f = raw_field(scan, r);
      if ((f & 0xf800) != 0xf000 || (((f >> 16) & 0xc000) != 0xc000 && !thumb_is_bw(f)))
        return scan.error(ErrorKind::Malformed, r, format("is on 0x%08x, not a Thumb BL, BLX or B.W", f));
      const u64 base = thumb_is_bl(f) ? P_file + 4 : (P_file + 4) & ~u64(3);
      const u64 target_file = base + u64(thumb_branch_offset(f));
      e.addend = ext ? wrap32(i64(target_file)) : in_section(target_file);
      TRY(stub_for_branch(scan, r, t, e, target_file, kThumbStubKind));
      return Error::success();
    }
    case ARM_RELOC_HALF: {  // S + A, one half of it
      TRY(want(scan, r, false, true));
      TRY(want_pair(scan, index));
      const bool hi = r.length & 1, thumb = r.length & 2;
      const u32 mine = half_get(raw_field(scan, r), thumb), other = scan.relocations[index + 1].address & 0xffff;
      const u32 whole = hi ? mine << 16 | other : other << 16 | mine;
      e.addend = ext || t.absolute ? i64(i32(whole)) : in_section(whole);
      return Error::success();
    }
    case ARM_RELOC_HALF_SECTDIFF:
    case ARM_RELOC_SECTDIFF:
    case ARM_RELOC_LOCAL_SECTDIFF: {  // A - B + k (HALF_SECTDIFF: one half of it)
      const bool half = r.type == ARM_RELOC_HALF_SECTDIFF;
      TRY(want(scan, r, false, half || r.length == 2));
      if (!r.scattered) return scan.error(ErrorKind::Malformed, r, "is not scattered: its minuend is an r_value");
      TRY(want_pair(scan, index));
      const MachoRelocation& pair = scan.relocations[index + 1];
      RelocationEntry b;
      u64 b_section = 0;
      if (!scan.section_of(pair.value, b, b_section))
        return scan.error(ErrorKind::Malformed, pair, format("has r_value 0x%x (the subtrahend), in no loaded section", pair.value));
      i64 content;
      if (half) {
        const bool hi = r.length & 1, thumb = r.length & 2;
        const u32 mine = half_get(raw_field(scan, r), thumb), other = pair.address & 0xffff;
        content = i32(hi ? mine << 16 | other : other << 16 | mine);
      } else {
        content = i32(raw_field(scan, r));
      }
      // (as i386.cc: S is A's section, the addend keeps rA's offset, k and + rB)
      e.addend = content + i64(pair.value) - i64(t.section_address);
      return Error::success();
    }
    case ARM_RELOC_PAIR: {
      const MachoRelocation* head = index ? &scan.relocations[index - 1] : nullptr;
      if (!head || (head->type != ARM_RELOC_HALF && head->type != ARM_RELOC_HALF_SECTDIFF &&
                    head->type != ARM_RELOC_SECTDIFF && head->type != ARM_RELOC_LOCAL_SECTDIFF))
        return scan.error(ErrorKind::Malformed, r, "follows no HALF, HALF_SECTDIFF or SECTDIFF");
      if (r.scattered) {
        u64 b_section = 0;
        scan.section_of(r.value, e, b_section);  // (checked by its head)
      }
      e.addend = 0;
      scan.owns_no_field = true;
      return Error::success();
    }
    case ARM_RELOC_PB_LA_PTR: {  // r_value moved (i386.cc)
      TRY(want(scan, r, false, r.length == 2));
      if (!r.scattered) return scan.error(ErrorKind::Malformed, r, "is not scattered: the lazy pointer's target is its r_value");
      e.addend = i64(r.value) - i64(t.section_address);
      return Error::success();
    }
  }
  return scan.error(ErrorKind::Unsupported, r, "has a type the Mach-O ARM loader does not know (ARM_THUMB_32BIT_BRANCH is obsolete)");
}

// An ARM branch. A name bound by name (f.L set): BL (or the B kept) to
// the ARM stub. Else direct, BL/BLX chosen by the target's mode when extern.
Error arm_branch(Fixup& f, bool external) {
  u32 insn = load_le<u32>(f.loc);
  const bool link = arm_is_blx(insn) || (insn >> 24) == 0xeb;  // BLX, or BL (always)
  if (f.L) {
    f.via = RelocationOutcome::Via::Stub;
    const i64 off = i64(f.L - (f.P + 8));
    if (!fits_signed(off, 26) || (off & 3)) return out_of_range(off, -(i64(1) << 25), (i64(1) << 25) - 4);
    insn = link ? 0xeb000000 | u32((off >> 2) & 0xffffff) : (insn & 0xff000000) | u32((off >> 2) & 0xffffff);
    store_le<u32>(f.loc, insn);
    f.value = u64(off);
    return Error::success();
  }
  const u64 T = f.S + u64(f.A);
  const bool thumb_target = external ? (T & 1) : arm_is_blx(insn);
  if (external && thumb_target && !link)
    return Error(ErrorKind::Unsupported, "is an ARM B (or conditional BL) to a Thumb function, which cannot switch modes");
  const u64 target = thumb_target ? T & ~u64(1) : T;
  const i64 off = i64(target - (f.P + 8));
  if (!fits_signed(off, 26) || (off & (thumb_target ? 1 : 3))) return out_of_range(off, -(i64(1) << 25), (i64(1) << 25) - 4);
  if (link && thumb_target) insn = 0xfa000000 | u32((off >> 1) & 1) << 24 | u32((off >> 2) & 0xffffff);
  else if (link) insn = 0xeb000000 | u32((off >> 2) & 0xffffff);
  else insn = (insn & 0xff000000) | u32((off >> 2) & 0xffffff);
  store_le<u32>(f.loc, insn);
  f.value = u64(off);
  return Error::success();
}

// A Thumb BL/BLX/B.W. A global (f.L set): BL (B.W stays B.W) to the Thumb stub.
// Else direct: BL to Thumb, BLX to ARM (by the target's mode when extern).
Error thumb_branch(Fixup& f, bool external) {
  const u32 field = load_le<u32>(f.loc);
  auto encode = [&](u64 target, bool bl) -> Error {
    const u64 base = bl ? f.P + 4 : (f.P + 4) & ~u64(3);
    const i64 off = i64(target - base);
    if (!fits_signed(off, 25) || (off & (bl ? 1 : 3))) return out_of_range(off, -(i64(1) << 24), (i64(1) << 24) - 2);
    store_le<u32>(f.loc, thumb_branch(field, off, bl));
    f.value = u64(off);
    return Error::success();
  };
  if (f.L) {
    f.via = RelocationOutcome::Via::Stub;
    return encode(f.L, true);
  }
  const u64 T = f.S + u64(f.A);
  const bool to_thumb = external ? (T & 1) : thumb_is_bl(field);
  if (!to_thumb && thumb_is_bw(field))
    return Error(ErrorKind::Unsupported, "is a Thumb B.W to an ARM function, which cannot switch modes");
  return encode(to_thumb ? T & ~u64(1) : T, to_thumb);
}

[[gnu::always_inline]] inline Error apply(Fixup& f, u64 B) {
  using Via = RelocationOutcome::Via;
  const u64 S = f.S, A = u64(f.A), P = f.P;
  const u32 length = (f.type >> kLengthShift) & 3;
  const bool external = f.type & kExternBit;
  f.effective = S + A;
  if (f.type & kEhPcrel32) {
    f.value = S + A - P;
    if (!fits_signed(i64(f.value), 32) && !fits_signed(i64(f.value) - (i64(1) << 32), 33))
      return out_of_range(i64(f.value), INT32_MIN, UINT32_MAX);
    store_le<u32>(f.loc, u32(f.value));
    return Error::success();
  }
  switch (f.type & 0xf) {
    case ARM_RELOC_VANILLA:
    case ARM_RELOC_PB_LA_PTR:
      f.value = S + A;
      return put_int_or_uint(f.loc, i64(f.value), 32);
    case ARM_RELOC_SECTDIFF:
    case ARM_RELOC_LOCAL_SECTDIFF:
      f.value = S + A - B;
      f.effective = 0;
      f.via = Via::None;
      return put_int_or_uint(f.loc, i64(f.value), 32);
    case ARM_RELOC_BR24:
      return arm_branch(f, external);
    case ARM_THUMB_RELOC_BR22:
      return thumb_branch(f, external);
    case ARM_RELOC_HALF:
    case ARM_RELOC_HALF_SECTDIFF: {
      const bool sectdiff = (f.type & 0xf) == ARM_RELOC_HALF_SECTDIFF;
      const u64 v = sectdiff ? S + A - B : S + A;
      if (sectdiff) {
        f.effective = 0;
        f.via = Via::None;
      }
      // The 32-bit word the pair stands for must be an address (or a
      // difference) of the 32-bit space.
      if (!fits_signed(i64(v), 32) && (v >> 32) != 0) return out_of_range(i64(v), INT32_MIN, UINT32_MAX);
      const bool hi = length & 1, thumb = length & 2;
      f.value = hi ? (v >> 16) & 0xffff : v & 0xffff;
      store_le<u32>(f.loc, half_put(load_le<u32>(f.loc), u32(f.value), thumb));
      return Error::success();
    }
  }
  return Error(ErrorKind::Unsupported, "has a type the Mach-O ARM loader cannot apply");
}

// The object's relocations (i386.cc's loop): a PAIR writes nothing; a
// SECTDIFF or HALF_SECTDIFF reads B from the PAIR after it.
void apply_runs_arm(ApplyContext& c) {
  ObjectState& obj = c.obj;
  const RelocationArch& arch = *obj.arch;
  const u32 file_count = obj.file_relocation_count;
  const RelocationEntry* const relocs = obj.relocs.data();
  for (const ObjectState::Run& run : obj.runs) {
    const LoadedSection& sec = c.sections[run.section];
    for (u32 k = run.first; k < run.end; k++) {
      const RelocationEntry& e = relocs[k];
      const bool report = c.record && k < file_count;
      const u64 base = c.bases[c.first_of_kind[u8(e.target_kind)] + e.target];
      const u32 rtype = e.type & 0xf;
      const bool own = e.type & kEhPcrel32;
      if ((e.target_kind == TargetKind::External && base == ~u64(0)) || (rtype == ARM_RELOC_PAIR && !own)) {
        if (report) obj.outcomes[k].via = RelocationOutcome::Via::None;
        continue;
      }
      Fixup f{sec.local + e.offset, sec.target + e.offset, base + e.sym_offset, e.addend, c.got, 0, 0, e.type};
      if (e.flags & kRelStub) f.L = c.stubs + u64(e.slot) * arch.stub_size;
      u64 B = 0;
      if (!own && (rtype == ARM_RELOC_SECTDIFF || rtype == ARM_RELOC_LOCAL_SECTDIFF || rtype == ARM_RELOC_HALF_SECTDIFF) &&
          k + 1 < run.end) {
        const RelocationEntry& pair = relocs[k + 1];
        B = c.bases[c.first_of_kind[u8(pair.target_kind)] + pair.target] + pair.sym_offset;
      }
      Error err = !(e.flags & kRelFails) ? apply(f, B) : refused_relocation(c, e);
      if (report) record_outcome(obj, k, f, !err);
      if (err) [[unlikely]]
        note_relocation_failure(c, sec, e, k, err);
    }
  }
}


const RelocationArch kReloc = {
    .name = "ARM (Mach-O)",
    .got_entry_size = 4,
    .stub_size = sizeof(kStub),
    .stub_align = 4,
    .stub_address_offset = 4,
    .abs64_type = kVanilla32,
    .tpoff64_type = kNone,
    .write_stub = write_stub,
    .type_name = type_name,
    .apply_runs = apply_runs_arm,
    .pc32_type = kNone,
};

}  // namespace

const MachoArch kArm = {
    .cputype = CPU_TYPE_ARM,
    .triple_arch = "armv7",
    .reloc = &kReloc,
    .scan = scan,
    .eh_pcrel64_type = kEhPcrel32,
    .tlv_offset_type = kNone,
    .tlv_key_type = kNone,
    .pair_type = ARM_RELOC_PAIR,
    .is32 = true,
    .field_width = field_width,
    .thumb_symbols = true,
    .write_stub_kind = write_stub_kind,
};

}  // namespace jitload::macho
