// Mach-O i386 relocations, following Apple's <mach-o/reloc.h> (the generic
// relocation types, whose comments are the only specification), ld64's
// reading of them, and dyld's for the prebound lazy pointer; LLVM's
// RuntimeDyldMachOI386 is the behavioural oracle where it implements a type.
//
// What is unusual here, next to x86-64 Mach-O:
// - Entries may be scattered (R_SCATTERED in r_address): instead of a
//   symbol or a section ordinal they carry r_value, an address of the
//   object file, which names the target by the section holding it (so
//   `_a + 100` is not mistaken for whatever lies 100 bytes after _a). The
//   loader binds a scattered entry to that section (loader.cc); the field
//   still holds the whole file address (plus addend), as a non-extern
//   entry's does, and becomes an offset in that section.
// - A pc-relative field is relative to its own end, P + 2^r_length, and an
//   extern one holds A - (the field's end in the file): the assembler
//   measured from the file address, so the addend is content + that end.
// - SECTDIFF and LOCAL_SECTDIFF (scattered) write A - B + addend, where A
//   is their r_value and B the r_value of the GENERIC_RELOC_PAIR that must
//   follow; the field holds A - B + addend in file addresses, so each
//   address moves with its own section. (LOCAL_SECTDIFF says A is a
//   non-external symbol; a loader treats both alike: both are addresses.)
// - PB_LA_PTR (scattered) marks a prebound lazy pointer: the field holds a
//   prebound address that is not trusted, and dyld resets the pointer to
//   r_value moved with its section. That is what is written here: the
//   field's contents are ignored.
// - TLV (`movl _x@TLVP, %eax; calll *(%eax)`): an absolute 32-bit field
//   that holds the address of a slot holding the address of the TLV
//   descriptor _x (ld64's non-relaxed form); one slot per symbol. clang's
//   PIC code (`movl _x@TLVP-Lpicbase(%esi), %eax`) makes it pc-relative:
//   the field holds the distance from its end to the pic base, which is
//   the addend, and gets G + A - (P + 4) = G - picbase (ld64's pc-relative
//   TLV load).
// - Thirty-two-bit addresses: an absolute 4-byte field takes
//   [-2^31, 2^32); a pc-relative 4-byte one any distance between two
//   32-bit addresses, (-2^32, 2^32), written modulo 2^32 (the address
//   space wraps); a 1- or 2-byte field the usual ranges. No stub: a 4-byte
//   displacement reaches the whole 32-bit space.
//
// Letters: S symbol (or section + offset), A addend, P place, W the
// field's width in bytes, G GOT slot, B the PAIR's address.
#include "engine/loader/core/apply-runs.h"
#include "engine/loader/core/encode.h"
#include "engine/loader/macho/apply-loop.h"
#include "engine/loader/macho/macho.h"

