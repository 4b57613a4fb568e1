#include "engine/loader/core/eh-frame.h"

#include <algorithm>

#include "engine/loader/core/reader.h"

namespace jitload {
namespace {

// DWARF exception-header pointer encodings (LSB, "DWARF Exception Header
// Encoding"): the low nibble is the format, bits 4-6 the application, bit 7
// "indirect".
constexpr u8 DW_EH_PE_absptr = 0x00;
constexpr u8 DW_EH_PE_uleb128 = 0x01;
constexpr u8 DW_EH_PE_udata2 = 0x02;
constexpr u8 DW_EH_PE_udata4 = 0x03;
constexpr u8 DW_EH_PE_udata8 = 0x04;
constexpr u8 DW_EH_PE_sleb128 = 0x09;
constexpr u8 DW_EH_PE_sdata2 = 0x0a;
constexpr u8 DW_EH_PE_sdata4 = 0x0b;
constexpr u8 DW_EH_PE_sdata8 = 0x0c;
constexpr u8 DW_EH_PE_pcrel = 0x10;
constexpr u8 DW_EH_PE_indirect = 0x80;
constexpr u8 DW_EH_PE_omit = 0xff;

// Size of a fixed-size encoded value; 0 for the LEB128 forms and anything
// unknown.
u32 fixed_size(u8 enc) {
  switch (enc & 0x0f) {
    case DW_EH_PE_absptr: return sizeof(void*);
    case DW_EH_PE_udata2:
    case DW_EH_PE_sdata2: return 2;
    case DW_EH_PE_udata4:
    case DW_EH_PE_sdata4: return 4;
    case DW_EH_PE_udata8:
    case DW_EH_PE_sdata8: return 8;
    default: return 0;
  }
}

bool known_format(u8 enc) {
  u8 f = enc & 0x0f;
  return fixed_size(enc) != 0 || f == DW_EH_PE_uleb128 || f == DW_EH_PE_sleb128;
}

// libgcc sizes FDE fields with size_of_encoded_value, which aborts on LEB128
// forms, and computes their base with base_from_object, which aborts on
// funcrel: so the FDE encoding must be fixed-size, absolute or pc-relative.
bool acceptable_fde_encoding(u8 enc) {
  return fixed_size(enc) != 0 && (enc & 0x70) <= DW_EH_PE_pcrel && !(enc & DW_EH_PE_indirect);
}

// Personality and LSDA pointers are read by the personality routine with the
// full decoder; still keep to what compilers emit.
bool acceptable_pointer_encoding(u8 enc) {
  return known_format(enc) && (enc & 0x70) <= DW_EH_PE_pcrel;
}

// A bounded cursor over one record.
struct Cursor {
  const u8* data;
  u64 pos;
  u64 end;

