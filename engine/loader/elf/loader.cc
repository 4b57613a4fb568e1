// Loading a relocatable ELF object: validate once, then trust.
//
// One load is six stages (ElfLoad below), each opening with the checks it
// makes; everything is checked before anything is allocated (the kernel's
// elf_validity_* style), and everything after the checks reads through
// spans they bounded:
//   header        the ELF header: class, byte order, version, type, machine
//   sections      the section header table, names, what loads and its sizes
//   symbols       the symbol table; then own_sections(): commons, IFUNC stubs
//   relocations   decode, classify and scan every entry (the architecture's
//                 scan checks each field), overlap of fields
//   layout        IFUNC/GOT/stub fills, memory: reserve, allocate, copy
//   publish       symbols into the dyld's tables (L1-L4 on duplicates)
#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <type_traits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "engine/loader/core/commons.h"
#include "engine/loader/core/format.h"
#include "engine/loader/core/reader.h"
#include "engine/loader/core/tls-loader.h"
#include "engine/loader/elf/arch.h"
#include "engine/loader/elf/elf.h"

namespace jitload::elf {
namespace {

constexpr u64 kMaxAlign = u64(1) << 20;
// No single object may ask for more than this much memory: sizes come from
// the file, and a 100-byte file can claim a 2^60-byte .bss. Below 4 GiB, so
// offsets inside a section fit the 32-bit fields of RelocationEntry.
constexpr u64 kMaxTotalAlloc = (u64(1) << 32) - 1;

// A section header's fields as the loader reads them, decoded from the
// table in the file where it lies (Headers, below) each time one is asked
// for: only the fields a use reads are loaded.
// sh_addralign is used only by the header pass, which reads it from the file.
struct Shdr {
  u32 name;      // offset in .shstrtab (checked: a terminated string starts there)
  u32 type;
  u32 link;
  u32 info;
  u32 entsize;   // saturated at 2^32-1: only ever compared with an entry size
  u32 flags;     // sh_flags' low 32 bits: every flag the loader tests (SHF_ALLOC ... SHF_TLS) is there
  u64 offset;
  u64 size;
};
static_assert(sizeof(Shdr) == 40);

struct Sym {
  u32 name;
  u8 info;
  u8 other;
  u16 shndx;
  u64 value;
  u64 size;
  u32 section;  // resolved section header index (SHN_XINDEX expanded), or the special value
  std::string_view name_str;
  u8 bind() const { return info >> 4; }
  u8 type() const { return info & 0xf; }
};

// Per-load storage sized without being initialized, for arrays the loader
// writes in full before reading (section headers, symbols): a 20,000-section
// object would otherwise pay for clearing megabytes it then overwrites.
// Elements are trivially copyable and destructible, so malloc'd storage holds
// them without construction.
template <typename T>
class Buffer {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { std::free(data_); }
  // Sizes to n elements (contents unspecified); false if memory ran out.
  [[nodiscard]] bool resize(size_t n) {
    if (n > capacity_) {
      size_t want = std::max(n, capacity_ * 2);
      T* fresh = static_cast<T*>(std::malloc(want * sizeof(T)));
      if (!fresh) return false;
      std::free(data_);
      data_ = fresh;
      capacity_ = want;
    }
    size_ = n;
    return true;
  }
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }

 private:
  T* data_ = nullptr;
  size_t size_ = 0, capacity_ = 0;
};

// Bytes of zeros kept after a name arena's copy of its string table, so
// that a name's length can be found a word at a time (name_length).
constexpr size_t kNamePad = 16;

#if !defined(__SSE2__)
// The bytes of w that are zero, each flagged by its top bit; the lowest
// flagged byte is the first zero (a borrow can only flag bytes above a
// zero one), and none is flagged when w has no zero byte.
[[gnu::always_inline]] inline u64 zero_bytes(u64 w) { return (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull; }
#endif

// The length of the NUL-terminated string at p, a word at a time: symbol
// names are short (most of a large object's are 6-7 bytes), and a call to
// strlen per symbol cost more than the search. A name of 8 to 23 bytes
// (section names: ".text.fn_1121", ".data.rel.ro.gs_17") is measured
// without a branch on its length, which a loop over words mispredicted
// name after name. A load ends at most 15 bytes past the terminating NUL,
// so p's string must be followed by that many readable bytes (kNamePad).
[[gnu::always_inline]] inline size_t name_length(const char* p) {
#if defined(__SSE2__)
  // 16 bytes compared at once (SSE2 is in every x86-64): the zero bytes'
  // mask, its lowest bit the terminator. Most names end in the first 16
  // bytes; a load goes at most 15 bytes past the terminator (kNamePad).
  const __m128i zero = _mm_setzero_si128();
  for (size_t n = 0;; n += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n));
    if (const unsigned m = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)))) return n + std::countr_zero(m);
  }
#else
  if constexpr (std::endian::native != std::endian::little) {
    return std::strlen(p);
  } else {
    u64 w0, w1, w2;
    std::memcpy(&w0, p, 8);
    if (const u64 z0 = zero_bytes(w0)) return std::countr_zero(z0) >> 3;
    std::memcpy(&w1, p + 8, 8);
    std::memcpy(&w2, p + 16, 8);
    const u64 z1 = zero_bytes(w1), z2 = zero_bytes(w2);
    if (z1 | z2) return z1 ? 8 + (std::countr_zero(z1) >> 3) : 16 + (std::countr_zero(z2) >> 3);
    for (size_t n = 24;; n += 8) {
      u64 w;
      std::memcpy(&w, p + n, 8);
      if (const u64 zero = zero_bytes(w)) return n + (std::countr_zero(zero) >> 3);
    }
  }
#endif
}

// A string table read name by name. When the table ends in a NUL (every
// compiler's do), every offset inside it starts a terminated string, so a
// name costs a strlen and no search bounded by the table's end; with
// `padded` (kNamePad readable bytes after the table), not even that call.
class StringTable {
 public:
  StringTable(const char* data, u64 size, bool padded = false)
      : data_(data), size_(size), terminated_(size && data[size - 1] == 0), padded_(padded && terminated_) {}
  // Whether a name starts at `off` and ends inside the table; `why` if not.
  bool check(u64 off, const char*& why) const {
    if (off >= size_) [[unlikely]] {
      why = "string offset is outside its string table";
      return false;
    }
    if (terminated_ || std::memchr(data_ + off, 0, size_ - off)) [[likely]]
      return true;
    why = "string is not NUL-terminated inside its string table";
    return false;
  }
  // The name at `off`, or nullopt with `why` set.
  // Inlined: returned through memory, the optional was read back with one
  // 16-byte load over the callee's narrower stores (a store-forwarding
  // stall per symbol).
  [[gnu::always_inline]] std::optional<std::string_view> at(u64 off, const char*& why) const {
    if (!check(off, why)) [[unlikely]]
      return std::nullopt;
    // Checked: a NUL ends it inside the table.
    if (padded_) [[likely]]
      return std::string_view(data_ + off, name_length(data_ + off));
    return std::string_view(data_ + off);
  }

 private:
  const char* data_;
  u64 size_;
  bool terminated_;
  bool padded_;
};

// A relocation table as scanned: which entries (positions in relocs are
// relocation indices), for the overlap check's rare slow path.
struct Table {
  u32 section;
  size_t first, end;
  u64 file_offset;  // of the table's first entry
  u64 entry_size;   // 24 (SHT_RELA) or 16 (SHT_REL)
};

// What a relocation needs of its symbol, computed once per symbol rather
// than once per relocation, in 12 bytes: the relocation loop reads one of
// these for each entry, where it read the 48-byte Sym and the section map
// (random accesses over half a megabyte on a 10,000-symbol object, the
// loop's largest cost). `bits` are ElfRelocation's kSym*; `section` says
// S is (target, sym_offset) in one of the object's sections, known here;
// otherwise the loop takes the general path over the Sym.
struct SymRef {
  u32 target;      // object-relative section id (when `section`)
  u32 sym_offset;  // S's offset in it (when `section`)
  u8 bits;
  bool section;
};

// Per-load working arrays, sized by the object (headers, symbols, maps).
// They live per thread and keep their capacity between loads: a JIT loads
// object after object, and fresh multi-megabyte arrays each time would
// cost a page fault per page. Nothing in them outlives one load.
struct Scratch {
  Buffer<u32> secmap;
  std::vector<u32> relocation_tables, shndx_tables;
  Buffer<Sym> syms;
  std::vector<u64> common_offset;
  std::vector<u32> ifunc_of_sym;
  std::vector<u32> ext_of_sym, got_of_sym, tpgot_of_sym, stub_of_sym;
  Buffer<SymRef> symrefs;
  std::vector<Patch> patches;
  std::vector<Table> tables;
  std::vector<u8> table_state;
};
// Makes room for n elements in a table that grows with every object
// loaded: geometric, so many small loads stay linear overall.
template <typename T>
void make_room(std::vector<T>& vec, size_t n) {
  if (vec.capacity() < n) vec.reserve(std::max(n, vec.capacity() * 2));
}

// Sizes a scratch vector: n copies of v, reusing capacity.
template <typename T>
std::vector<T>& fill(std::vector<T>& vec, size_t n, const T& v) {
  vec.assign(n, v);
  return vec;
}

// What the memory manager is asked to reserve, summed as sections are
// added: per pool, sizes with room for alignment, and the largest alignment.
// Indexed by pool (kPoolOf), so that adding a section is a few
// instructions without a branch: a many-section object adds 11,000.
enum Pool : u8 { kPoolCode, kPoolRo, kPoolRw, kPoolNone };
struct Reservation {
  u64 size[4] = {};          // by Pool; kPoolNone's (thread-local sections) is not reserved
  u32 align[4] = {1, 1, 1, 1};
  void add(const LoadedSection& s);
};
// SectionKind -> Pool: Code, ReadOnly, Data, Bss, Tls, TlsBss, Common, Got, Stubs.
constexpr u8 kPoolOf[] = {kPoolCode, kPoolRo, kPoolRw, kPoolRw, kPoolNone, kPoolNone, kPoolRw, kPoolRw, kPoolCode};
static_assert(sizeof(kPoolOf) == size_t(SectionKind::Stubs) + 1 && kPoolOf[u8(SectionKind::Code)] == kPoolCode &&
              kPoolOf[u8(SectionKind::ReadOnly)] == kPoolRo && kPoolOf[u8(SectionKind::Data)] == kPoolRw &&
              kPoolOf[u8(SectionKind::Bss)] == kPoolRw && kPoolOf[u8(SectionKind::Tls)] == kPoolNone &&
              kPoolOf[u8(SectionKind::TlsBss)] == kPoolNone && kPoolOf[u8(SectionKind::Common)] == kPoolRw &&
              kPoolOf[u8(SectionKind::Got)] == kPoolRw && kPoolOf[u8(SectionKind::Stubs)] == kPoolCode);

Error malformed(std::string_view obj, u64 off, std::string what) {
  return Error(ErrorKind::Malformed, format("%.*s: %s", int(obj.size()), obj.data(), what.c_str()), off);
}

bool is_power_of_two_or_zero(u64 v) { return (v & (v - 1)) == 0; }

// Which allocatable sections the loader copies into memory: contents of
// known types. Metadata tables never load; an allocatable section of a
// type we do not know is refused rather than guessed at.
enum class Loadable { No, Yes, NonAlloc, UnknownType };
[[gnu::always_inline]] inline Loadable is_loadable(const Shdr& s, bool process_all, u32 unwind_type) {
  if (!(s.flags & SHF_ALLOC)) {
    // With process_all_sections, contents that are not SHF_ALLOC load too
    // (debug info); metadata tables and types we do not know do not.
    if (process_all && (s.type == SHT_PROGBITS || s.type == SHT_NOTE || (unwind_type && s.type == unwind_type)))
      return Loadable::NonAlloc;
    return Loadable::No;
  }
  switch (s.type) {
    case SHT_PROGBITS: case SHT_NOBITS: case SHT_NOTE: case SHT_INIT_ARRAY: case SHT_FINI_ARRAY:
    case SHT_PREINIT_ARRAY:
      return Loadable::Yes;
    case SHT_NULL: case SHT_SYMTAB: case SHT_STRTAB: case SHT_RELA: case SHT_REL: case SHT_GROUP:
    case SHT_SYMTAB_SHNDX: case SHT_DYNSYM: case SHT_DYNAMIC: case SHT_HASH:
      return Loadable::No;
  }
  // A processor-specific type is the architecture's: 0x70000001 is
  // SHT_X86_64_UNWIND on x86-64 but SHT_ARM_EXIDX on ARM.
  if (unwind_type && s.type == unwind_type) return Loadable::Yes;
  return Loadable::UnknownType;
}

// The bytes a section is allocated: at least one (distinct addresses for
// empty sections), and after .eh_frame four zero bytes, the terminator
// unwinders expect.
// A section's contents into its memory. A -ffunction-sections object has
// thousands of sections of a few dozen bytes (9,201 of at most 32 bytes in
// the benchmark's many-section object): those are copied here by two
// overlapping moves, without a call into the library's copy and its
// dispatch on the size; anything larger goes to memcpy.
inline void copy_contents(u8* dst, const u8* src, u64 n) {
  if (n >= 16 && n <= 32) {
    u8 a[16], b[16];
    std::memcpy(a, src, 16);
    std::memcpy(b, src + n - 16, 16);
    std::memcpy(dst, a, 16);
    std::memcpy(dst + n - 16, b, 16);
  } else if (n >= 8 && n < 16) {
    u64 a, b;
    std::memcpy(&a, src, 8);
    std::memcpy(&b, src + n - 8, 8);
    std::memcpy(dst, &a, 8);
    std::memcpy(dst + n - 8, &b, 8);
  } else {
    std::memcpy(dst, src, n);
  }
}