namespace jitload::macho {
namespace {

// <mach-o/reloc.h>, enum reloc_type_generic.
enum : u32 {
  GENERIC_RELOC_VANILLA = 0,         // generic relocation as described above
  GENERIC_RELOC_PAIR = 1,            // only follows a GENERIC_RELOC_SECTDIFF
  GENERIC_RELOC_SECTDIFF = 2,
  GENERIC_RELOC_PB_LA_PTR = 3,       // prebound lazy pointer
  GENERIC_RELOC_LOCAL_SECTDIFF = 4,
  GENERIC_RELOC_TLV = 5,             // thread local variables
};

// Entry types: r_type in bits 0-3, r_length in bits 4-5, r_pcrel in bit 6;
// and the loader's own FDE fix-up.
constexpr u32 kLengthShift = 4;
constexpr u32 kPcrelBit = 0x40;
constexpr u32 kEhPcrel32 = kEhPcrel;  // S + A - P, 32 bits (loader.cc, "EH frames")
constexpr u32 entry_type(u32 type, u32 length, bool pcrel) {
  return type | length << kLengthShift | (pcrel ? kPcrelBit : 0);
}
constexpr u32 kVanilla32 = entry_type(GENERIC_RELOC_VANILLA, 2, false);  // GOT fills

std::string_view type_name(u32 type) {
  if (type & kEhPcrel32) return "GENERIC_RELOC_VANILLA (FDE address fix-up)";
  switch (type & 0xf) {
    case GENERIC_RELOC_VANILLA: return "GENERIC_RELOC_VANILLA";
    case GENERIC_RELOC_PAIR: return "GENERIC_RELOC_PAIR";
    case GENERIC_RELOC_SECTDIFF: return "GENERIC_RELOC_SECTDIFF";
    case GENERIC_RELOC_PB_LA_PTR: return "GENERIC_RELOC_PB_LA_PTR";
    case GENERIC_RELOC_LOCAL_SECTDIFF: return "GENERIC_RELOC_LOCAL_SECTDIFF";
    case GENERIC_RELOC_TLV: return "GENERIC_RELOC_TLV";
  }
  return unknown_type_name(type & 0xf);
}

void write_stub(u8*) {}  // (no stubs on i386)

Error want(const MachoScan& scan, const MachoRelocation& r, bool pcrel_ok, bool abs_ok, u32 max_length) {
  if (r.pcrel && !pcrel_ok) return scan.error(ErrorKind::Malformed, r, "is pc-relative (r_pcrel 1), which its type cannot be");
  if (!r.pcrel && !abs_ok) return scan.error(ErrorKind::Malformed, r, "is not pc-relative (r_pcrel 0), as its type must be");
  if (r.length > max_length)
    return scan.error(ErrorKind::Malformed, r,
                      format("has r_length %u; its type takes %s", r.length, max_length == 2 ? "0, 1 or 2 (1 to 4 bytes)" : "2 (4 bytes)"));
  if (max_length == 2 && r.length < 2 && r.type != GENERIC_RELOC_VANILLA && r.type != GENERIC_RELOC_SECTDIFF &&
      r.type != GENERIC_RELOC_LOCAL_SECTDIFF)
    return scan.error(ErrorKind::Malformed, r, format("has r_length %u; its type takes 2 (4 bytes)", r.length));
  return scan.check_field(r, u64(1) << r.length);
}

// A 32-bit offset, as the 32-bit address space computes it: modulo 2^32,
// read as signed (a target before its section's start is a small negative).
i64 wrap32(i64 v) { return i64(i32(u32(u64(v)))); }

Error scan(MachoScan& scan, u32 index, const MachoTarget& t, RelocationEntry& e) {
  const MachoRelocation& r = scan.relocations[index];
  const u64 W = u64(1) << r.length;
  const u64 P_file = scan.section_address + r.address;
  e.type = u16(entry_type(r.type, r.length, r.pcrel));
  if (t.absolute && r.type != GENERIC_RELOC_VANILLA)
    return scan.error(ErrorKind::Unsupported, r, "is non-extern with r_symbolnum R_ABS (0): only GENERIC_RELOC_VANILLA may be absolute");
  switch (r.type) {
    case GENERIC_RELOC_VANILLA: {  // S + A, or S + A - (P + W)
      TRY(want(scan, r, true, true, 2));
      if (t.absolute && r.pcrel)
        return scan.error(ErrorKind::Unsupported, r, "is pc-relative to R_ABS (0), an absolute address: position-dependent in a way no loader can keep");
      const i64 content = scan.read_field(r, W);
      const i64 end = r.pcrel ? i64(P_file + W) : 0;  // what a pc-relative field was measured from
      if (r.external || t.absolute) e.addend = r.pcrel ? wrap32(content + end) : content;
      else e.addend = wrap32(content + end - i64(t.section_address));  // non-extern, or scattered: an offset in the section
      return Error::success();
    }
    case GENERIC_RELOC_SECTDIFF:
    case GENERIC_RELOC_LOCAL_SECTDIFF: {  // A - B + addend (B: the PAIR's r_value)
      TRY(want(scan, r, false, true, 2));
      if (!r.scattered)
        return scan.error(ErrorKind::Malformed, r, "is not scattered: its minuend is an r_value");
      if (index + 1 >= scan.relocations.size())
        return scan.error(ErrorKind::Malformed, r, "is the last entry: a GENERIC_RELOC_PAIR must follow it");
      const MachoRelocation& pair = scan.relocations[index + 1];
      if (pair.type != GENERIC_RELOC_PAIR || !pair.scattered || pair.length != r.length || pair.pcrel)
        return scan.error(ErrorKind::Malformed, r,
                          format("is followed by %.*s (%sscattered, r_length %u): its pair must be a scattered "
                                 "GENERIC_RELOC_PAIR of the same r_length",
                                 int(type_name(pair.type).size()), type_name(pair.type).data(), pair.scattered ? "" : "not ",
                                 pair.length));
      RelocationEntry b;
      u64 b_section = 0;
      if (!scan.section_of(pair.value, b, b_section))
        return scan.error(ErrorKind::Malformed, pair, format("has r_value 0x%x (the subtrahend), in no loaded section", pair.value));
      // The field: rA - rB + addend. S is A's section (offset 0): A keeps
      // rA's offset in it, the addend and + rB (the PAIR's S is B's
      // section plus rB's offset, subtracted at apply).
      e.addend = scan.read_field(r, W) + i64(pair.value) - i64(t.section_address);
      return Error::success();
    }
    case GENERIC_RELOC_PAIR: {  // B, for the SECTDIFF before it
      if (index == 0 || (scan.relocations[index - 1].type != GENERIC_RELOC_SECTDIFF &&
                         scan.relocations[index - 1].type != GENERIC_RELOC_LOCAL_SECTDIFF) ||
          !scan.relocations[index - 1].scattered)
        return scan.error(ErrorKind::Malformed, r, "follows no GENERIC_RELOC_SECTDIFF or GENERIC_RELOC_LOCAL_SECTDIFF");
      // (The SECTDIFF's scan checked it: scattered, its r_value in a section.)
      u64 b_section = 0;
      scan.section_of(r.value, e, b_section);
      e.addend = 0;
      scan.owns_no_field = true;
      return Error::success();
    }
    case GENERIC_RELOC_PB_LA_PTR: {  // rValue moved with its section; the field's prebound value ignored
      TRY(want(scan, r, false, true, 2));
      if (!r.scattered) return scan.error(ErrorKind::Malformed, r, "is not scattered: the lazy pointer's target is its r_value");
      e.addend = i64(r.value) - i64(t.section_address);
      return Error::success();
    }
    case GENERIC_RELOC_TLV: {  // G + A: a slot holding the descriptor's address
      TRY(want(scan, r, true, true, 2));  // pcrel: clang's PIC form (header)
      if (r.scattered || !r.external)
        return scan.error(ErrorKind::Malformed, r, "is not extern (r_extern 0): it names a TLV descriptor");
      e.addend = scan.read_field(r, 4);
      e.flags |= kRelGot | kRelNeedsGot;
      return Error::success();
    }
  }
  return scan.error(ErrorKind::Unsupported, r, "has a type the Mach-O i386 loader does not know");
}

// Writes v into a W-byte field. Absolute fields take [-2^(8W-1), 2^(8W));
// a pc-relative 4-byte field any 32-bit distance, (-2^32, 2^32), modulo
// 2^32; a shorter pc-relative field [-2^(8W-1), 2^(8W-1)).
Error put_field(u8* loc, i64 v, u32 length, bool pcrel) {
  const unsigned bits = 8u << length;
  if (pcrel && bits == 32) {
    if (v <= -(i64(1) << 32) || v >= (i64(1) << 32)) return out_of_range(v, -(i64(1) << 32) + 1, (i64(1) << 32) - 1);
    store_le<u32>(loc, u32(u64(v)));
    return Error::success();
  }
  if (pcrel) return bits == 16 ? put_s16(loc, v) : put_s8(loc, v);
  return put_int_or_uint(loc, v, bits);
}

[[gnu::always_inline]] inline Error apply(Fixup& f, u64 B) {
  using Via = RelocationOutcome::Via;
  const u64 S = f.S, A = u64(f.A), P = f.P;
  const u32 length = (f.type >> kLengthShift) & 3;
  const bool pcrel = f.type & kPcrelBit;
  f.effective = S + A;
  if (f.type & kEhPcrel32) {
    f.value = S + A - P;
    return put_field(f.loc, i64(f.value), 2, true);
  }
  switch (f.type & 0xf) {
    case GENERIC_RELOC_VANILLA:
    case GENERIC_RELOC_PB_LA_PTR:
      f.value = pcrel ? S + A - (P + (u64(1) << length)) : S + A;
      return put_field(f.loc, i64(f.value), length, pcrel);
    case GENERIC_RELOC_SECTDIFF:
    case GENERIC_RELOC_LOCAL_SECTDIFF:
      f.value = S + A - B;
      f.effective = 0;
      f.via = Via::None;
      return put_field(f.loc, i64(f.value), length, false);
    case GENERIC_RELOC_TLV:
      f.via = Via::Got;
      f.effective = S;
      f.value = pcrel ? f.G + A - (P + 4) : f.G + A;
      return put_field(f.loc, i64(f.value), 2, pcrel);
  }
  return Error(ErrorKind::Unsupported, "has a type the Mach-O i386 loader cannot apply");
}

// The object's relocations: apply_runs (core/apply-runs.h) with the pairs
// of 32-bit Mach-O. A PAIR writes nothing: the SECTDIFF before it reads
// its address B. An external bound to 2^64-1 is left unapplied, as in
// LLVM's RuntimeDyld (llvm-rtdyld's -dummy-extern NAME=0xffffffffffffffff).
void apply_runs_i386(ApplyContext& c) {
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
      if ((e.target_kind == TargetKind::External && base == ~u64(0)) ||
          (rtype == GENERIC_RELOC_PAIR && !(e.type & kEhPcrel32))) {
        if (report) obj.outcomes[k].via = RelocationOutcome::Via::None;
        continue;
      }
      Fixup f{sec.local + e.offset, sec.target + e.offset, base + e.sym_offset, e.addend, c.got, 0, 0, e.type};
      if (e.flags & kRelGot) f.G = c.got + u64(e.slot) * arch.got_entry_size;
      u64 B = 0;
      if ((rtype == GENERIC_RELOC_SECTDIFF || rtype == GENERIC_RELOC_LOCAL_SECTDIFF) && !(e.type & kEhPcrel32) &&
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
    .name = "i386 (Mach-O)",
    .got_entry_size = 4,
    .stub_size = 0,
    .stub_align = 4,
    .stub_address_offset = 0,
    .abs64_type = kVanilla32,
    .tpoff64_type = kNone,
    .write_stub = write_stub,
    .type_name = type_name,
    .apply_runs = apply_runs_i386,
    .pc32_type = entry_type(GENERIC_RELOC_VANILLA, 2, true),
};

}  // namespace

const MachoArch kI386 = {
    .cputype = CPU_TYPE_X86,
    .triple_arch = "i386",
    .reloc = &kReloc,
    .scan = scan,
    .eh_pcrel64_type = kEhPcrel32,
    .tlv_offset_type = kNone,
    .tlv_key_type = kNone,
    .pair_type = GENERIC_RELOC_PAIR,
    .is32 = true,
};

}  // namespace jitload::macho
