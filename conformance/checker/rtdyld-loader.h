// What `jitload rtdyld` needs of a loader, so one driver (tools/rtdyld.cc)
// runs llvm-rtdyld's command line on either of our loaders: the engine
// (engine/loader) or the reference loader (reference/). Each adapter brings
// its own llvm-rtdyld-style memory manager (allocation log, optional slab,
// -print-alloc-requests, -dummy-extern) and a CheckerContext.
//
// The placement rule of llvm-rtdyld -verify lives here too (place_sections),
// apart from any loader, so it is unit-tested alone.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/checker/checker.h"
#include "engine/loader/core/base.h"

namespace jitload::checker {

// The llvm-rtdyld options that shape memory management.
struct RtdyldMemoryOptions {
  bool execute = false;               // the code runs here (-execute)
  bool print_alloc_requests = false;  // log each request to stdout, as llvm-rtdyld does
  u64 preallocate = 0;                // bytes of one up-front slab; 0: allocate on demand
  std::map<std::string, u64, std::less<>> dummy_externs;  // -dummy-extern (verify only)
  // -verify resolves external symbols as llvm-rtdyld -verify does: from
  // -dummy-extern, then the -dylib libraries (dlopen handles, searched with
  // their dependencies), never from the host process itself — a host
  // address differs from run to run. -execute resolves against the process.
  std::vector<void*> dylibs;
  // Called with each name that no source above defines (the tool reports
  // them as llvm-rtdyld does).
  std::function<void(std::string_view)> on_unresolved;
};

// One request the loader made of the memory manager, in the order made.
// Thread-local sections are not listed: they live in the TLS block and are
// never remapped (as in llvm-rtdyld).
struct Allocation {
  u32 section = 0;      // the loader's section id
  u32 object = 0;       // index of the object it belongs to
  std::string name;     // section name as the loader gave it
  bool code = false;
  u64 local = 0;        // host address
  u64 size = 0;         // bytes asked for
  // Bytes it occupies in llvm-rtdyld's phony target layout: on-demand
  // allocations are whole pages (llvm-rtdyld maps each one), slab ones
  // their size rounded up to their alignment.
  u64 span = 0;
};

class RtdyldLoader {
 public:
  virtual ~RtdyldLoader() = default;
  virtual std::string_view loader_name() const = 0;

  // Load one object; file_name (no directory) names it in section_addr,
  // stub_addr, got_addr and -map-section.
  virtual Error load(std::span<const u8> bytes, std::string_view file_name) = 0;
  virtual const std::vector<Allocation>& allocations() const = 0;
  // The section of a file by the name llvm-rtdyld would give it (".got" is
  // the GOT, "<common symbols>" the common block).
  virtual std::optional<u32> find_section(std::string_view file_name, std::string_view section) const = 0;
  virtual Error map_section(u32 section, u64 target) = 0;
  // Whether -verify's layout places this section. Sections loaded only
  // because every section is processed (debug info, not SHF_ALLOC) stay at
  // target address 0, as in llvm-rtdyld.
  virtual bool placed_by_layout(u32 section) const { return true; }
  virtual Error resolve() = 0;
  // Execute mode: make the code runnable.
  virtual Error finalize() = 0;
  virtual void* symbol_local_address(std::string_view name) = 0;
  // Execute mode, around the entry point: the objects' static constructors,
  // and after it their destructors as a native program's end runs them (the
  // engine binds the C++ runtime hooks for these: its own __dso_handle per
  // object, __cxa_atexit, __cxa_thread_atexit, atexit). The default runs
  // nothing. run_destructors also runs if the program calls exit().
  virtual Error run_constructors() { return Error::success(); }
  virtual Error run_destructors() { return Error::success(); }
  // Target address of an object's section, by its index in the file (for
  // line tables); nullopt when that section was not loaded.
  virtual std::optional<u64> file_section_target(u32 object, u32 file_index) const = 0;
  virtual CheckerContext& context() = 0;
};

// Whether bytes are a little-endian Mach-O file (MH_MAGIC_64, or MH_MAGIC
// for 32-bit objects): llvm-rtdyld's Mach-O loader answers stub_addr with
// GOT entries too.
inline bool is_macho(std::span<const u8> bytes) {
  return bytes.size() >= 4 && (bytes[0] == 0xcf || bytes[0] == 0xce) && bytes[1] == 0xfa && bytes[2] == 0xed &&
         bytes[3] == 0xfe;
}

Expected<std::unique_ptr<RtdyldLoader>> make_engine_rtdyld_loader(const RtdyldMemoryOptions& options);
// An error when jitload was built without the reference loader.
Expected<std::unique_ptr<RtdyldLoader>> make_reference_rtdyld_loader(const RtdyldMemoryOptions& options);

// llvm-rtdyld -verify's placement of sections in the phony target address
// space. Blocks already placed (-map-section) stay put; the others, in the
// order given (llvm-rtdyld: code allocations first, then data), each go at
// the lowest address >= start that leaves `separation` bytes to every placed
// block, scanning placed blocks by address. Unlike llvm-rtdyld, which never
// consults -target-addr-end, a block that would end beyond `end` is an error.
struct PlacementBlock {
  u64 span = 0;
  std::optional<u64> fixed;
};
Expected<std::vector<u64>> place_sections(std::span<const PlacementBlock> blocks, u64 start, u64 end,
                                          u64 separation);

// The top of a triple's address space, llvm-rtdyld's default
// -target-addr-end: 0xffff for 16-bit, 0xffffffff for 32-bit architectures,
// otherwise 2^64 - 1.
u64 triple_address_limit(std::string_view triple);

// For -printline: the functions of an object and their line tables, in
// llvm-rtdyld's format, with addresses where the loader put the sections
// (or as in the file, when section_target is null: -printobjline).
Expected<std::string> print_line_info(std::span<const u8> object, const RtdyldLoader* loader, u32 object_index);

}  // namespace jitload::checker