  bool byte(u8& out) {
    if (pos >= end) return false;
    out = data[pos++];
    return true;
  }
  bool skip(u64 n) {
    if (n > end - pos) return false;
    pos += n;
    return true;
  }
  bool leb128(u64* out = nullptr) {
    u64 value = 0;
    for (u32 i = 0;; i++) {
      u8 b;
      if (!byte(b)) return false;
      if (i < 10) value |= u64(b & 0x7f) << (7 * i);
      if (!(b & 0x80)) break;
      if (i == 9) return false;  // more than 10 bytes: not a 64-bit value
    }
    if (out) *out = value;
    return true;
  }
  // An encoded pointer's bytes; LEB128 forms have variable length.
  bool encoded(u8 enc) {
    if (u32 n = fixed_size(enc)) return skip(n);
    return leb128();
  }
};

struct CieInfo {
  u64 offset;
  u8 fde_encoding;
  bool has_z;
  u8 fde_size = 0;  // bytes of each of pc_begin and pc_range in its FDEs
};

Error bad(u64 off, const char* what) {
  return Error(ErrorKind::Malformed, format(".eh_frame+%s: %s", hex(off).c_str(), what), off);
}

}  // namespace

Expected<EhFrameLayout> parse_eh_frame(std::span<const u8> bytes) {
  EhFrameLayout layout;
  std::vector<CieInfo> cies;  // in increasing offset order: binary-searchable
  const CieInfo* last_cie = nullptr;  // the CIE of the previous FDE (into cies)
  // Compilers' FDEs are 24 bytes and up (most 32-80): room for the usual
  // count up front, so the array is not copied as it grows.
  layout.fdes.reserve(bytes.size() / 32);
  const u8* data = bytes.data();
  const u64 size = bytes.size();
  u64 off = 0;

  while (off < size) {
    if (!in_bounds(off, 4, size)) return bad(off, "truncated record length");
    u32 length = load_le<u32>(data + off);
    if (length == 0) {
      layout.terminated = true;
      break;
    }
    if (length == 0xffffffff)
      return Error(ErrorKind::Unsupported,
                   format(".eh_frame+%s: 64-bit DWARF record", hex(off).c_str()), off);
    if (!in_bounds(off + 4, length, size)) return bad(off, "record extends past the end of the section");
    if (length < 4) return bad(off, "record too short for its CIE id");
    const u64 body = off + 8;  // after length and id
    const u64 end = off + 4 + u64(length);
    u32 id = load_le<u32>(data + off + 4);

    if (id == 0) {
      // CIE.
      Cursor c{data, body, end};
      u8 version;
      if (!c.byte(version)) return bad(off, "CIE without a version");
      if (version != 1 && version != 3) return bad(off, "CIE version is neither 1 nor 3");
      const u64 aug_start = c.pos;
      const u8* nul = static_cast<const u8*>(memchr(data + aug_start, 0, end - aug_start));
      if (!nul) return bad(off, "CIE augmentation string is not terminated inside the record");
      std::string_view aug(reinterpret_cast<const char*>(data + aug_start), nul - (data + aug_start));
      c.pos = aug_start + aug.size() + 1;
      if (!c.leb128()) return bad(off, "CIE code alignment factor runs past the record");
      if (!c.leb128()) return bad(off, "CIE data alignment factor runs past the record");
      if (version == 1 ? !c.skip(1) : !c.leb128())
        return bad(off, "CIE return address register runs past the record");

      CieInfo info{off, DW_EH_PE_absptr, false};
      if (!aug.empty()) {
        if (aug[0] != 'z') return bad(off, "CIE augmentation does not start with 'z'");
        info.has_z = true;
        u64 aug_len;
        if (!c.leb128(&aug_len) || aug_len > end - c.pos)
          return bad(off, "CIE augmentation data runs past the record");
        Cursor a{data, c.pos, c.pos + aug_len};
        bool after_unknown_to_libgcc = false;
        for (char letter : aug.substr(1)) {
          u8 enc;
          switch (letter) {
            case 'R':
              if (after_unknown_to_libgcc) return bad(off, "CIE augmentation has 'R' after 'S' or 'G'");
              if (!a.byte(enc)) return bad(off, "CIE 'R' encoding runs past the augmentation data");
              if (!acceptable_fde_encoding(enc)) return bad(off, "CIE FDE pointer encoding is not supported");
              info.fde_encoding = enc;
              break;
            case 'P':
              if (!a.byte(enc)) return bad(off, "CIE 'P' encoding runs past the augmentation data");
              if (enc == DW_EH_PE_omit || !acceptable_pointer_encoding(enc))
                return bad(off, "CIE personality encoding is not supported");
              if (!a.encoded(enc)) return bad(off, "CIE personality pointer runs past the augmentation data");
              break;
            case 'L':
              if (!a.byte(enc)) return bad(off, "CIE 'L' encoding runs past the augmentation data");
              if (enc != DW_EH_PE_omit && !acceptable_pointer_encoding(enc))
                return bad(off, "CIE LSDA encoding is not supported");
              break;
            case 'B':  // AArch64 B-key return-address signing: no operand
              break;
            case 'S':  // signal frame: no operand
            case 'G':  // MTE-tagged frame: no operand
              after_unknown_to_libgcc = true;
              break;
            default:
              return bad(off, "CIE augmentation string has an unknown letter");
          }
        }
      }
      info.fde_size = u8(fixed_size(info.fde_encoding));
      cies.push_back(info);  // may move the array: last_cie is found again
      last_cie = nullptr;
      layout.cie_count++;
    } else {
      // FDE: id is the distance from the id field back to its CIE.
      const u64 id_pos = off + 4;
      if (id > id_pos) return bad(off, "FDE's CIE pointer points before the section");
      const u64 cie_off = id_pos - id;
      // Compilers give every FDE of a section the same CIE (or a few, each
      // followed by its FDEs): the last one found is asked first, and only
      // another is searched for (a large object has thousands of FDEs).
      if (!last_cie || last_cie->offset != cie_off) {
        auto it = std::lower_bound(cies.begin(), cies.end(), cie_off,
                                   [](const CieInfo& c, u64 v) { return c.offset < v; });
        if (it == cies.end() || it->offset != cie_off)
          return bad(off, "FDE's CIE pointer does not point at a valid CIE");
        last_cie = &*it;
      }
      // pc_begin and pc_range (fixed-size: the CIE's encoding was checked),
      // then with 'z' the augmentation data's length and the data. The
      // length is nearly always one LEB128 byte: read it in place, and
      // take the general reader otherwise.
      u64 pos = body + 2 * u64(last_cie->fde_size);
      if (pos > end) return bad(off, "FDE address range runs past the record");
      if (last_cie->has_z) {
        u64 aug_len;
        if (pos < end && data[pos] < 0x80) {
          aug_len = data[pos++];
        } else {
          Cursor c{data, pos, end};
          if (!c.leb128(&aug_len)) return bad(off, "FDE augmentation data runs past the record");
          pos = c.pos;
        }
        if (aug_len > end - pos) return bad(off, "FDE augmentation data runs past the record");
      }
      layout.fdes.push_back(off);
    }
    off = end;
  }
  layout.end = off;
  return layout;
}

}  // namespace jitload