u64 allocation_size(const LoadedSection& s) { return std::max<u64>(s.size, 1) + (s.is_eh_frame ? 4 : 0); }

[[gnu::always_inline]] inline void Reservation::add(const LoadedSection& s) {
  const u64 a = s.align;  // at least 1: a power of two
  const u8 pool = kPoolOf[u8(s.kind)];
  size[pool] += ((allocation_size(s) + a - 1) & ~(a - 1)) + a;
  align[pool] = std::max(align[pool], s.align);
}

// A header's name in the object's section-name arena. Only for headers
// whose name the header pass checked (a terminated string starts there);
// measured only when asked for: most headers of a many-section object
// (relocation tables, groups) never need theirs. The arena ends in
// kNamePad zeros, so a name is measured a word at a time (name_length):
// a call to strlen per loaded section was 3% of a 20,000-section load.
[[gnu::always_inline]] inline std::string_view name_of(const char* names, const Shdr& s) {
  return std::string_view(names + s.name, name_length(names + s.name));
}

[[gnu::always_inline]] inline SectionKind kind_of(const Shdr& s) {
  if (s.flags & SHF_TLS) return s.type == SHT_NOBITS ? SectionKind::TlsBss : SectionKind::Tls;
  if (s.flags & SHF_EXECINSTR) return SectionKind::Code;
  if (s.type == SHT_NOBITS) return SectionKind::Bss;
  if (!(s.flags & SHF_WRITE)) return SectionKind::ReadOnly;
  return SectionKind::Data;
}

// Field readers in the object's byte order (the loader is instantiated once
// per order: no test per field).
struct LittleEndian {
  template <typename T> static T get(const u8* p) { return load_le<T>(p); }
};
struct BigEndian {
  template <typename T> static T get(const u8* p) { return load_be<T>(p); }
};
template <class E, typename T>
[[gnu::always_inline]] inline T rd(const u8* p) { return E::template get<T>(p); }
// A class-sized word (Addr, Off, Xword/Word): 8 bytes in ELF64, 4 in ELF32.
template <class E, const ElfClassLayout& L>
[[gnu::always_inline]] inline u64 rdw(const u8* p) {
  if constexpr (L.word == 8) return rd<E, u64>(p);
  else return rd<E, u32>(p);
}
// A signed word (r_addend: Sxword / Sword).
template <class E, const ElfClassLayout& L>
[[gnu::always_inline]] inline i64 rds(const u8* p) {
  if constexpr (L.word == 8) return i64(rd<E, u64>(p));
  else return i64(i32(rd<E, u32>(p)));
}

// The section header table, read where it lies in the file (the header
// pass checked that it does): a header is decoded when a stage asks for
// it, and only the fields it reads are loaded. A 20,000-section object's
// table is 1.3 MB; a working copy of it (40 bytes a header) was 830 KB
// more written per load.
template <class E, const ElfClassLayout& L>
class Headers {
 public:
  void reset(const u8* table, u64 count) {
    table_ = table;
    count_ = count;
  }
  u64 size() const { return count_; }
  const u8* address(u64 i) const { return table_ + i * L.shdr_size; }
  [[gnu::always_inline]] Shdr operator[](u64 i) const {
    const u8* p = address(i);
    Shdr s;
    s.name = rd<E, u32>(p + L.sh_name);
    s.type = rd<E, u32>(p + L.sh_type);
    s.link = rd<E, u32>(p + L.sh_link);
    s.info = rd<E, u32>(p + L.sh_info);
    s.entsize = u32(std::min<u64>(rdw<E, L>(p + L.sh_entsize), ~u32(0)));
    s.flags = u32(rdw<E, L>(p + L.sh_flags));
    s.offset = rdw<E, L>(p + L.sh_offset);
    s.size = rdw<E, L>(p + L.sh_size);
    return s;
  }

 private:
  const u8* table_ = nullptr;
  u64 count_ = 0;
};

// Plain entries (ElfPlainType) of a RELA table, from entry j on: each one
// whose type is plain, whose symbol is bound to one of the object's own
// sections (SymRef::section) and not thread-local, and whose field lies
// inside its section gets here the entry the general path would make of it
// (the same fields, flags and field-order bookkeeping); the loop stops at
// the first other entry, or the table's end, and returns its index: the
// general path takes it, with every check and error of its own. Out of
// line and with everything in registers: the general path's loop keeps its
// many locals on the stack.
//
// A GOT entry whose symbol has no slot yet gets it here (new_got_slot, as
// the general path's slot_for would at this entry). A PIC object compiled
// with -ffunction-sections names each global's slot first from one of
// thousands of small tables: returning to the caller for each (as this
// loop did) cost a return, the caller's bookkeeping and a new call of 13
// arguments, ~130 instructions a slot. The call is made with a convention
// that keeps the caller's registers (preserve_most): an ordinary call in
// this loop, even a cold one, cost every entry of it some 6 instructions,
// the loop's values moved from registers to the stack.
#if defined(__clang__) && (defined(__x86_64__) || defined(__aarch64__))
#define JITLOAD_PRESERVE_MOST [[clang::preserve_most]]
#else
#define JITLOAD_PRESERVE_MOST
#endif
struct PlainGot {
  std::vector<u32>* of_sym;        // symbol -> GOT slot, or kNone; empty until the first slot
  std::vector<SlotTarget>* slots;  // the object's GOT slots
  size_t symbol_count;
  u64 relocation_count;
  bool made = false;               // a slot was made here (the object needs its GOT)
};

// Asks for [p, p + n) to be fetched into the cache, a line at a time. Out
// of line, so that the loop after a call to it is compiled as without.
[[gnu::noinline]] void prefetch_bytes(const void* p, size_t n) {
  for (size_t k = 0; k < n; k += 64) __builtin_prefetch(static_cast<const char*>(p) + k);
}

// What slot_for does for a GOT entry bound to one of the object's sections
// (kept apart from the loop, which stays small). Returns the symbol -> slot
// table, which the first slot allocates.
[[gnu::noinline]] JITLOAD_PRESERVE_MOST const u32* new_got_slot(PlainGot& g, u32 symbol, const SymRef* symrefs) {
  std::vector<u32>& table = *g.of_sym;
  if (table.empty()) {
    table.assign(std::max<size_t>(g.symbol_count, 1), kNone);
    make_room(*g.slots, g.slots->size() + std::min<u64>(g.symbol_count, g.relocation_count));  // at most one per symbol
  }
  u32& s = table[symbol];
  if (s == kNone) {
    s = u32(g.slots->size());
    const SymRef& ref = symrefs[symbol];  // (passed by reference, the loop's copy went through memory)
    // Field by field where it stays (room made above): a SlotTarget built
    // on the stack and pushed was read back with wide loads over its narrow
    // stores, a store-forwarding stall per slot that was two thirds of this
    // function's time (~4% of a 4,600-slot load).
    SlotTarget& t = g.slots->emplace_back();
    t.kind = TargetKind::Section;
    t.target = ref.target;
    t.sym_offset = ref.sym_offset;
    t.symbol = symbol;
  }
  g.made = true;
  return table.data();
}

template <class E, const ElfClassLayout& L>
[[gnu::noinline]] u64 plain_run(const u8* table, u64 j, u64 n, const SymRef* symrefs, size_t symref_count,
                                const ElfPlainType* plain, u32 plain_count, u64 section_size, PlainGot& got,
                                std::vector<RelocationEntry>& relocs, u64& prev_to_io, bool& ordered_io) {
  const u32* got_of_sym = got.of_sym->empty() ? nullptr : got.of_sym->data();
  u64 prev_to = prev_to_io;
  bool ordered = ordered_io;
  for (; j < n; j++) {
    const u8* p = table + j * L.rela_size;
    const u64 info = rdw<E, L>(p + L.r_info);
    const u64 offset = rdw<E, L>(p + L.r_offset);
    const u32 type = u32(info & L.r_type_mask);
    const u32 symbol = u32(info >> L.r_sym_shift);
    if (symbol >= symref_count || type >= plain_count) break;
    const SymRef ref = symrefs[symbol];
    const ElfPlainType pt = plain[type];
    if (!ref.section || (ref.bits & ElfRelocation::kSymTls) || pt.width == 0 || !in_bounds(offset, pt.width, section_size))
      break;
    // A GOT type: the symbol's slot, made by its first use (here, or on
    // the general path).
    u32 slot = kNone;
    if (pt.flags & kRelGot) {
      if (!got_of_sym || got_of_sym[symbol] == kNone) [[unlikely]]
        got_of_sym = new_got_slot(got, symbol, symrefs);
      slot = got_of_sym[symbol];
    }
    // Built where it stays, field by field: an entry made on the stack and
    // copied was read back with wide loads over the narrow stores just
    // made, a store-forwarding stall per entry (most of this loop's time).
    RelocationEntry& e = relocs.emplace_back();  // reserved: no reallocation
    e.addend = rds<E, L>(p + L.r_addend);
    e.offset = u32(offset);
    e.sym_offset = ref.sym_offset;
    e.target = ref.target;
    e.type = u16(type);
    e.flags = pt.flags;
    e.slot = slot;
    if (offset < prev_to) ordered = false;
    prev_to = std::max(prev_to, offset + pt.width);
  }
  prev_to_io = prev_to;
  ordered_io = ordered;
  return j;
}

// A relocation table's end, on either path (plain_tables, the relocation
// loop): its section's state for the overlap check (1: its tables so far
// each in order, 2: a table out of order or a second table, which needs
// the full check) and the run of the entries it made, [first, end) in
// relocs. Returns whether the section now needs the full check.
[[gnu::always_inline]] inline bool end_table(u8& state, bool ordered, std::vector<ObjectState::Run>& runs, u32 section,
                                             size_t first, size_t end) {
  state = (state || !ordered) ? 2 : 1;
  if (end > first) {
    // Field by field where it stays (a Run built on the stack was read
    // back with one wide load over two narrow stores: a store-forwarding
    // stall per table, 4% of a 9,199-table load).
    ObjectState::Run& run = runs.emplace_back();
    run.section = section;
    run.first = u32(first);
    run.end = u32(end);
  }
  return state == 2;
}

// A synthetic entry (a GOT, stub or IFUNC fill the loader makes), at the
// end of relocs, which has room for it.
[[gnu::always_inline]] inline RelocationEntry& synthetic_entry(std::vector<RelocationEntry>& relocs, u64 offset, u32 type,
                                                               TargetKind kind, u32 target, u64 sym_offset, i64 addend) {
  RelocationEntry& e = relocs.emplace_back();  // reserved: no reallocation
  e.offset = u32(offset);
  e.addend = addend;
  e.type = u16(type);
  e.target = target;
  e.target_kind = kind;
  e.sym_offset = u32(sym_offset);
  e.flags = kRelSynthetic;
  return e;
}

// Synthetic entries [k0, end) of one section join the last run when they
// follow it in the same section, else start one.
[[gnu::always_inline]] inline void extend_run(std::vector<ObjectState::Run>& runs, u32 section, u32 k0, u32 end) {
  if (runs.empty() || runs.back().section != section || runs.back().end != k0) runs.push_back({section, k0, k0});
  runs.back().end = end;
}

// Whole tables at a time, from table k on, while each table is entirely
// plain (every entry one plain_run takes): a
// -ffunction-sections object has thousands of small tables, most of them
// (.rodata's jump tables, .data's pointers) plain throughout, and the
// relocation loop's per-table set-up for the general path (the scan's
// fields, the decode context) cost each of them ~150 instructions it did
// not need. A table that is not entirely plain is left to the relocation
// loop at the entry plain_run stopped at (`stop`, with what plain_run
// keeps of the table so far: the loop goes on as if it had made those
// entries itself); a REL table from its start. Returns the first table not
// done.
struct PlainTables {
  const u8* bytes;
  u64 size;                        // the file's
  const u32* tables;               // relocation_tables (header indices), checked
  size_t count;
  const u32* secmap;
  u32 first;                       // the object's first loader section id
  const SymRef* symrefs;
  size_t symref_count;
  const ElfPlainType* plain;
  u32 plain_count;
  PlainGot* got;                   // GOT slots plain_run makes
  std::vector<RelocationEntry>* relocs;
  std::vector<ObjectState::Run>* runs;
  u8* table_state;                 // per loaded section (the overlap check's)
  u32 reloc_index = 0;             // entries done here
  bool overlap_check = false;
  // The table returned, when plain_run stopped inside it:
  bool partial = false;
  u64 stop = 0;                    // its next entry
  u64 prev_to = 0;                 // plain_run's order bookkeeping so far
  bool ordered = true;
  size_t table_first = 0;          // where its entries start in relocs
};
template <class E, const ElfClassLayout& L>
[[gnu::noinline]] size_t plain_tables(PlainTables& t, const u8* shdrs, size_t k) {
  std::vector<RelocationEntry>& relocs = *t.relocs;
  for (; k < t.count; k++) {
    // As in the relocation loop: the entries two tables on, the header four on.
    if (k + 2 < t.count) [[likely]] {
      const u64 next = rdw<E, L>(shdrs + u64(t.tables[k + 2]) * L.shdr_size + L.sh_offset);  // checked: inside the file
      __builtin_prefetch(t.bytes + next);  // (an empty table may end the file)
      if (next + 64 < t.size) __builtin_prefetch(t.bytes + next + 64);
      if (k + 4 < t.count) __builtin_prefetch(shdrs + u64(t.tables[k + 4]) * L.shdr_size);
    }
    const u8* h = shdrs + u64(t.tables[k]) * L.shdr_size;
    if (rd<E, u32>(h + L.sh_type) != SHT_RELA) break;
    const u64 n = rdw<E, L>(h + L.sh_size) / L.rela_size;
    const u32 target = rd<E, u32>(h + L.sh_info);  // checked: a loaded section
    const u32 sec_id = t.secmap[target];
    const u64 target_size = rdw<E, L>(shdrs + u64(target) * L.shdr_size + L.sh_size);
    const size_t table_first = relocs.size();
    u64 prev_to = 0;
    bool ordered = true;
    // (A call: plain_run's loop inlined here measured 15% more
    // instructions an entry, the outer loop's values taking its registers.)
    const u64 stop = plain_run<E, L>(t.bytes + rdw<E, L>(h + L.sh_offset), 0, n, t.symrefs, t.symref_count, t.plain,
                                     t.plain_count, target_size, *t.got, relocs, prev_to, ordered);
    if (stop != n) {  // an entry plain_run did not take: the relocation loop's
      t.partial = true;
      t.stop = stop;
      t.prev_to = prev_to;
      t.ordered = ordered;
      t.table_first = table_first;
      t.reloc_index += u32(t.stop);
      break;
    }
    t.reloc_index += u32(n);
    // (table_first + n: relocs.size(), in registers)
    t.overlap_check |= end_table(t.table_state[sec_id - t.first], ordered, *t.runs, sec_id, table_first, table_first + n);
  }
  return k;
}

}  // namespace

