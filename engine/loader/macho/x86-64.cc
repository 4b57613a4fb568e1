// Mach-O x86-64 relocations, following Apple's <mach-o/x86_64/reloc.h>
// (the comment block there is the only specification) and ld64's reading
// of it; LLVM's RuntimeDyldMachOX86_64 is the behavioural oracle.
//
// What is unusual here, next to ELF x86-64:
// - Addends are implicit: the field holds them (REL, not RELA).
// - Every pc-relative field is relative to the end of the 4-byte field,
//   P + 4, whatever the instruction's length: SIGNED_1/2/4 say that 1, 2 or
//   4 bytes of immediate follow the field, and the assembler has already
//   folded that into the stored addend of an extern relocation.
// - A non-extern relocation names a section, not a symbol, and its field
//   holds the target's address *in the object file's address space*
//   (absolute forms) or the distance to it from the field's end
//   (pc-relative forms); loading moves the section, so the loader turns the
//   field into an offset from the named section's start.
// - SUBTRACTOR + UNSIGNED is a pair on one field: minuend - subtrahend +
//   the field's addend; either half may be extern or not.
// - GOT_LOAD (a movq that may be relaxed to leaq) and GOT (any other use,
//   e.g. the personality pointer in __eh_frame) go through one GOT slot per
//   symbol; BRANCH goes through a stub (jmp *0(%rip)) when the symbol may
//   lie beyond ±2 GiB.
// - TLV (thread-local variables): `movq _x@TLVP(%rip), %rdi; callq *(%rdi)`
//   reaches the descriptor _x {thunk, key, offset} in __thread_vars through
//   a GOT-like slot; where the code runs here (TlsStrategy::Dynamic) the
//   thunk is jitload's (tlv-thunk-x86-64.cc) and {key, offset} the tls_index
//   of the object's TLS module. Elsewhere (simulated targets) an
//   Unsupported error naming the relocation.
//
// Letters: S symbol, A addend, P place, G GOT slot, L stub, B subtrahend.
#include "engine/loader/core/apply-runs.h"
#include "engine/loader/core/encode.h"
#include "engine/loader/core/tls-runtime.h"
#include "engine/loader/macho/apply-loop.h"
#include "engine/loader/macho/macho.h"