Error ElfScan::error(ErrorKind kind, const ElfRelocation& r, std::string what) const {
  const std::string_view section_name = sections[section_id].name;
  return Error(kind,
               format("%.*s:(%.*s+0x%llx): relocation %.*s at file offset 0x%llx %s", int(object_name.size()),
                      object_name.data(), int(section_name.size()), section_name.data(),
                      (unsigned long long)r.offset, int(arch->type_name(r.type).size()),
                      arch->type_name(r.type).data(), (unsigned long long)r.file_offset, what.c_str()),
               r.file_offset);
}

Error ElfScan::field_error(const ElfRelocation& r, u64 offset, u64 width) const {
  return error(ErrorKind::Malformed, r,
               format("patches %llu bytes at offset 0x%llx, outside its section (0x%llx bytes)",
                      (unsigned long long)width, (unsigned long long)offset, (unsigned long long)section_size));
}

namespace {

// The loader proper, once per byte order (E: LittleEndian / BigEndian) and
// class (L: kElf64Layout / kElf32Layout, elf.h), so that every field offset
// and width is a constant and the ELF64 little-endian instantiation reads
// fields exactly as before. The
// members are what one stage hands to the next; each stage's own working
// values stay local to it.
template <class E, const ElfClassLayout& L>
class ElfLoad {
 public:
  ElfLoad(LoadState& st, std::span<const u8> bytes)
      : obj(st.object), dyld(st.dyld), oname(st.object.name), bytes(bytes), file(bytes), scratch(scratch_here()),
        secmap(scratch.secmap), relocation_tables(scratch.relocation_tables),
        shndx_tables(scratch.shndx_tables), syms(scratch.syms), common_offset(scratch.common_offset),
        ifunc_of_sym(scratch.ifunc_of_sym), patches(scratch.patches) {}

  Error run() {
    TRY(header());
    if (e_shoff == 0) {
      // No section table: a valid object with nothing in it.
      if (rd<E, u16>(&bytes[L.e_shnum]) != 0) return malformed(oname, L.e_shnum, "e_shnum is not 0 but there is no section table");
      obj.first_section = u32(dyld.sections.size());
      return Error::success();
    }
    TRY(sections());
    TRY(symbols());
    TRY(own_sections());
    TRY(relocations());
    TRY(layout());
    return publish();
  }

 private:
  // Per-load working arrays live per thread and keep their capacity
  // between loads (Scratch).
  static Scratch& scratch_here() {
    thread_local Scratch scratch;
    return scratch;
  }

  Error header();
  Error sections();
  Error symbols();
  Error own_sections();
  Error relocations();
  Error layout();
  Error publish();

  u64 shoff(u64 i) const { return e_shoff + i * L.shdr_size; }
  [[gnu::always_inline]] std::string_view sname(const Shdr& s) const { return name_of(shnames, s); }
  u64 ifunc_stub_offset(u32 k) const {
    return u64(arch->reloc->ifunc_trampoline_size) + u64(k) * arch->reloc->ifunc_stub_size;
  }
  bool preemptible(const Sym& y) const;
  u32 add_own_section(std::string_view name, SectionKind kind, u64 size, u32 align);