namespace jitload::macho {
namespace {

// <mach-o/x86_64/reloc.h>, enum reloc_type_x86_64.
enum : u32 {
  X86_64_RELOC_UNSIGNED = 0,    // for absolute addresses
  X86_64_RELOC_SIGNED = 1,      // for signed 32-bit displacement
  X86_64_RELOC_BRANCH = 2,      // a CALL/JMP instruction with 32-bit displacement
  X86_64_RELOC_GOT_LOAD = 3,    // a MOVQ load of a GOT entry
  X86_64_RELOC_GOT = 4,         // other GOT references
  X86_64_RELOC_SUBTRACTOR = 5,  // must be followed by a X86_64_RELOC_UNSIGNED
  X86_64_RELOC_SIGNED_1 = 6,    // for signed 32-bit displacement with a -1 addend
  X86_64_RELOC_SIGNED_2 = 7,    // for signed 32-bit displacement with a -2 addend
  X86_64_RELOC_SIGNED_4 = 8,    // for signed 32-bit displacement with a -4 addend
  X86_64_RELOC_TLV = 9,         // for thread local variables
};

// Entry types (RelocationEntry::type): the file's type in bits 0-3, its
// r_length in bits 4-5; and two of the loader's own.
constexpr u32 kLengthShift = 4;
constexpr u32 kEhPcrel64 = kEhPcrel;
constexpr u32 kTlvOffset = 0x400;       // a TLV descriptor's offset word: S + A - the module's key
constexpr u32 kTlvKey = 0x800;          // a TLV descriptor's key word: S's module key
constexpr u32 entry_type(u32 type, u32 length) { return type | length << kLengthShift; }
constexpr u32 kUnsigned64 = entry_type(X86_64_RELOC_UNSIGNED, 3);  // GOT and stub fills

std::string_view type_name(u32 type) {
  if (type & kEhPcrel64) return "X86_64_RELOC_UNSIGNED (FDE address fix-up)";
  if (type & kTlvOffset) return "X86_64_RELOC_UNSIGNED (TLV descriptor offset)";
  if (type & kTlvKey) return "TLV descriptor key";
  switch (type & 0xf) {
    case X86_64_RELOC_UNSIGNED: return "X86_64_RELOC_UNSIGNED";
    case X86_64_RELOC_SIGNED: return "X86_64_RELOC_SIGNED";
    case X86_64_RELOC_BRANCH: return "X86_64_RELOC_BRANCH";
    case X86_64_RELOC_GOT_LOAD: return "X86_64_RELOC_GOT_LOAD";
    case X86_64_RELOC_GOT: return "X86_64_RELOC_GOT";
    case X86_64_RELOC_SUBTRACTOR: return "X86_64_RELOC_SUBTRACTOR";
    case X86_64_RELOC_SIGNED_1: return "X86_64_RELOC_SIGNED_1";
    case X86_64_RELOC_SIGNED_2: return "X86_64_RELOC_SIGNED_2";
    case X86_64_RELOC_SIGNED_4: return "X86_64_RELOC_SIGNED_4";
    case X86_64_RELOC_TLV: return "X86_64_RELOC_TLV";
  }
  return unknown_type_name(type & 0xf);
}

// The far-call stub: jmp *0(%rip) and the 64-bit target (as ELF x86-64's).
constexpr u8 kStub[16] = {
    0xff, 0x25, 0x00, 0x00, 0x00, 0x00,              // jmp *0x0(%rip)
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // .quad target
    0xcc, 0xcc,                                      // int3; int3 (padding)
};
void write_stub(u8* where) { std::memcpy(where, kStub, sizeof kStub); }

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

// The addend of a non-extern relocation: the field's contents turned from
// an object-file address (or a distance from the field's end to one) into
// an offset from the start of the section it names.
i64 section_relative(const MachoScan& scan, const MachoRelocation& r, const MachoTarget& t, i64 content) {
  if (r.pcrel) return i64(u64(content) + scan.section_address + r.address + 4 - t.section_address);
  return i64(u64(content) - t.section_address);
}

Error scan(MachoScan& scan, u32 index, const MachoTarget& t, RelocationEntry& e) {
  const MachoRelocation& r = scan.relocations[index];
  const bool paired = scan.after_subtractor;
  scan.after_subtractor = false;
  if (paired && r.type != X86_64_RELOC_UNSIGNED)
    return scan.error(ErrorKind::Malformed, r, "follows an X86_64_RELOC_SUBTRACTOR, which must be followed by an X86_64_RELOC_UNSIGNED");
  if (t.absolute && r.type != X86_64_RELOC_UNSIGNED)
    return scan.error(ErrorKind::Unsupported, r, "is non-extern with r_symbolnum R_ABS (0): only X86_64_RELOC_UNSIGNED may be absolute");
  switch (r.type) {
    case X86_64_RELOC_UNSIGNED: {  // S + A, 32 or 64 bits (paired: S + A - B)
      TRY(want(scan, r, false, true, true));
      i64 content = scan.read_field(r, u64(1) << r.length);
      e.addend = r.external || t.absolute ? content : section_relative(scan, r, t, content);
      e.type = u16(entry_type(r.type, r.length));
      if (paired) {
        // Modulo 2^64, as the field's S + A - B is: a file's contents and
        // section address may be anything (signed i64 overflow is UB).
        e.addend = i64(u64(e.addend) + u64(scan.subtrahend_adjust));
        e.type |= kPairedUnsigned;
      }
      // A TLV descriptor {thunk, key, offset} (24 bytes): its offset word
      // points at the variable's initial value in __thread_data or
      // __thread_bss; served, it is the offset in the object's TLS block.
      if (scan.tlv_descriptors && scan.dynamic_tls && !paired && r.length == 3 && r.address % 24 == 16) {
        e.type = u16(kTlvOffset);
        e.flags |= kRelDynamicTls;
        scan.saw_dynamic_tls = true;
      }
      return Error::success();
    }
    case X86_64_RELOC_SUBTRACTOR: {  // B, the subtrahend of the UNSIGNED that follows
      TRY(want(scan, r, false, true, true));
      TRY(scan.subtractor_pair(r, index, X86_64_RELOC_UNSIGNED));
      if (t.absolute) return scan.error(ErrorKind::Unsupported, r, "subtracts R_ABS (0), which names no section");
      e.type = u16(entry_type(r.type, r.length));
      e.addend = 0;
      // A non-extern subtrahend is an address in the object file: the
      // field's addend holds minus it (B's offset is then measured from
      // its section, which the entry names).
      scan.after_subtractor = true;
      scan.subtrahend_adjust = r.external ? 0 : i64(t.section_address);
      return Error::success();
    }
    case X86_64_RELOC_SIGNED:     // S + A - (P + 4)
    case X86_64_RELOC_SIGNED_1:   // the same: the -1 is in A already (extern) or cancels (non-extern)
    case X86_64_RELOC_SIGNED_2:
    case X86_64_RELOC_SIGNED_4:
    case X86_64_RELOC_BRANCH: {   // S + A - (P + 4), or L + A - (P + 4) beyond ±2 GiB
      TRY(want(scan, r, true, true, false));
      i64 content = scan.read_field(r, 4);
      e.addend = r.external ? content : section_relative(scan, r, t, content);
      e.type = u16(entry_type(r.type, r.length));
      if (r.type == X86_64_RELOC_BRANCH && t.by_name) e.flags |= kRelStub;
      return Error::success();
    }
    case X86_64_RELOC_GOT_LOAD:   // G + A - (P + 4)
    case X86_64_RELOC_GOT: {
      TRY(want(scan, r, true, true, false));
      if (!r.external)
        return scan.error(ErrorKind::Malformed, r, "is not extern (r_extern 0): a GOT slot is a symbol's");
      e.addend = scan.read_field(r, 4);
      e.type = u16(entry_type(r.type, r.length));
      e.flags |= kRelGot | kRelNeedsGot;
      return Error::success();
    }
    case X86_64_RELOC_TLV:  // G + A - (P + 4): a slot holding the descriptor's address
      TRY(want(scan, r, true, true, false));
      if (!scan.dynamic_tls)
        return scan.error(ErrorKind::Unsupported, r,
                          "is a thread-local variable access: Mach-O TLV descriptors are not supported yet "
                          "where the code does not run here (served under jitload exec and rtdyld -execute)");
      if (!r.external)
        return scan.error(ErrorKind::Malformed, r, "is not extern (r_extern 0): it names a TLV descriptor");
      e.addend = scan.read_field(r, 4);
      e.type = u16(entry_type(r.type, r.length));
      e.flags |= kRelGot | kRelNeedsGot;
      return Error::success();
  }
  return scan.error(ErrorKind::Unsupported, r, "has a type the Mach-O x86-64 loader does not know");
}

// One relocation's value, computed then encoded. B is the subtrahend's
// address for the UNSIGNED half of a SUBTRACTOR pair.
[[gnu::always_inline]] inline Error apply(Fixup& f, u64 B) {
  using Via = RelocationOutcome::Via;
  const u64 S = f.S, A = u64(f.A), P = f.P;
  const u32 length = (f.type >> kLengthShift) & 3;
  f.effective = S + A;
  if (f.type & kEhPcrel64) {  // S + A - P, 64 bits
    f.value = S + A - P;
    put_64(f.loc, f.value);
    return Error::success();
  }
  switch (f.type & 0xf) {
    case X86_64_RELOC_UNSIGNED: {  // S + A (paired: S + A - B); 32 bits read either way
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
    case X86_64_RELOC_SIGNED:
    case X86_64_RELOC_SIGNED_1:
    case X86_64_RELOC_SIGNED_2:
    case X86_64_RELOC_SIGNED_4:
      f.value = S + A - (P + 4);
      return put_s32(f.loc, i64(f.value));
    case X86_64_RELOC_BRANCH: {
      i64 direct = i64(S + A - (P + 4));
      if (fits_signed(direct, 32) || !f.L) {
        f.value = u64(direct);
        return put_s32(f.loc, direct);
      }
      f.via = Via::Stub;
      f.value = f.L + A - (P + 4);
      return put_s32(f.loc, i64(f.value));
    }
    case X86_64_RELOC_GOT_LOAD:
    case X86_64_RELOC_GOT:
    case X86_64_RELOC_TLV:
      f.via = Via::Got;
      f.effective = S;
      f.value = f.G + A - (P + 4);
      return put_s32(f.loc, i64(f.value));
  }
  return Error(ErrorKind::Unsupported, "has a type the Mach-O x86-64 loader cannot apply");
}

// The object's relocations: apply_runs (core/apply-runs.h) with two
// Mach-O rules. A SUBTRACTOR entry writes nothing: it hands its address B
// to the UNSIGNED entry that follows it. And an external bound to the
// address 2^64-1 has its relocations left unapplied, as in LLVM's
// RuntimeDyld (llvm-rtdyld's -dummy-extern NAME=0xffffffffffffffff).
void apply_runs_macho(ApplyContext& c) {
  apply_runs_with_subtractor<apply, X86_64_RELOC_SUBTRACTOR>(c, [&](const RelocationEntry& e, const LoadedSection&, u32 k, bool report) {
    // Dynamic TLS entries: apply_dynamic_tls_entries (core/tls-loader.h), after this loop.
    if (!(e.flags & kRelDynamicTls)) return false;
    if (report) c.obj.outcomes[k].via = RelocationOutcome::Via::None;
    return true;
  });
}

// A TLV descriptor's key and offset words (TlsStrategy::Dynamic): S of a
// thread-local symbol is its module's key plus its offset in the module's
// block (core/tls-runtime.h), so {key, offset} is the tls_index the thunk
// hands to jitload's __tls_get_addr.
Error apply_dynamic_tls(Fixup& f) {
  if (!tls::is_key_address(f.S))
    return Error(ErrorKind::Unsupported, "is a TLV descriptor whose initial value is not in a thread-local section");
  const u64 key = tls::module_key(f.S);
  f.value = (f.type & kTlvKey) ? key : f.S + u64(f.A) - key;
  f.effective = 0;
  f.via = RelocationOutcome::Via::None;
  put_64(f.loc, f.value);
  return Error::success();
}

const RelocationArch kReloc = {
    .name = "x86-64 (Mach-O)",
    .got_entry_size = 8,
    .stub_size = sizeof(kStub),
    .stub_align = 16,
    .stub_address_offset = 6,
    .abs64_type = kUnsigned64,
    .tpoff64_type = kNone,
    .write_stub = write_stub,
    .type_name = type_name,
    .apply_runs = apply_runs_macho,
    .apply_dynamic_tls = apply_dynamic_tls,
    .pc32_type = entry_type(X86_64_RELOC_SIGNED, 2),
};

}  // namespace

const MachoArch kX86_64 = {
    .cputype = CPU_TYPE_X86_64,
    .triple_arch = "x86_64",
    .reloc = &kReloc,
    .scan = scan,
    .eh_pcrel64_type = kEhPcrel64,
    .tlv_offset_type = kTlvOffset,
    .tlv_key_type = kTlvKey,
};

}  // namespace jitload::macho