  ObjectState& obj;
  RuntimeDyld::Impl& dyld;
  std::string_view oname;
  std::span<const u8> bytes;
  Reader file;
  Scratch& scratch;
  // header
  const ElfArch* arch = nullptr;
  u64 e_shoff = 0, shnum = 0;
  u16 e_shentsize = 0;
  u32 shstrndx = 0;
  // sections
  Headers<E, L> sh;                      // the section header table, in the file
  Buffer<u32>& secmap;                   // header index -> loader section id, or kNone
  std::vector<u32>& relocation_tables;   // SHT_RELA and SHT_REL headers
  // The header pass's checks of the relocation tables (see there): whether
  // every table in relocation_tables passed them, the sh_link they share
  // (when one has entries) and their entries.
  bool tables_checked = true, tables_link_set = false;
  u32 tables_link = 0;
  u64 tables_entries = 0;
  std::vector<u32>& shndx_tables;        // SHT_SYMTAB_SHNDX headers
  const char* shnames = nullptr;
  bool names_usable = false;             // .shstrtab is a string table inside the file, copied to obj.section_names
  u32 symtab = 0;
  u32 first = 0;                         // the object's first loader section id
  u64 total = 0;                         // bytes asked for, against kMaxTotalAlloc
  u64 strtab_size = 0;
  const char* symnames = nullptr;        // the symbol-name arena (obj's section or symbol names)
  Reservation reservation;
  bool any_tls = false;                  // a thread-local section loads
  // Some header, loaded or not, is SHF_TLS: without one no symbol's section
  // is thread-local, and the symbol passes need not fetch its header.
  bool any_tls_header = false;
  // symbols and own sections
  Buffer<Sym>& syms;
  std::vector<u64>& common_offset;       // per symbol, only for commons
  u32 common_section = kNone;
  size_t common_count = 0, ifunc_count_max = 0;  // SHN_COMMON and STT_GNU_IFUNC symbols (symbols())
  std::vector<u32>& ifunc_of_sym;
  u32 ifunc_count = 0, ifunc_stubs = kNone, ifunc_slots = kNone;
  // relocations
  ElfScan scan;
  std::vector<Patch>& patches;
  bool needs_got = false;
  std::vector<size_t> got_symbol_refs;   // entries whose S is _GLOBAL_OFFSET_TABLE_
};

// A definition another object may preempt (L1, L5): weak, common or
// GNU_UNIQUE (of which the first loaded stays), whatever its visibility —
// a static link ignores visibility when choosing. Exactly the non-local
// definitions that go into the dyld's table below, minus strong ones.
template <class E, const ElfClassLayout& L>
bool ElfLoad<E, L>::preemptible(const Sym& y) const {
  if (y.bind() == STB_LOCAL || y.section == SHN_UNDEF || y.type() == STT_SECTION || y.type() == STT_FILE ||
      y.name_str.empty())
    return false;
  if (y.bind() != STB_WEAK && y.bind() != STB_GNU_UNIQUE && y.section != SHN_COMMON) return false;
  return y.section == SHN_ABS || y.section == SHN_COMMON || (y.section < shnum && secmap[y.section] != kNone);
}

// A section of the loader's own (common symbols, IFUNC stubs and slots,
// GOT, stubs): not from the file, so no header index or file offset.
template <class E, const ElfClassLayout& L>
u32 ElfLoad<E, L>::add_own_section(std::string_view name, SectionKind kind, u64 size, u32 align) {
  LoadedSection ls;
  ls.name = name;
  ls.kind = kind;
  ls.size = size;
  ls.align = align;
  ls.object = u32(dyld.objects.size() - 1);
  dyld.sections.push_back(ls);
  reservation.add(ls);
  return u32(dyld.sections.size() - 1);
}

// Header. Checks: class, data encoding and version are known values; the
// architecture registry has (e_machine, class, byte order) — consulted
// before anything is refused for its class or byte order — and its class is
// this instantiation's; the class's header fits; e_type is ET_REL;
// e_ehsize is the class's header size.
template <class E, const ElfClassLayout& L>
Error ElfLoad<E, L>::header() {
  u8 cls = bytes[4], data = bytes[5], version = bytes[6];  // load_elf checked the 20-byte prefix
  if (cls != ELFCLASS64 && cls != ELFCLASS32) return malformed(oname, 4, format("unknown ELF class %u", cls));
  if (data != ELFDATA2LSB && data != ELFDATA2MSB)
    return malformed(oname, 5, format("unknown ELF data encoding %u", data));
  if (version != EV_CURRENT) return malformed(oname, 6, format("unknown ELF version %u", version));
  u16 e_type = rd<E, u16>(&bytes[16]);
  u16 e_machine = rd<E, u16>(&bytes[18]);
  for (const ElfArch* a : elf_architectures())
    if (a->machine == e_machine && a->elf_class == cls && a->little_endian == (data == ELFDATA2LSB)) arch = a;
  if (!arch)
    return Error(ErrorKind::Unsupported,
                 format("%s: ELF machine %u is not supported (%s, %s)", obj.name.c_str(), e_machine,
                        cls == ELFCLASS64 ? "ELFCLASS64" : "ELFCLASS32",
                        data == ELFDATA2LSB ? "little-endian" : "big-endian"), 18);
  // The instantiation was chosen from e_ident[EI_CLASS] (load below); the
  // registry's row must agree, or the layouts below would be the wrong ones.
  if (arch->elf_class != L.elf_class)
    return Error(ErrorKind::Unsupported, format("%s: ELF machine %u is registered as ELFCLASS%u, not %s", obj.name.c_str(),
                                                e_machine, arch->elf_class == ELFCLASS64 ? 64u : 32u, L.name), 4);
  if (bytes.size() < L.ehdr_size)
    return malformed(oname, 0, format("file of %zu bytes is too small for an %s header", bytes.size(), L.name));
  if (e_type != ET_REL)
    return Error(ErrorKind::Unsupported,
                 format("%s: ELF type %u is not a relocatable object (ET_REL)", obj.name.c_str(), e_type), 16);
  e_shoff = rdw<E, L>(&bytes[L.e_shoff]);
  u16 e_ehsize = rd<E, u16>(&bytes[L.e_ehsize]);
  e_shentsize = rd<E, u16>(&bytes[L.e_shentsize]);
  shnum = rd<E, u16>(&bytes[L.e_shnum]);
  shstrndx = rd<E, u16>(&bytes[L.e_shstrndx]);
  obj.arch = arch->reloc;
  if (e_ehsize != L.ehdr_size)
    return malformed(oname, L.e_ehsize, format("e_ehsize is %u, expected %u", e_ehsize, unsigned(L.ehdr_size)));
  return Error::success();
}

// Sections. Checks: e_shentsize is the class's (64 / 40); the table inside the file (count
// taken from shdr[0] when e_shnum is 0, e_shstrndx from its sh_link when
// SHN_XINDEX); every non-NOBITS section's bytes inside the file; alignment
// 0 or a power of two, not above 1 MiB for what loads; names inside a
// NUL-terminated .shstrtab; no allocatable section of an unknown type;
// allocatable sizes within the loader's limit and their sum too; at most
// one SHT_SYMTAB, its entsize the class's (24 / 16), size a multiple of it, sh_link a STRTAB.
template <class E, const ElfClassLayout& L>
Error ElfLoad<E, L>::sections() {
  if (e_shentsize != L.shdr_size)
    return malformed(oname, L.e_shentsize, format("e_shentsize is %u, expected %u", e_shentsize, unsigned(L.shdr_size)));
  if (!file.contains(e_shoff, L.shdr_size))
    return malformed(oname, L.e_shoff, format("section header table at 0x%llx lies outside the file",
                                       (unsigned long long)e_shoff));
  if (shnum == 0) shnum = rdw<E, L>(&bytes[e_shoff + L.sh_size]);  // extended count in shdr[0].sh_size
  if (shstrndx == SHN_XINDEX) shstrndx = rd<E, u32>(&bytes[e_shoff + L.sh_link]);  // shdr[0].sh_link
  if (shnum > bytes.size() / L.shdr_size || !file.contains(e_shoff, shnum * L.shdr_size))
    return malformed(oname, e_shoff, format("section header table (%llu entries at 0x%llx) lies outside the file",
                                            (unsigned long long)shnum, (unsigned long long)e_shoff));
  sh.reset(&bytes[e_shoff], shnum);
  if (!secmap.resize(shnum))
    return Error(ErrorKind::Memory, format("%s: out of memory for %llu section headers", obj.name.c_str(), (unsigned long long)shnum));

  // Section names live in an arena of the object's own, copied from
  // .shstrtab before the headers are read so that naming is part of the one
  // pass over them. Its header's other checks come with the rest.
  names_usable = false;
  u64 shstr_size = 0;
  if (shstrndx != 0 && shstrndx < shnum) {
    const u8* p = &bytes[shoff(shstrndx)];
    u64 off = rdw<E, L>(p + L.sh_offset);
    shstr_size = rdw<E, L>(p + L.sh_size);
    names_usable = rd<E, u32>(p + L.sh_type) == SHT_STRTAB && file.contains(off, shstr_size);
    if (names_usable) {
      obj.section_names.reserve(shstr_size + kNamePad);
      // bytes.data() + off, not &bytes[off]: an empty table may sit at the
      // very end of the file (off == size), where operator[] is undefined.
      obj.section_names.assign(reinterpret_cast<const char*>(bytes.data() + off), shstr_size);
    }
  }
  // The arena's terminator, then zeros to kNamePad past the table (name_of).
  obj.section_names.append(kNamePad, '\0');
  StringTable shstr_r(obj.section_names.data(), names_usable ? shstr_size : 0);
  shnames = obj.section_names.data();

  // One pass over the headers: read, check, name, and decide what loads.
  // A header's own contradictions (contents outside the file, alignment) are
  // reported at once; the rest are kept and reported after the pass in the
  // order separate passes would find them — e_shstrndx, a second symbol
  // table, the symbol table's header, a bad name, a section we refuse to
  // load — each the first of its kind by header index.
  relocation_tables.clear();
  shndx_tables.clear();
  tables_checked = true;
  tables_link_set = false;
  tables_link = 0;
  tables_entries = 0;
  u32 second_symtab = 0, bad_name = 0;
  const char* bad_name_why = nullptr;
  Error refused;  // the first section we will not load, and why
  // Room for every header and the loader's own few, so that a record is
  // never moved. A many-section object loads only about half its headers,
  // but counting them first is a pass over all of them (about 2% of such a
  // load); the rest of the room is never touched.
  make_room(dyld.sections, dyld.sections.size() + shnum + 5);
  first = u32(dyld.sections.size());
  obj.first_section = first;
  for (u64 i = 0; i < shnum; i++) {
    const u8* p = &bytes[shoff(i)];
    // Fetched ahead: the headers (2 KiB on, a 20,000-header table is 1.3 MB
    // that no earlier stage has read) and the name of the header sixteen on
    // (names lie in .shstrtab's order, not the headers'). Without them the
    // pass waited on both: -17 us of ~255 on a 20,712-header object.
    if (i + 32 < shnum) [[likely]] {
      __builtin_prefetch(p + 32 * L.shdr_size);
      const u32 ahead = rd<E, u32>(p + 16 * L.shdr_size + L.sh_name);
      if (names_usable && ahead < shstr_size) __builtin_prefetch(shnames + ahead);
    }
    const Shdr s = sh[i];
    const u64 addralign = rdw<E, L>(p + L.sh_addralign);
    secmap[i] = kNone;
    any_tls_header |= (s.flags & SHF_TLS) != 0;
    if (i == 0) continue;
    if (s.type != SHT_NOBITS && s.type != SHT_NULL && !file.contains(s.offset, s.size))
      return malformed(oname, shoff(i),
                       format("section %llu: contents (0x%llx bytes at 0x%llx) lie outside the file",
                              (unsigned long long)i, (unsigned long long)s.size, (unsigned long long)s.offset));
    if (!is_power_of_two_or_zero(addralign))
      return malformed(oname, shoff(i) + L.sh_addralign,
                       format("section %llu: alignment 0x%llx is not a power of two",
                              (unsigned long long)i, (unsigned long long)addralign));
    switch (s.type) {
      case SHT_SYMTAB:
        if (!symtab) symtab = u32(i);
        else if (!second_symtab) second_symtab = u32(i);
        break;
      case SHT_SYMTAB_SHNDX: shndx_tables.push_back(u32(i)); break;
      case SHT_RELA: case SHT_REL: {
        // The relocation stage's checks of the table (relocations(), which
        // would read its header again: a pass over 9,000 headers spread over
        // a 1.3 MB table, ~4% of such a load), made here when they can be:
        // its target came before it, as compilers write .rela.X after X, so
        // whether the target loads is known. Any other table, or one that
        // fails a check, sends relocations() through its own pass over every
        // table, which reports the first failure in its order.
        const bool rela = s.type == SHT_RELA;
        if (s.info == 0 || s.info >= i) {
          tables_checked = false;
        } else if (secmap[s.info] == kNone) {
          break;  // relocates something not loaded (debug info): never read, as relocations() would skip it
        } else {
          // Divided by a constant per type (the compiler's multiply).
          const u64 count = rela ? s.size / L.rela_size : s.size / L.rel_size;
          const u64 esz = rela ? L.rela_size : L.rel_size;
          tables_checked &= (rela || arch->implicit_addend) && s.entsize == esz && count * esz == s.size;
          if (s.size) {
            // One symbol table: every table's sh_link the same, checked against it once it is known.
            tables_checked &= !tables_link_set || s.link == tables_link;
            tables_link = s.link;
            tables_link_set = true;
          }
          tables_entries += count;
        }
        relocation_tables.push_back(u32(i));
        break;
      }
    }
    if (!names_usable || bad_name) continue;
    if (!shstr_r.check(s.name, bad_name_why)) {
      bad_name = u32(i);
      continue;
    }
    if (refused) continue;

    Loadable l = is_loadable(s, dyld.process_all_sections, arch->unwind_section_type);
    if (l == Loadable::No) continue;
    const std::string_view n = sname(s);
    if (l == Loadable::UnknownType) {
      refused = Error(ErrorKind::Unsupported,
                      format("%s: section '%.*s' is allocatable but of unknown type 0x%x", obj.name.c_str(),
                             int(n.size()), n.data(), s.type),
                      shoff(i) + L.sh_type);
      continue;
    }
    if (addralign > kMaxAlign) {
      refused = Error(ErrorKind::Unsupported,
                      format("%s: section '%.*s': alignment %llu is above the limit of 1 MiB", obj.name.c_str(),
                             int(n.size()), n.data(), (unsigned long long)addralign),
                      shoff(i) + L.sh_addralign);
      continue;
    }
    if (s.size > kMaxTotalAlloc || (total += s.size + addralign) > kMaxTotalAlloc) {
      refused = Error(ErrorKind::Memory,
                      format("%s: section '%.*s' (0x%llx bytes) exceeds the loader's limit of 4 GiB per object",
                             obj.name.c_str(), int(n.size()), n.data(), (unsigned long long)s.size),
                      shoff(i) + L.sh_size);
      continue;
    }
    secmap[i] = u32(dyld.sections.size());
    LoadedSection& ls = dyld.sections.emplace_back();
    ls.name = n;
    ls.kind = kind_of(s);
    ls.size = s.size;
    ls.align = u32(std::max<u64>(addralign, 1));
    ls.object = u32(dyld.objects.size() - 1);
    ls.file_index = u32(i);
    ls.file_offset = s.type == SHT_NOBITS ? kNoOffset : s.offset;
    ls.is_eh_frame = n == ".eh_frame";
    any_tls |= ls.kind == SectionKind::Tls || ls.kind == SectionKind::TlsBss;
    if (l == Loadable::NonAlloc) {
      ls.allocatable = false;
      ls.kind = SectionKind::ReadOnly;
    }
    reservation.add(ls);
  }
  if (shstrndx == 0 || shstrndx >= shnum || sh[shstrndx].type != SHT_STRTAB)
    return malformed(oname, L.e_shstrndx, format("e_shstrndx %u does not name a string table", shstrndx));
  if (second_symtab) return malformed(oname, shoff(second_symtab), "object has more than one symbol table");
  std::optional<Shdr> strtab;
  if (symtab) {
    const Shdr& s = sh[symtab];
    if (s.entsize != L.sym_size || s.size % L.sym_size)
      return malformed(oname, shoff(symtab), format("symbol table entry size is not %u or its size not a multiple of it",
                                                    unsigned(L.sym_size)));
    if (s.link == 0 || s.link >= shnum || sh[s.link].type != SHT_STRTAB)
      return malformed(oname, shoff(symtab) + L.sh_link, "symbol table's sh_link does not name a string table");
    strtab = sh[s.link];
    strtab_size = strtab->size;
  }
  if (bad_name)
    return malformed(oname, shoff(bad_name), format("section %u: name at offset 0x%x: %s", bad_name,
                                                    sh[bad_name].name, bad_name_why));
  if (refused) return refused;
  // Symbol names: an arena of their own, so every name is a view that lives
  // as long as the object. When the symbol table's strings are the section
  // names' table (one .strtab for both, as clang writes), that arena already
  // holds them, padded: a second copy of a 260 KB table was as much copying
  // as all of a 20,000-section object's sections.
  if (strtab && sh[symtab].link == shstrndx && names_usable) {
    symnames = obj.section_names.data();
    return Error::success();
  }
  if (strtab) {
    obj.symbol_names.reserve(strtab->size + kNamePad);
    // As for section names: an empty string table may end the file.
    obj.symbol_names.assign(reinterpret_cast<const char*>(bytes.data() + strtab->offset), strtab->size);
  }
  // The arena's terminator, then zeros to kNamePad past the table.
  obj.symbol_names.append(kNamePad, '\0');
  symnames = obj.symbol_names.data();
  return Error::success();
}

// Symbols. Checks: sh_info <= count; a SHT_SYMTAB_SHNDX, where one
// links here, covers every symbol; every name inside the string table;
// every st_shndx a real section or SHN_ABS, SHN_COMMON, SHN_UNDEF, or
// SHN_XINDEX with a valid extended index; bindings known; locals not
// undefined; thread-local symbols in SHF_TLS sections; section symbols
// naming sections; common alignment a power of two up to 1 MiB; defined
// values inside their section.
template <class E, const ElfClassLayout& L>
Error ElfLoad<E, L>::symbols() {
  // Read for every symbol: locals, kept in registers (see relocations()).
  const u64 shnum = this->shnum;
  const u32 symtab = this->symtab;
  const Headers<E, L>& sh = this->sh;
  Buffer<u32>& secmap = this->secmap;
  Buffer<Sym>& syms = this->syms;
  StringTable str_r(symnames, strtab_size, /*padded=*/true);
  syms.clear();
  std::span<const u8> shndx_table;
  if (symtab) {
    const Shdr& s = sh[symtab];
    u64 n = s.size / L.sym_size;
    if (s.info > n) return malformed(oname, shoff(symtab) + L.sh_info, "symbol table's sh_info exceeds its symbol count");
    for (u32 i : shndx_tables)
      if (sh[i].link == symtab) {
        if (sh[i].size < n * 4) return malformed(oname, shoff(i), "SHT_SYMTAB_SHNDX is shorter than the symbol table");
        shndx_table = bytes.subspan(sh[i].offset, sh[i].size);
      }
    if (!syms.resize(n)) return Error(ErrorKind::Memory, format("%s: out of memory for %llu symbols", obj.name.c_str(), (unsigned long long)n));
    for (u64 i = 0; i < n; i++) {
      const u8* p = &bytes[s.offset + i * L.sym_size];
      Sym& y = syms[i];
      y.name = rd<E, u32>(p + L.st_name);
      y.info = p[L.st_info];
      y.other = p[L.st_other];
      y.shndx = rd<E, u16>(p + L.st_shndx);
      y.value = rdw<E, L>(p + L.st_value);
      y.size = rdw<E, L>(p + L.st_size);
      u64 at = s.offset + i * L.sym_size;
      const char* why = nullptr;
      auto nm = str_r.at(y.name, why);
      if (!nm) return malformed(oname, at, format("symbol %llu: name at offset 0x%x: %s", (unsigned long long)i, y.name, why));
      y.name_str = *nm;
      y.section = y.shndx;
      if (y.shndx == SHN_XINDEX) {
        if (shndx_table.empty()) return malformed(oname, at, format("symbol %llu uses SHN_XINDEX without SHT_SYMTAB_SHNDX", (unsigned long long)i));
        y.section = rd<E, u32>(&shndx_table[i * 4]);
        if (y.section == 0 || y.section >= shnum)
          return malformed(oname, at, format("symbol %llu: extended section index %u is out of range", (unsigned long long)i, y.section));
      } else if (y.shndx >= SHN_LORESERVE) {
        if (y.shndx != SHN_ABS && y.shndx != SHN_COMMON)
          return Error(ErrorKind::Unsupported, format("%s: symbol %llu has reserved section index 0x%x", obj.name.c_str(), (unsigned long long)i, y.shndx), at + L.st_shndx);
      } else if (y.shndx >= shnum) {
        return malformed(oname, at + L.st_shndx, format("symbol %llu '%.*s': section index %u is out of range (%llu sections)",
                                               (unsigned long long)i, int(y.name_str.size()), y.name_str.data(),
                                               y.shndx, (unsigned long long)shnum));
      }
      if (i == 0) continue;
      // Counted for own_sections(), which walks the symbols only when there are some.
      common_count += y.section == SHN_COMMON;
      ifunc_count_max += y.type() == STT_GNU_IFUNC;
      // Bindings we know: local, global, weak, and GNU's unique (a global).
      // OS- and processor-specific ones mean what we cannot know.
      if (y.bind() != STB_LOCAL && y.bind() != STB_GLOBAL && y.bind() != STB_WEAK && y.bind() != STB_GNU_UNIQUE)
        return Error(ErrorKind::Unsupported,
                     format("%s: symbol %llu '%.*s' has binding %u, which this loader does not know", obj.name.c_str(),
                            (unsigned long long)i, int(y.name_str.size()), y.name_str.data(), y.bind()),
                     at + L.st_info);
      // gABI: a local symbol is defined in this object, or it is nothing.
      if (y.section == SHN_UNDEF && y.bind() == STB_LOCAL)
        return malformed(oname, at, format("symbol %llu '%.*s' is local but undefined", (unsigned long long)i,
                                           int(y.name_str.size()), y.name_str.data()));
      // psABI: _GLOBAL_OFFSET_TABLE_ is the GOT, an ordinary address. A
      // thread-local reference to it is a TLS attribute mismatch.
      if (y.type() == STT_TLS && y.section == SHN_UNDEF && y.name_str == "_GLOBAL_OFFSET_TABLE_")
        return malformed(oname, at + L.st_info, "symbol '_GLOBAL_OFFSET_TABLE_' is STT_TLS, but it names the GOT, which is not thread-local");
      // gABI: a thread-local symbol lives in an SHF_TLS section. With this,
      // a defined symbol is thread-local exactly when its section is.
      if (y.type() == STT_TLS && y.section != SHN_UNDEF &&
          (y.section >= SHN_LORESERVE || !(sh[y.section].flags & SHF_TLS))) {
        std::string_view where = y.section == SHN_ABS ? std::string_view("SHN_ABS")
                                 : y.section == SHN_COMMON ? std::string_view("SHN_COMMON")
                                                           : sname(sh[y.section]);
        return malformed(oname, at, format("thread-local symbol '%.*s' is defined in '%.*s', which is not an SHF_TLS section",
                                           int(y.name_str.size()), y.name_str.data(), int(where.size()), where.data()));
      }
      // A section symbol stands for a section.
      if (y.type() == STT_SECTION && (y.section == SHN_UNDEF || y.section >= SHN_LORESERVE))
        return malformed(oname, at, format("section symbol %llu does not name a section", (unsigned long long)i));
      if (y.section == SHN_COMMON && (y.value == 0 || !is_power_of_two_or_zero(y.value) || y.value > kMaxAlign))
        return malformed(oname, at + L.st_value, format("common symbol '%.*s' has alignment %llu, not a power of two up to 1 MiB",
                                               int(y.name_str.size()), y.name_str.data(), (unsigned long long)y.value));
      // Value 0 first: it lies inside any section, and it is what every
      // symbol of a -ffunction-sections object has, whose section header
      // is then never fetched (one cache miss per symbol over the 1 MB of
      // headers of a 20,000-section object).
      if (y.value != 0 && y.type() != STT_SECTION && y.section != SHN_UNDEF && y.section < SHN_LORESERVE &&
          secmap[y.section] != kNone && y.value > sh[y.section].size)
        return malformed(oname, at + L.st_value, format("symbol '%.*s' value 0x%llx lies past the end of section '%.*s' (0x%llx bytes)",
                                               int(y.name_str.size()), y.name_str.data(), (unsigned long long)y.value,
                                               int(sname(sh[y.section]).size()), sname(sh[y.section]).data(),
                                               (unsigned long long)sh[y.section].size));
    }
  }
  return Error::success();
}

// Commons and IFUNCs: sections of the loader's own, sized from the symbols.
// Checks: the commons' total within the loader's limit; an IFUNC resolver
// in code, not in a thread-local section; the architecture has IFUNC stubs.
template <class E, const ElfClassLayout& L>
Error ElfLoad<E, L>::own_sections() {
  // Common symbols get a section of their own, laid out in symbol order.
  // Commons of one name in this object are one block, as a link editor
  // merges them (ld and lld): the largest size and the strictest alignment
  // of them, at the first one's place (L4).
  common_offset.clear();
  if (common_count) {
    std::vector<CommonBlock> blocks = common_blocks(syms.size(), [&](size_t i) {
      const Sym& y = syms[i];
      return CommonSymbol{i != 0 && y.section == SHN_COMMON, preemptible(y) ? y.name_str : std::string_view(),
                          y.size, y.value};
    });
    common_offset.assign(syms.size(), 0);
    CommonSection section;
    if (!lay_out_common_blocks(blocks, common_offset, total, kMaxTotalAlloc, section))
      return Error(ErrorKind::Memory,
                   format("%s: common symbols exceed the loader's limit of 4 GiB per object", obj.name.c_str()));
    common_section = add_own_section("<common symbols>", SectionKind::Common, section.size, u32(section.align));
  }

  // IFUNC symbols: each gets a stub in a code section of our own, and a
  // writable slot pair {target, resolver}; the symbol's address becomes its
  // stub's, so calls and address-takes everywhere agree (see core/arch.h).
  const RelocationArch& ra = *arch->reloc;
  ifunc_of_sym.clear();
  for (size_t i = 1; ifunc_count_max && i < syms.size(); i++) {
    const Sym& y = syms[i];
    if (y.type() != STT_GNU_IFUNC || y.section == SHN_UNDEF || y.section >= SHN_LORESERVE || secmap[y.section] == kNone)
      continue;
    // An IFUNC symbol's value is its resolver's address; a thread-local
    // section has no addresses, only thread-pointer offsets.
    if (sh[y.section].flags & SHF_TLS)
      return malformed(oname, sh[symtab].offset + i * L.sym_size,
                       format("IFUNC symbol '%.*s' is defined in '%.*s', a thread-local section: its resolver has no address",
                              int(y.name_str.size()), y.name_str.data(), int(sname(sh[y.section]).size()),
                              sname(sh[y.section]).data()));
    // ... and its resolver is called: it must be code. One in data would
    // have the first call jump into non-executable bytes.
    if (!(sh[y.section].flags & SHF_EXECINSTR))
      return malformed(oname, sh[symtab].offset + i * L.sym_size,
                       format("IFUNC symbol '%.*s' is defined in '%.*s', which is not code: its resolver cannot run there",
                              int(y.name_str.size()), y.name_str.data(), int(sname(sh[y.section]).size()),
                              sname(sh[y.section]).data()));
    if (!ra.ifunc_stub_size)
      return Error(ErrorKind::Unsupported, format("%s: IFUNC symbol '%.*s': %s has no IFUNC support", obj.name.c_str(),
                                                  int(y.name_str.size()), y.name_str.data(), ra.name));
    if (ifunc_of_sym.empty()) ifunc_of_sym.assign(syms.size(), kNone);
    ifunc_of_sym[i] = ifunc_count++;
  }
  if (ifunc_count) {
    ifunc_stubs = add_own_section("<ifunc stubs>", SectionKind::Code, ifunc_stub_offset(ifunc_count), 16);
    ifunc_slots = add_own_section("<ifunc slots>", SectionKind::Data, u64(ifunc_count) * 16, 8);
  }
  return Error::success();
}

// Relocations. Checks: SHT_RELA with the class's entsize (24 / 12; SHT_REL: 16 / 8), size a
// multiple of it, sh_link the symbol table, sh_info a section; SHT_REL only
// where the architecture reads implicit addends (ElfArch::implicit_addend:
// AArch64; x86-64 refuses REL), each REL entry's type one whose field
// holds an addend; each entry's symbol index below the symbol count, its
// place inside its section and its field too (the architecture's scan,
// which also checks what the type asks of its symbol and sequence); no two
// fields overlapping.
template <class E, const ElfClassLayout& L>
Error ElfLoad<E, L>::relocations() {
  // The hot loops below read these on every entry: as locals they stay in
  // registers, where members would be reloaded after each store.
  const u32 first = this->first, symtab = this->symtab, common_section = this->common_section,
            ifunc_stubs = this->ifunc_stubs;
  const u64 shnum = this->shnum;
  const Headers<E, L>& sh = this->sh;
  Buffer<u32>& secmap = this->secmap;
  Buffer<Sym>& syms = this->syms;
  RuntimeDyld::Impl& dyld = this->dyld;
  ObjectState& obj = this->obj;
  const RelocationArch& ra = *arch->reloc;
  const ElfPlainType* const plain_types = arch->plain_types;
  const u32 plain_count = plain_types ? arch->plain_type_count : 0;
  const bool any_tls_header = this->any_tls_header;
  std::vector<u32>& ext_of_sym = fill(scratch.ext_of_sym, syms.size(), kNone);
  std::vector<u32>& got_of_sym = scratch.got_of_sym;
  std::vector<u32>& tpgot_of_sym = scratch.tpgot_of_sym;
  std::vector<u32>& stub_of_sym = scratch.stub_of_sym;
  got_of_sym.clear();
  tpgot_of_sym.clear();
  stub_of_sym.clear();
  std::vector<RelocationEntry>& relocs = obj.relocs;
  patches.clear();
  const bool keep = dyld.keep_outcomes;
  u32 reloc_index = 0;

  // Count first so the array is allocated once; keep the tables that
  // relocate something loaded (the list shrinks in place).
  u64 nrel = 0;
  size_t kept = 0;
  // Checked in the header pass, all of them, against one symbol table that
  // turned out to be this object's: every table listed is kept, and the
  // loop below has nothing to do.
  const bool checked = tables_checked && (!tables_link_set || (symtab != 0 && tables_link == symtab));
  if (checked) {
    nrel = tables_entries;
    kept = relocation_tables.size();
  }
  for (size_t t = 0, end = checked ? 0 : relocation_tables.size(); t < end; t++) {
    const u32 i = relocation_tables[t];
    const Shdr& s = sh[i];
    if (s.type == SHT_REL && !arch->implicit_addend && s.info < shnum && secmap[s.info] != kNone)
      return Error(ErrorKind::Unsupported, format("%s: section '%.*s': SHT_REL relocations are not supported for this architecture",
                                                  obj.name.c_str(), int(sname(s).size()), sname(s).data()), shoff(i));
    if (s.type != SHT_RELA && s.type != SHT_REL) continue;
    const u64 esz = s.type == SHT_REL ? L.rel_size : L.rela_size;
    if (s.info == 0 || s.info >= shnum)
      return malformed(oname, shoff(i) + L.sh_info, format("relocation section '%.*s': sh_info %u is not a section",
                                                    int(sname(s).size()), sname(s).data(), s.info));
    if (secmap[s.info] == kNone) continue;  // relocates something we do not load (debug info): never read
    // Divided by a constant per type (the compiler's multiply), not by
    // esz: a hardware division per table was 1% of a 9,000-table load.
    // One quotient, its remainder from it: RELA first, the usual type.
    const u64 count = s.type == SHT_RELA ? s.size / L.rela_size : s.size / L.rel_size;
    if (s.entsize != esz || count * esz != s.size)
      return malformed(oname, shoff(i), format("relocation section '%.*s': entry size is not %u or size not a multiple of it",
                                               int(sname(s).size()), sname(s).data(), unsigned(esz)));
    if (s.size && (symtab == 0 || s.link != symtab))
      return malformed(oname, shoff(i) + L.sh_link, format("relocation section '%.*s': sh_link %u is not the symbol table",
                                                    int(sname(s).size()), sname(s).data(), s.link));
    nrel += count;
    relocation_tables[kept++] = i;
  }
  relocation_tables.resize(kept);
  // Room for the synthetic entries too (GOT and stub fills: at most one per
  // relocation and three per symbol; IFUNC: three per symbol), so the array
  // is never copied; pages past what is used are never touched.
  relocs.reserve(nrel + std::min<u64>(nrel, 3 * u64(syms.size())) + 3 * u64(ifunc_count) + 16);
  if (keep) obj.records.reserve(nrel);

  scan.object_name = oname;
  scan.sections = dyld.sections.data();  // no section is added while the tables are scanned
  scan.patches = &patches;
  scan.arch = arch->reloc;
  scan.dynamic_tls = dyld.memory.tls_strategy() == TlsStrategy::Dynamic;
  scan.first_section = first;
  // What each relocation needs of its symbol, computed once per symbol
  // rather than once per relocation (SymRef): bit 0 undefined, bit 1
  // thread-local (STT_TLS, or defined in an SHF_TLS section), bit 2 bound
  // by name at resolution (undefined, or a preemptible definition); and,
  // for a symbol bound here to one of the object's sections, where S is —
  // the same choice the relocation loop's general path makes, in its order.
  Buffer<SymRef>& symrefs = scratch.symrefs;
  if (!symrefs.resize(std::max<size_t>(syms.size(), 1)))
    return Error(ErrorKind::Memory, format("%s: out of memory for %zu symbols", obj.name.c_str(), syms.size()));
  symrefs[0] = SymRef{0, 0, 0, false};
  const size_t symref_count = symrefs.size();
  for (size_t i = 1; i < syms.size(); i++) {
    const Sym& y = syms[i];
    bool undefined = y.section == SHN_UNDEF;
    bool tls = y.type() == STT_TLS || (any_tls_header && !undefined && y.section < shnum && (sh[y.section].flags & SHF_TLS));
    // Most symbols are local or strong: they skip the full test.
    const u8 b = y.bind();
    const bool by_name =
        undefined || ((b == STB_WEAK || b == STB_GNU_UNIQUE || (y.section == SHN_COMMON && b != STB_LOCAL)) &&
                      preemptible(y));
    SymRef& ref = symrefs[i];
    ref = SymRef{0, 0,
                 u8(u8(undefined ? ElfRelocation::kSymUndefined : 0) | u8(tls ? ElfRelocation::kSymTls : 0) |
                    u8(by_name ? ElfRelocation::kSymByName : 0)),
                 false};
    if (by_name || y.section == SHN_ABS) continue;  // bound by name, or Absolute: the general path
    if (y.section == SHN_COMMON) {
      ref.target = common_section - first;
      ref.sym_offset = u32(common_offset[i]);
    } else if (!ifunc_of_sym.empty() && ifunc_of_sym[i] != kNone) {
      ref.target = ifunc_stubs - first;
      ref.sym_offset = u32(ifunc_stub_offset(ifunc_of_sym[i]));
    } else if (secmap[y.section] != kNone) {
      ref.target = secmap[y.section] - first;
      ref.sym_offset = y.type() == STT_SECTION ? 0 : u32(y.value);  // checked: inside its section
    } else {
      continue;  // in a section not loaded: the general path reports it
    }
    ref.section = true;
  }
  // Every common definition binds by name even when nothing here refers
  // to it: the merged storage's alignment is checked for each (L4).
  for (size_t i = 1; !common_offset.empty() && i < syms.size(); i++) {
    const Sym& y = syms[i];
    if (y.section != SHN_COMMON || !preemptible(y)) continue;
    ext_of_sym[i] = u32(obj.externals.size());
    ExternalSymbol& x = obj.externals.emplace_back();
    x.name = y.name_str;
    x.weak = y.bind() == STB_WEAK;
    x.defined_here = true;
    x.common_align = u32(y.value);  // checked: a power of two up to 1 MiB
  }
  // SHT_REL: the addend is read from the field by the architecture; a field
  // outside its section reads as 0 (the scan reports the field itself).
  auto implicit_addend = [&](const Shdr& rs, ElfRelocation& r) -> Error {
    r.addend = 0;
    const Shdr& target = sh[rs.info];
    u32 w = arch->field_width(r.type);
    if (w == 0 || w == ~0u || target.type == SHT_NOBITS || !in_bounds(r.offset, w, target.size))
      return Error::success();
    if (!arch->implicit_addend(r.type, &bytes[target.offset + r.offset], r.addend))
      return Error(ErrorKind::Unsupported,
                   format("%s: relocation %.*s at file offset 0x%llx is in an SHT_REL table, but its field holds no "
                          "addend", obj.name.c_str(), int(arch->reloc->type_name(r.type).size()),
                          arch->reloc->type_name(r.type).data(), (unsigned long long)r.file_offset),
                   r.file_offset);
    return Error::success();
  };
  // `rel` and `table_offset` are rs's, passed by value so that the loop
  // keeps them in registers (its stores could alias the header).
  auto decode = [&](const Shdr& rs, bool rel, u64 table_offset, u64 j, ElfRelocation& r)
                    __attribute__((always_inline)) -> Error {
    u64 at = table_offset + j * (rel ? L.rel_size : L.rela_size);
    const u8* p = &bytes[at];
    u64 info = rdw<E, L>(p + L.r_info);
    r.offset = rdw<E, L>(p + L.r_offset);
    r.type = u32(info & L.r_type_mask);
    r.symbol = u32(info >> L.r_sym_shift);
    r.file_offset = at;
    if (!rel) [[likely]] {
      r.addend = rds<E, L>(p + L.r_addend);
    } else {
      TRY(implicit_addend(rs, r));
    }
    if (r.symbol >= symref_count) [[unlikely]]  // symbol 0 is valid even with no symbol table
      return malformed(oname, at + L.r_info, format("relocation at file offset 0x%llx: symbol index %u is out of range (%zu symbols)",
                                             (unsigned long long)at, r.symbol, syms.size()));
    r.symbol_bits = symrefs[r.symbol].bits;  // symbol 0's are 0
    return Error::success();
  };
  // For the scan's on-demand look at the next entry and at symbol names.
  struct DecodeContext {
    decltype(decode)* decode;
    const Shdr* table;
    u64 next_index, count;
    const Buffer<Sym>* syms;
    const Headers<E, L>* sh;
    const char* shnames;
  } dctx{&decode, nullptr, 0, 0, &syms, &sh, shnames};
  scan.decode_ctx_ = &dctx;
  scan.decode_next_ = [](void* c, ElfRelocation& out) {
    auto* d = static_cast<DecodeContext*>(c);
    if (d->next_index >= d->count) return false;
    Error e = (*d->decode)(*d->table, d->table->type == SHT_REL, d->table->offset, d->next_index, out);
    return e.ok();  // a bad entry is reported when the loop reaches it
  };
  scan.name_of_ = [](void* c, u32 symbol) -> std::string_view {
    auto* d = static_cast<DecodeContext*>(c);
    if (symbol == 0 || symbol >= d->syms->size()) return {};
    const Sym& y = (*d->syms)[symbol];
    // A section symbol is named by its section.
    if (y.type() == STT_SECTION && y.section < d->sh->size()) return name_of(d->shnames, (*d->sh)[y.section]);
    return y.name_str;
  };
  scan.own_name_of_ = [](void* c, u32 symbol) -> std::string_view {
    auto* d = static_cast<DecodeContext*>(c);
    return symbol == 0 || symbol >= d->syms->size() ? std::string_view() : (*d->syms)[symbol].name_str;
  };

  // One GOT slot (or stub) per symbol: the first relocation that needs one
  // makes it.
  auto slot_for = [&](std::vector<u32>& table, std::vector<SlotTarget>& slots, const RelocationEntry& e, u32 symbol) {
    if (table.empty()) {
      table.assign(std::max<size_t>(syms.size(), 1), kNone);
      make_room(slots, slots.size() + std::min<u64>(syms.size(), nrel));  // at most one per symbol
    }
    u32& s = table[symbol];
    if (s == kNone) {
      s = u32(slots.size());
      SlotTarget& t = slots.emplace_back();  // in place, as new_got_slot does
      t.kind = e.target_kind;
      t.target = e.target;
      t.sym_offset = e.sym_offset;
      t.symbol = symbol;
    }
    return s;
  };
  // Dynamic TLS: one tls_index pair of GOT slots per symbol, {module,
  // offset} for TLSGD, {module, 0} for TLSLD (R_*_NONE leaves it 0).
  std::vector<u32> tlsgd_of_sym, tlsld_of_sym;
  auto tls_pair_for = [&](const RelocationEntry& e, u32 symbol, bool ld) {
    std::vector<u32>& table = ld ? tlsld_of_sym : tlsgd_of_sym;
    if (table.empty()) table.assign(std::max<size_t>(syms.size(), 1), kNone);
    u32& s = table[symbol];
    if (s == kNone) {
      s = u32(obj.got_slots.size());
      obj.got_slots.push_back(SlotTarget{e.target_kind, e.target, e.sym_offset, symbol, ra.dtpmod64_type});
      obj.got_slots.push_back(SlotTarget{e.target_kind, e.target, e.sym_offset, symbol, ld ? 0u : ra.dtpoff64_type});
    }
    return s;
  };
  // An Absolute target's value goes to the object's list; 0 is always there.
  auto absolute = [&](u64 value) -> u32 {
    if (value == 0) return 0;
    obj.absolutes.push_back(value);
    return u32(obj.absolutes.size() - 1);
  };

  obj.runs.reserve(relocation_tables.size() + 8);
  // Per loaded section, for the overlap check below: 1 = has a table whose
  // fields came in increasing order without overlap (checked as they came),
  // 2 = a table out of order, or a second table: needs the full check.
  std::vector<u8>& table_state = fill(scratch.table_state, dyld.sections.size() - first, u8(0));
  bool overlap_check = false;
  // GOT slots plain_run makes: the same table and list as slot_for's.
  PlainGot plain_got{&got_of_sym, &obj.got_slots, syms.size(), nrel};
  const size_t table_count = relocation_tables.size();
  PlainTables batch{bytes.data(), bytes.size(), relocation_tables.data(), table_count, &secmap[0], first, &symrefs[0], symref_count,
                    plain_types, plain_count, &plain_got, &relocs, &obj.runs, table_state.data()};
  for (size_t k = 0; k < table_count; k++) {
    // Entirely plain tables first, as many in a row as there are.
    batch.partial = false;
    if (plain_count && !keep && !scan.skip_next) {
      batch.reloc_index = 0;
      k = plain_tables<E, L>(batch, sh.address(0), k);
      reloc_index += batch.reloc_index;
      overlap_check |= batch.overlap_check;
      if (k == table_count) break;
    }
    const u32 i = relocation_tables[k];
    // A -ffunction-sections object has a table per function of ~5 entries:
    // the entries of the table two on (in the file, past its section's
    // contents) and the header four on are fetched while this one is made.
    if (k + 2 < table_count) [[likely]] {
      const u64 next = sh[relocation_tables[k + 2]].offset;  // checked: contents inside the file
      __builtin_prefetch(bytes.data() + next);              // (an empty table may end the file)
      if (next + 64 < bytes.size()) __builtin_prefetch(bytes.data() + next + 64);
      if (k + 4 < table_count) __builtin_prefetch(sh.address(relocation_tables[k + 4]));
    }
    const Shdr& rs = sh[i];
    const Shdr& target = sh[rs.info];
    const u64 target_size = target.size;
    u32 sec_id = secmap[rs.info];
    scan.section_id = sec_id;
    scan.section_size = target.size;
    scan.bytes = target.type == SHT_NOBITS ? std::span<const u8>() : bytes.subspan(target.offset, target.size);
    u64 n = rs.type == SHT_REL ? rs.size / L.rel_size : rs.size / L.rela_size;  // constant divisors
    ElfRelocation cur;
    // Where plain_tables stopped inside this table, if it did.
    u64 prev_to = batch.partial ? batch.prev_to : 0;
    bool ordered = batch.partial ? batch.ordered : true;
    const size_t table_first = batch.partial ? batch.table_first : relocs.size();
    dctx.table = &rs;
    dctx.count = n;
    const bool table_rel = rs.type == SHT_REL;
    const u64 table_offset = rs.offset;
    scan.arch_state = 0;
    scan.arch_table_state = 0;
    scan.pending_pairs = false;
    // Plain entries go through plain_run (not with outcomes recorded: those
    // want every entry's record, made below).
    const bool plain = plain_count && !table_rel && !keep;
    for (u64 j = batch.partial ? batch.stop : 0; j < n; j++) {
      if (plain && !scan.skip_next) {
        const u64 stop = plain_run<E, L>(&bytes[table_offset], j, n, &symrefs[0], symref_count, plain_types,
                                         plain_count, target_size, plain_got, relocs, prev_to, ordered);
        reloc_index += u32(stop - j);
        j = stop;
        if (j == n) break;
      }
      TRY(decode(rs, table_rel, table_offset, j, cur));
      dctx.next_index = j + 1;
      scan.next_decoded_ = false;
      // Every place must lie inside its section, whatever the type writes
      // (R_*_NONE writes nothing but still names a place); the
      // architecture's scan then checks the field's width.
      if (cur.offset > target_size) [[unlikely]]
        return scan.error(ErrorKind::Malformed, cur,
                          format("is at offset 0x%llx, past the end of its section (0x%llx bytes)",
                                 (unsigned long long)cur.offset, (unsigned long long)target.size));
      // Built where it stays: a copy from the stack would be one wide load
      // over the narrow stores just made, which waits for the store buffer
      // (and this array's cache misses) to drain, once per relocation.
      // (Made one by one: sizing the vector for the whole table first wrote
      // each entry twice, and measured 10% slower for this loop.)
      RelocationEntry& e = relocs.emplace_back();  // reserved: no reallocation
      e.offset = u32(cur.offset);  // at most the section's size, which is below 4 GiB
      e.addend = cur.addend;
      e.type = u16(cur.type);      // the scan refuses types it does not know
      reloc_index++;
      bool consumed = scan.skip_next;
      scan.skip_next = false;
      if (consumed) {
        e.flags = kRelConsumed;
        e.target_kind = TargetKind::Absolute;
      } else {
        // Where S lives.
        const SymRef& ref = symrefs[cur.symbol];
        const Sym* y = cur.symbol ? &syms[cur.symbol] : nullptr;
        if (ref.section) [[likely]] {
          // Bound here, to one of the object's sections (SymRef).
          e.target_kind = TargetKind::Section;
          e.target = ref.target;
          e.sym_offset = ref.sym_offset;
        } else if (cur.by_name() && y->section == SHN_UNDEF && y->name_str == "_GLOBAL_OFFSET_TABLE_") {
          // The GOT's own symbol, which a static linker would define: here
          // it is our GOT section (made below, so patched in afterwards).
          e.target_kind = TargetKind::Section;
          e.target = kNone;  // patched once the GOT exists (below)
          needs_got = true;
        } else if (cur.by_name() && !(arch->names_place && !cur.undefined() && arch->names_place(cur.type))) {
          // Undefined, or defined here but preemptible: bound by name to the
          // set's one definition when relocations are resolved (L5, L6).
          u32& x = ext_of_sym[cur.symbol];
          if (x == kNone) {
            x = u32(obj.externals.size());
            ExternalSymbol& ext = obj.externals.emplace_back();
            ext.name = y->name_str;
            ext.weak = y->bind() == STB_WEAK;
            ext.tls = cur.tls();
            ext.defined_here = !cur.undefined();
          }
          e.target_kind = TargetKind::External;
          e.target = x;
        } else if (!y || y->section == SHN_ABS) {
          e.target_kind = TargetKind::Absolute;
          e.target = absolute(y ? y->value : 0);
        } else if (y->section == SHN_COMMON) {
          e.target_kind = TargetKind::Section;
          e.target = common_section - first;
          e.sym_offset = u32(common_offset[cur.symbol]);
        } else if (!ifunc_of_sym.empty() && ifunc_of_sym[cur.symbol] != kNone) {
          e.target_kind = TargetKind::Section;
          e.target = ifunc_stubs - first;
          e.sym_offset = u32(ifunc_stub_offset(ifunc_of_sym[cur.symbol]));
        } else if (secmap[y->section] != kNone) {
          e.target_kind = TargetKind::Section;
          e.target = secmap[y->section] - first;
          e.sym_offset = y->type() == STT_SECTION ? 0 : u32(y->value);  // checked: inside its section
        } else {
          return scan.error(ErrorKind::Unsupported, cur,
                            format("refers to '%.*s' in section '%.*s', which is not loaded (not SHF_ALLOC)",
                                   int(y->name_str.size()), y->name_str.data(),
                                   int(sname(sh[y->section]).size()), sname(sh[y->section]).data()));
        }
        scan.field_width = 0;
        size_t patches_before = patches.size();
        TRY(arch->scan(scan, cur, e));
        // The bytes this relocation owns — its field, or the whole rewritten
        // sequence when the scan relaxed it — must come after the previous
        // entry's (the usual order); otherwise the table is checked in full below.
        u64 from = cur.offset, to = cur.offset + scan.field_width;
        const bool rewrote = patches.size() != patches_before;
        if (rewrote) [[unlikely]] {
          e.flags |= kRelRelaxed;
          for (size_t p = patches_before; p < patches.size(); p++) patches[p].entry = u32(relocs.size() - 1);
          from = patches.back().offset;
          to = from + patches.back().size;
        }
        // A consumed entry that rewrote bytes (RISC-V's call to
        // __tls_get_addr) owns them too.
        if (to > from && (!(e.flags & kRelConsumed) || rewrote)) {
          if (from < prev_to) ordered = false;
          prev_to = std::max(prev_to, to);
        }
        // SIZE relocations read Z, the symbol's size, in place of S.
        if (e.flags & kRelSize) {
          if (cur.by_name() && e.target_kind == TargetKind::External) {
            // A preemptible definition or an undefined name: Z is the size
            // of the definition the set chooses, known when relocations are
            // resolved (L5, L6); its own slot in the absolutes, refreshed
            // then. A name no object of the set defines has no size
            // (kRelExternalSize, set by the scan, stays), nor has
            // _GLOBAL_OFFSET_TABLE_, which is no external here.
            obj.absolutes.push_back(cur.undefined() ? 0 : syms[cur.symbol].size);
            obj.preemptible_sizes.push_back({u32(obj.absolutes.size() - 1), e.target});
            e.target = u32(obj.absolutes.size() - 1);
          } else {
            e.target = absolute(cur.symbol ? syms[cur.symbol].size : 0);
          }
          e.target_kind = TargetKind::Absolute;
          e.sym_offset = 0;
        }
        // Still waiting for the GOT's index (a SIZE relocation read the
        // symbol's size instead, and no longer names a section).
        if (e.target == kNone && e.target_kind == TargetKind::Section) [[unlikely]]
          got_symbol_refs.push_back(relocs.size() - 1);
      }
      // GOT slots and stubs: one test for the entries that need neither.
      if (e.flags & (kRelNeedsGot | kRelGot | kRelGotTpoff | kRelStub)) {
        if (e.flags & kRelNeedsGot) needs_got = true;
        if (e.flags & kRelGot) e.slot = slot_for(got_of_sym, obj.got_slots, e, cur.symbol);
        if (e.flags & kRelGotTpoff) {
          if (e.flags & (kRelTlsGdPair | kRelTlsLdPair)) {  // dynamic TLS (they come with kRelGotTpoff)
            e.slot = tls_pair_for(e, cur.symbol, e.flags & kRelTlsLdPair);
          } else {
            // TP-offset slots share the GOT with address slots; mark them apart.
            e.slot = slot_for(tpgot_of_sym, obj.got_slots, e, cur.symbol);
            obj.got_slots[e.slot].symbol |= 0x80000000u;
          }
        }
        if (e.flags & kRelStub) e.slot = slot_for(stub_of_sym, obj.stubs, e, cur.symbol);
      }
      if (keep) {
        RelocationRecord rec;
        rec.section = sec_id;
        rec.offset = cur.offset;
        rec.type = cur.type;
        rec.type_name = arch->reloc->type_name(cur.type);
        if (cur.symbol) {
          const Sym& y = syms[cur.symbol];
          // A section symbol stands for its section, and is named by it
          // even when that section is not loaded (a relocation consumed by
          // a TLS rewrite may name one).
          const bool section_symbol = y.type() == STT_SECTION && y.section < shnum && y.section != SHN_UNDEF;
          if (section_symbol && secmap[y.section] != kNone)
            rec.symbol_section = secmap[y.section];
          else
            rec.symbol_name = section_symbol ? sname(sh[y.section]) : y.name_str;
        }
        rec.addend = cur.addend;
        rec.file_offset = cur.file_offset;
        obj.records.push_back(rec);
      }
    }
    if (scan.pending_pairs) [[unlikely]]
      TRY(arch->pair(scan, std::span<RelocationEntry>(relocs).subspan(table_first, relocs.size() - table_first),
                     rs.offset, rs.type == SHT_REL ? L.rel_size : L.rela_size));
    overlap_check |= end_table(table_state[sec_id - first], ordered, obj.runs, sec_id, table_first, relocs.size());
  }
  if (plain_got.made) needs_got = true;  // its entries are kRelNeedsGot, as the general path's are
  obj.file_relocation_count = reloc_index;
  obj.dynamic_tls_entries = scan.saw_dynamic_tls;

  // Two relocations writing the same byte would make the result depend on
  // the order of application, which the psABI does not fix: refused.
  // Compilers write tables in offset order, one per section, which the
  // scan already checked; a table out of order, or a section with two
  // tables, has its fields collected and sorted here.
  if (overlap_check) {
    // Where each table's entries went: file entries are in relocs in table order.
    std::vector<Table>& tables = scratch.tables;
    tables.clear();
    size_t at = 0;
    for (u32 i : relocation_tables) {
      const Shdr& rs = sh[i];
      const u64 esz = rs.type == SHT_REL ? L.rel_size : L.rela_size;
      size_t n = rs.size / esz;
      tables.push_back({secmap[rs.info], at, at + n, rs.offset, esz});
      at += n;
    }
    struct Field {
      u64 from, to;
      u32 entry;   // in relocs: the field's, or the relocation whose scan rewrote the sequence
      bool patch;  // a rewritten sequence, not a field
    };
    std::vector<Field> fields;
    for (u32 sec = first; sec < first + table_state.size(); sec++) {
      if (table_state[sec - first] != 2) continue;
      fields.clear();
      for (const Table& t : tables) {
        if (t.section != sec) continue;
        for (size_t k = t.first; k < t.end; k++) {
          const RelocationEntry& e = relocs[k];
          u32 w = arch->field_width(e.type);
          if (!(e.flags & (kRelConsumed | kRelRelaxed)) && w && w != ~0u)
            fields.push_back({e.offset, e.offset + w, u32(k), false});
        }
      }
      // Two rewritten sequences overlap only when two entries claim one
      // sequence (the same TLS relocation twice, in one table or in two
      // tables of the section): as much an overlap as two fields.
      for (const Patch& p : patches)
        if (p.section == sec) fields.push_back({p.offset, p.offset + p.size, p.entry, true});
      std::sort(fields.begin(), fields.end(), [](const Field& a, const Field& b) { return a.from < b.from; });
      for (size_t k = 1; k < fields.size(); k++) {
        if (fields[k].from >= fields[k - 1].to) continue;
        const Field& a = fields[k - 1];
        const Field& b = fields[k];
        if (a.entry == b.entry) continue;  // one scan's own patches
        // The error names the entry that came later in the file.
        const bool b_later = a.entry == kNone || (b.entry != kNone && b.entry > a.entry);
        const Field& later = b_later ? b : a;
        const Field& other = b_later ? a : b;
        if (later.entry == kNone) continue;  // not made by a file entry: nothing to name
        const RelocationEntry& le = relocs[later.entry];
        u64 file_offset = kNoOffset;
        for (const Table& t : tables)
          if (later.entry >= t.first && later.entry < t.end) file_offset = t.file_offset + (later.entry - t.first) * t.entry_size;
        const LoadedSection& s = dyld.sections[sec];
        std::string_view tl = ra.type_name(le.type);
        std::string what = other.patch ? format("a rewritten TLS sequence at 0x%llx", (unsigned long long)other.from)
                                       : format("%.*s at 0x%llx", int(ra.type_name(relocs[other.entry].type).size()),
                                                ra.type_name(relocs[other.entry].type).data(),
                                                (unsigned long long)relocs[other.entry].offset);
        // A relaxed entry's type and offset are already its rewrite's
        // (TLSGD became TPOFF32 further on): it is named by where it is in
        // the file and the sequence by where it starts.
        if (later.patch)
          return Error(ErrorKind::Malformed,
                       format("%s:(%.*s+0x%llx): relocation at file offset 0x%llx: the TLS sequence it rewrites "
                              "(0x%llx bytes from here) overlaps %s",
                              obj.name.c_str(), int(s.name.size()), s.name.data(), (unsigned long long)later.from,
                              (unsigned long long)file_offset, (unsigned long long)(later.to - later.from),
                              what.c_str()),
                       file_offset);
        return Error(ErrorKind::Malformed,
                     format("%s:(%.*s+0x%llx): relocation %.*s at file offset 0x%llx: its field overlaps that of %s",
                            obj.name.c_str(), int(s.name.size()), s.name.data(), (unsigned long long)le.offset,
                            int(tl.size()), tl.data(), (unsigned long long)file_offset, what.c_str()),
                     file_offset);
      }
    }
  }
  return Error::success();
}

// Layout: the synthetic fills of IFUNC slots, GOT slots and stubs, then
// memory — reserve, allocate, copy, patch. Checks: none of the file's (all
// made above); the memory manager's refusals become errors naming the
// section.
template <class E, const ElfClassLayout& L>
Error ElfLoad<E, L>::layout() {
  const RelocationArch& ra = *arch->reloc;
  std::vector<RelocationEntry>& relocs = obj.relocs;
  // ---- IFUNC stub fields and slot pairs: synthetic relocations ---------------
  auto synthetic = [&](u32 section, u64 offset, u32 type, TargetKind kind, u32 target, u64 sym_offset, i64 addend) {
    const u32 k = u32(relocs.size());
    synthetic_entry(relocs, offset, type, kind, target, sym_offset, addend);
    extend_run(obj.runs, section, k, k + 1);
  };
  for (size_t i = 1; i < ifunc_of_sym.size(); i++) {
    u32 k = ifunc_of_sym[i];
    if (k == kNone) continue;
    const Sym& y = syms[i];
    // stub: lea slots_k(%rip) — PC-relative to its slot pair
    synthetic(ifunc_stubs, ifunc_stub_offset(k) + ra.ifunc_stub_field, ra.pc32_type, TargetKind::Section,
              ifunc_slots - first, u64(k) * 16, ra.ifunc_stub_addend);
    // slot pair: {the trampoline, the resolver}
    synthetic(ifunc_slots, u64(k) * 16, ra.abs64_type, TargetKind::Section, ifunc_stubs - first, 0, 0);
    synthetic(ifunc_slots, u64(k) * 16 + 8, ra.abs64_type, TargetKind::Section, secmap[y.section] - first, y.value, 0);
  }

  // ---- GOT and stubs: sections of our own, filled by synthetic relocations --
  if (needs_got || !obj.got_slots.empty()) {
    obj.got_section =
        add_own_section("<got>", SectionKind::Got, u64(obj.got_slots.size()) * ra.got_entry_size, ra.got_entry_size);
    // References to _GLOBAL_OFFSET_TABLE_, and GOT slots or stubs made for
    // it, now learn where the GOT is.
    for (size_t k : got_symbol_refs) relocs[k].target = obj.got_section - first;
    for (std::vector<SlotTarget>* slots : {&obj.got_slots, &obj.stubs})
      for (SlotTarget& t : *slots)
        if (t.kind == TargetKind::Section && t.target == kNone) t.target = obj.got_section - first;
    // One synthetic entry per slot, in one run of the GOT section (not
    // through synthetic(), a run's bookkeeping per slot): a PIC object has
    // thousands of slots, and that bookkeeping and the members re-read after
    // each store were most of this loop (locals below stay in registers).
    const size_t slot_count = obj.got_slots.size();
    const u32 got = obj.got_section;
    const bool dynamic_tls = scan.dynamic_tls;
    const u32 entry_size = ra.got_entry_size, tpoff64 = ra.tpoff64_type, abs64 = ra.abs64_type,
              dtpmod64 = ra.dtpmod64_type;
    SlotTarget* const slots = obj.got_slots.data();
    const u32 k0 = u32(relocs.size());
    for (size_t k = 0; k < slot_count; k++) {
      SlotTarget& t = slots[k];
      bool tpoff = t.symbol & 0x80000000u;
      t.symbol &= 0x7fffffffu;
      const u32 fill = t.fill_type != kNone ? t.fill_type : tpoff ? tpoff64 : abs64;
      RelocationEntry& e = synthetic_entry(relocs, u64(k) * entry_size, fill, t.kind, t.target, t.sym_offset, 0);
      if (dynamic_tls && (tpoff || t.fill_type != kNone)) e.flags |= kRelDynamicTls;
      // The module slot of a {module, 0} pair (local-dynamic): it gets the
      // object's local-dynamic base module, not its symbol's (core/tls-loader.cc).
      if (dynamic_tls && t.fill_type == dtpmod64 && k + 1 < slot_count && slots[k + 1].fill_type == 0)
        e.flags |= kRelTlsLdPair;
    }
    if (slot_count) extend_run(obj.runs, got, k0, u32(relocs.size()));
  }
  if (!obj.stubs.empty()) {
    obj.stub_section = add_own_section("<stubs>", SectionKind::Stubs, u64(obj.stubs.size()) * ra.stub_size, ra.stub_align);
    for (size_t k = 0; k < obj.stubs.size(); k++) {
      const SlotTarget& t = obj.stubs[k];
      synthetic(obj.stub_section, u64(k) * ra.stub_size + ra.stub_address_offset, ra.abs64_type, t.kind, t.target,
                t.sym_offset, 0);
    }
  }
  obj.section_count = u32(dyld.sections.size()) - first;

  // ---- memory: reserve, allocate, copy --------------------------------------
  MemoryManager& mm = dyld.memory;
  if (mm.needs_to_reserve_allocation_space())
    TRY(mm.reserve_allocation_space(reservation.size[kPoolCode], reservation.align[kPoolCode], reservation.size[kPoolRo],
                                    reservation.align[kPoolRo], reservation.size[kPoolRw], reservation.align[kPoolRw]));
  // Dynamic TLS: the object's TLS sections are one module (core/tls-loader.h).
  // (Only when a TLS section loads: it walks every section twice.)
  if (scan.dynamic_tls && any_tls) TRY(place_tls_module(dyld, obj, first, scan.static_tls_reason));
  // Sections carved here from the free tails the manager lends (by Pool;
  // MemoryManager::take_free_tail), a few instructions each where a call
  // was some forty. Not with thread-local sections: a manager may serve
  // those from its read-write memory. Every tail goes back on every exit.
  struct Tails {
    MemoryManager& mm;
    MemoryManager::FreeTail tail[3];
    void give_back(u8 pool) {
      if (tail[pool].begin) mm.return_free_tail(MemoryManager::MemoryKind(pool), tail[pool].begin);
      tail[pool] = {};
    }
    ~Tails() {
      for (u8 pool = 0; pool < 3; pool++) give_back(pool);
    }
  } tails{mm, {}};
  static_assert(kPoolCode == u8(MemoryManager::MemoryKind::Code) && kPoolRo == u8(MemoryManager::MemoryKind::ReadOnly) &&
                kPoolRw == u8(MemoryManager::MemoryKind::ReadWrite));
  if (!any_tls)
    for (u8 pool = 0; pool < 3; pool++) tails.tail[pool] = mm.take_free_tail(MemoryManager::MemoryKind(pool));
  const u32 section_end = u32(dyld.sections.size());
  for (u32 id = first; id < section_end; id++) {
    // The contents of the section eight on are fetched while this one is
    // placed: a -ffunction-sections object copies ~100 bytes at a time from
    // all over the file, each copy starting on a miss when the file has
    // left the cache (-17 us of ~290 in this loop, measured cold).
    if (id + 8 < section_end) [[likely]] {
      const LoadedSection& ahead = dyld.sections[id + 8];
      if (ahead.file_index != kNone && ahead.file_offset != kNoOffset && ahead.size) {  // checked: inside the file
        __builtin_prefetch(bytes.data() + ahead.file_offset);
        if (ahead.size > 64) __builtin_prefetch(bytes.data() + ahead.file_offset + 64);
      }
    }
    LoadedSection& s = dyld.sections[id];
    u64 alloc = allocation_size(s);
    u8* mem = nullptr;
    // From the lent tail, as the manager would carve it (its next address
    // aligned as the section asks); when the section does not fit, the tail
    // goes back and the manager is asked.
    if (const u8 pool = kPoolOf[u8(s.kind)]; pool != kPoolNone && tails.tail[pool].begin) [[likely]] {
      MemoryManager::FreeTail& t = tails.tail[pool];
      const u64 pad = u64(-reinterpret_cast<uintptr_t>(t.begin)) & (u64(s.align) - 1);
      const u64 avail = u64(t.end - t.begin);
      if (pad <= avail && alloc <= avail - pad) {
        mem = t.begin + pad;
        t.begin = mem + alloc;
      } else {
        tails.give_back(pool);
      }
    }
    if (!mem) switch (s.kind) {
      case SectionKind::Code: case SectionKind::Stubs:
        mem = mm.allocate_code_section(alloc, s.align, id, s.name);
        break;
      case SectionKind::Tls: case SectionKind::TlsBss: {
        if (scan.dynamic_tls) {  // placed in the module above
          mem = s.local;
          break;
        }
        auto tls = mm.allocate_tls_section(alloc, s.align, id, s.name, arch->tls_abi);
        if (!tls) {
          Error err = tls.take_error();
          return Error(err.kind(), format("%s: %s", obj.name.c_str(), err.message().c_str()), s.file_offset);
        }
        mem = tls->init_image;
        s.tp_offset = tls->tp_offset;
        break;
      }
      default:
        mem = mm.allocate_data_section(alloc, s.align, id, s.name, s.kind == SectionKind::ReadOnly);
        break;
    }
    if (!mem)
      return Error(ErrorKind::Memory, format("%s: the memory manager could not allocate 0x%llx bytes for section '%.*s'",
                                             obj.name.c_str(), (unsigned long long)alloc, int(s.name.size()), s.name.data()));
    s.local = mem;
    // A TLS section's "address" in relocations is its offset from the thread
    // pointer (dynamic TLS: its module's key plus its offset in the block).
    s.target = (s.kind == SectionKind::Tls || s.kind == SectionKind::TlsBss) ? (scan.dynamic_tls ? s.target : u64(s.tp_offset))
               : !s.allocatable                                                ? 0
                                                                               : u64(reinterpret_cast<uintptr_t>(mem));
    if (s.file_index != kNone && s.file_offset != kNoOffset && s.size)
      copy_contents(mem, &bytes[s.file_offset], s.size);
    else
      std::memset(mem, 0, s.size);
    if (s.is_eh_frame) std::memset(mem + s.size, 0, 4);
    if (s.kind == SectionKind::Stubs)
      for (u64 k = 0; k < obj.stubs.size(); k++) ra.write_stub(mem + k * ra.stub_size);
    if (id == ifunc_stubs) {
      ra.write_ifunc_trampoline(mem);
      for (u32 k = 0; k < ifunc_count; k++) ra.write_ifunc_stub(mem + ifunc_stub_offset(k));
    }
    if (s.is_eh_frame) obj.eh_frame_sections.push_back(id);
  }
  for (const Patch& p : patches) std::memcpy(dyld.sections[p.section].local + p.offset, p.bytes, p.size);
  return Error::success();
}

// Publication: the object's symbols into the dyld's tables. Checks: a
// second strong definition of a name is an error naming both objects (L2);
// otherwise one definition is chosen (L2-L4, RuntimeDyld::Impl::choose_definition).
template <class E, const ElfClassLayout& L>
Error ElfLoad<E, L>::publish() {
  // The loop below reads these for every symbol: as locals they stay in
  // registers, where members would be reloaded after each store.
  const u32 symtab = this->symtab, common_section = this->common_section, ifunc_stubs = this->ifunc_stubs;
  const Headers<E, L>& sh = this->sh;
  Buffer<u32>& secmap = this->secmap;
  Buffer<Sym>& syms = this->syms;
  RuntimeDyld::Impl& dyld = this->dyld;
  // ---- symbols into the dyld's tables ---------------------------------------
  // Built apart first, so that a duplicate definition is reported before
  // any table changes (the caller rolls back sections on error).
  u32 objidx = u32(dyld.objects.size() - 1);
  size_t first_symbol = dyld.symbols.size();
  make_room(dyld.symbols, first_symbol + syms.size());
  dyld.globals.reserve(dyld.globals.size() + syms.size() - std::min<size_t>(syms.size(), sh[symtab].info));
  // The header-to-section map, read below at each symbol's section: on a
  // -ffunction-sections object those are all over its 80 KB, which the
  // relocation stage has pushed out of the cache (one miss per symbol
  // without this: -17 us of ~270 here, measured cold). Only for a map of
  // many headers: a few lines stay cached anyway.
  if (shnum > 1024) prefetch_bytes(&secmap[0], shnum * sizeof(u32));
  const size_t sym_count = syms.size();
  // The global table's slot of each name is fetched eight symbols ahead,
  // its hash kept here until the insert (a ring of 16: written eight on,
  // read now). Hashed ahead: every symbol the insert below can see (and a
  // few it will not, whose section is not loaded).
  u64 hash_ahead[16];
  auto look_ahead = [&](size_t j) {
    if (j >= sym_count) return;
    const Sym& y = syms[j];
    if (y.bind() == STB_LOCAL || y.section == SHN_UNDEF || y.name_str.empty() || y.type() == STT_SECTION ||
        y.type() == STT_FILE)
      return;
    const u64 h = SymbolMap::hash(y.name_str);
    hash_ahead[j & 15] = h;
    dyld.globals.prefetch(h);
  };
  for (size_t j = 1; j < 9; j++) look_ahead(j);
  for (size_t i = 1; i < sym_count; i++) {
    // The name of the symbol sixteen on, which the global table's hash
    // reads first: after the relocation stage and the copy of a
    // many-section object's contents the name arena has left the cache,
    // and the hash waited on a miss per global name.
    if (i + 16 < sym_count) [[likely]] __builtin_prefetch(syms[i + 16].name_str.data());
    look_ahead(i + 8);
    const Sym& y = syms[i];
    if (y.type() == STT_SECTION || y.type() == STT_FILE || y.name_str.empty()) continue;
    if (y.section == SHN_UNDEF) continue;
    // Built in place, as relocation entries are (no wide copy from the stack).
    const u32 idx = u32(dyld.symbols.size());
    LoadedSymbol& ls = dyld.symbols.emplace_back();  // room made above
    ls.name = y.name_str;
    ls.size = y.size;
    ls.object = objidx;
    ls.flags.binding = y.bind() == STB_LOCAL ? SymbolBinding::Local
                       : y.bind() == STB_WEAK ? SymbolBinding::Weak : SymbolBinding::Global;
    ls.flags.unique = y.bind() == STB_GNU_UNIQUE;
    switch (y.type()) {
      case STT_FUNC: ls.flags.type = SymbolType::Function; break;
      case STT_OBJECT: ls.flags.type = SymbolType::Object; break;
      case STT_TLS: ls.flags.type = SymbolType::Tls; break;
      case STT_GNU_IFUNC: ls.flags.type = SymbolType::IFunc; break;
      case STT_COMMON: ls.flags.type = SymbolType::Common; break;
      default: ls.flags.type = SymbolType::NoType; break;
    }
    if (y.section == SHN_ABS) {
      ls.flags.absolute = true;
      ls.offset = y.value;
    } else if (y.section == SHN_COMMON) {
      ls.flags.type = SymbolType::Common;
      ls.section = common_section;
      ls.offset = common_offset[i];
      ls.align = u32(y.value);
    } else if (!ifunc_of_sym.empty() && ifunc_of_sym[i] != kNone) {
      ls.section = ifunc_stubs;
      ls.offset = ifunc_stub_offset(ifunc_of_sym[i]);
    } else if (secmap[y.section] != kNone) {
      ls.section = secmap[y.section];
      ls.offset = y.value;
    } else {
      dyld.symbols.pop_back();
      continue;  // defined in a section we do not load (debug info)
    }
    if (ls.flags.binding == SymbolBinding::Local) continue;  // indexed on first lookup
    auto [slot, inserted] = dyld.globals.insert_hashed(ls.name, hash_ahead[i & 15], idx);
    if (inserted) continue;
    // A second definition of the name: one of the two is chosen (L2-L4).
    if (Error err = dyld.choose_definition(slot, idx)) {
      // Two strong definitions. Undo this object's symbols; the caller
      // rolls back its sections.
      Error located(err.kind(), err.message(), sh[symtab].offset + i * L.sym_size);
      dyld.symbols.resize(first_symbol);
      dyld.rebuild_symbol_maps();
      return located;
    }
  }
  return Error::success();
  return Error::success();
}


}  // namespace

// Class and byte order come from e_ident; they pick the instantiation.
static Error load(LoadState& st, std::span<const u8> bytes) {
  if (bytes.size() < 20) {
    return malformed(st.object.name, 0,
                     format("file of %zu bytes is too small for an ELF header", bytes.size()));
  }
  // An unknown class or byte order is refused by header() in any instantiation.
  const bool be = bytes[5] == ELFDATA2MSB;
  if (bytes[4] == ELFCLASS32)
    return be ? ElfLoad<BigEndian, kElf32Layout>(st, bytes).run() : ElfLoad<LittleEndian, kElf32Layout>(st, bytes).run();
  return be ? ElfLoad<BigEndian, kElf64Layout>(st, bytes).run() : ElfLoad<LittleEndian, kElf64Layout>(st, bytes).run();
}

static bool matches(std::span<const u8> bytes) {
  return bytes.size() >= 4 && std::memcmp(bytes.data(), ELFMAG, 4) == 0;
}

extern const ObjectFormat kElfFormat;
const ObjectFormat kElfFormat = {"ELF", matches, load};

}  // namespace jitload::elf
