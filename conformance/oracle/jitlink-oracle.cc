// The JITLink oracle: LLVM 19's JITLink as the third opinion for the
// machines LLVM 19's RuntimeDyld cannot load (RISC-V: "Unsupported CPU
// type!"; LoongArch: none at all). Runs inside jitload-oracle-llvm, the
// child process of oracle.h, so an abort inside LLVM is "oracle crashed".
//
// How the report is made (the same LoadReport as the RuntimeDyld oracle):
//   - placement: JITLink builds one block per ELF section at the section's
//     sh_addr (0 in a relocatable object) and computes every fixup and
//     symbol address relative to it. The object is copied with sh_addr set
//     to the address the scenario's rule gives each allocatable section
//     (layout.h), so every block JITLink builds from the file already sits
//     where the comparison expects it. The memory manager below keeps
//     those addresses and places only what JITLink makes itself: its GOT
//     ("$__GOT") and PLT stubs ("$__STUBS") at the scenario's "<got>" and
//     "<stubs>", common symbols at "<common symbols>", anything else
//     (the .eh_frame null terminator) after them;
//   - externals: JITLink's lookup is answered from the scenario
//     (scenario_extern); a weak reference nothing defines stays 0 (JITLink
//     does that itself), a strong one fails the link: "undefined symbol";
//   - relaxation: JITLink relaxes RISC-V code by default (R_RISCV_ALIGN
//     padding trimmed, auipc+jalr pairs marked R_RISCV_RELAX turned into
//     jal / c.j, the code shrinking under them), which jitload's loaders
//     never do. The reported link turns those edges back into what they
//     are without relaxation before JITLink's relaxation pass sees them
//     (a call relaxable edge is linked as R_RISCV_CALL, which JITLink
//     itself does when its pass does not run; the ALIGN edge, which writes
//     nothing, is dropped), so the bytes compare place by place. A second
//     link with JITLink's default passes untouched measures what its
//     relaxation does to the same object, and the oracle says it in notes
//     (classified differences in `jitload diff`), never silently;
//   - the report is read back after the fixups: each file section's bytes
//     are its blocks' final contents at their offsets; a section none of
//     whose blocks survived JITLink's dead-stripping is left out (as
//     RuntimeDyld leaves sections out); symbols from the object's symbol
//     table at JITLink's addresses; relocations as the object states them,
//     decoded from the bytes as for every loader.
#include <algorithm>
#include <cstdlib>
#include <functional>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "conformance/oracle/llvm-oracle-parts.h"
#include "conformance/report/arch.h"
#include "conformance/report/layout.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/ExecutionEngine/JITLink/JITLink.h"
#include "llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h"
#include "llvm/ExecutionEngine/JITLink/riscv.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/ExecutorProcessControl.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"

namespace jitload::conformance {

using namespace oracle_parts;
namespace jl = llvm::jitlink;

namespace {

// The oracle's registry line per architecture JITLink links for it.
// `relaxes`: JITLink 19 has a relaxation pass for it (its edge kinds below).
struct JitlinkArch {
  llvm::Triple::ArchType arch;
  bool relaxes;
};
constexpr JitlinkArch kJitlinkArchs[] = {
    {llvm::Triple::riscv64, true},
    {llvm::Triple::riscv32, true},
    {llvm::Triple::loongarch64, false},
};

const JitlinkArch* jitlink_arch(llvm::Triple::ArchType arch) {
  for (const JitlinkArch& a : kJitlinkArchs)
    if (a.arch == arch) return &a;
  return nullptr;
}

// An allocatable file section where the scenario puts it.
struct FileSection {
  int index = 0;
  std::string name;
  u64 address = 0;  // TLS: where JITLink is told it is (it has no TLS model here)
  u64 size = 0, align = 1, flags = 0;
  u32 type = 0;
  bool tls = false;
  i64 tp_offset = 0;
  std::vector<u8> bytes;  // final, once read back
  bool linked = false;    // some block of it survived the link
};

// An area of JITLink's own, as placed.
struct OwnArea {
  std::string name;  // the report's: "<got>", "<stubs>", "<common symbols>", "<jitlink NAME>"
  std::string kind;
  u64 address = 0, size = 0, align = 1;
  std::vector<u8> bytes;
};

// Everything a link leaves behind, copied out of the graph before JITLink
// destroys it.
struct LinkResult {
  bool finalized = false;
  bool fixed = false;  // the fixups ran (a set member: ORC finalizes it)
  std::string error;
  std::vector<FileSection> sections;
  std::vector<OwnArea> areas;
  std::map<std::string, u64> named;   // non-local defined symbols -> address
  std::map<std::string, u64> common;  // common symbols -> address
  std::optional<u64> got;
  // Relaxation, measured on the link with JITLink's default passes.
  u64 calls_relaxable = 0, aligns = 0;
  // The relaxed link checked against itself (check_relaxed): fields read
  // back from its final bytes, and the first that does not reach the
  // target its edge names.
  u64 checked = 0, wrong = 0;
  std::string first_wrong;
  i64 to_jal = 0, to_rvc = 0;  // jal and c.j/c.jal edges relaxation made (after minus before)
  // Where each defined symbol started and ended in its block before
  // relaxation; JITLink 19 moves symbols and edges up but keeps the
  // block's size, so how far the code moved is read from its symbols.
  std::map<const jl::Symbol*, std::pair<u64, u64>> before;
  std::map<std::string, u64> moved;  // graph section -> bytes removed (the largest move of a symbol's end)
  std::map<const jl::Block*, u64> block_size;  // before relaxation
  u64 blocks_shrunk = 0;                        // blocks whose size relaxation changed
};

class Finalized final : public jl::JITLinkMemoryManager::InFlightAlloc {
 public:
  void finalize(OnFinalizedFunction done) override {
    done(jl::JITLinkMemoryManager::FinalizedAlloc(llvm::orc::ExecutorAddr(1)));
  }
  void abandon(OnAbandonedFunction done) override { done(llvm::Error::success()); }
};

// Keeps the addresses of the blocks built from the file (their sh_addr,
// set by the oracle), places JITLink's own blocks in the scenario's areas,
// and gives every block working memory (a copy owned by the graph).
// One object being linked: its scenario (a set member's, for a set), its
// placement and what its link leaves behind.
struct Member {
  LoadScenario scenario;
  Placement placement;
  LinkResult out;
  // A set: areas other than the common block, GOT and stubs (the
  // .eh_frame terminator) go after the last member, from this one cursor.
  Placement* others = nullptr;
};

class PlacingMemory final : public jl::JITLinkMemoryManager {
 public:
  // `member_of`: the member a graph was built from (its name is the
  // member's buffer name), or nullptr.
  explicit PlacingMemory(std::function<Member*(const jl::LinkGraph&)> member_of) : member_of_(std::move(member_of)) {}

  void allocate(const jl::JITLinkDylib*, jl::LinkGraph& G, OnAllocatedFunction done) override {
    Member* m = member_of_(G);
    if (!m)
      return done(llvm::make_error<llvm::StringError>("JITLink oracle: a graph of no member: " + G.getName(),
                                                      llvm::inconvertibleErrorCode()));
    LinkResult& out_ = m->out;
    // Areas in the rule's order: commons, GOT, stubs, then anything else.
    std::vector<std::pair<std::string, std::vector<jl::Block*>>> areas = {
        {"<common symbols>", {}}, {"<got>", {}}, {"<stubs>", {}}};
    for (jl::Section& S : G.sections()) {
      for (jl::Block* B : S.blocks()) {
        if (!B->isZeroFill()) (void)B->getMutableContent(G);  // the graph's own copy, written by the fixups
        if (S.getMemLifetime() == llvm::orc::MemLifetime::NoAlloc) continue;
        if (from_file(out_, S.getName().str(), B->getAddress().getValue(), B->getSize())) continue;
        std::string area = S.getName() == "$__GOT"     ? "<got>"
                           : S.getName() == "$__STUBS" ? "<stubs>"
                           : S.getName() == ".common" || S.getName() == "__common"
                               ? "<common symbols>"
                               : "<jitlink " + S.getName().str() + ">";
        auto it = std::find_if(areas.begin(), areas.end(), [&](auto& a) { return a.first == area; });
        if (it == areas.end()) it = areas.insert(areas.end(), {area, {}});
        it->second.push_back(B);
      }
    }
    for (auto& [name, blocks] : areas) {
      u64 size = 0, align = name == "<got>" ? 8 : name == "<stubs>" ? 16 : 1;
      for (jl::Block* B : blocks) {
        u64 a = B->getAlignment();
        align = std::max(align, a);
        size = (size + a - 1) / a * a + B->getSize();
      }
      if (blocks.empty() && name != "<got>") continue;
      bool own = name == "<common symbols>" || name == "<got>" || name == "<stubs>";
      u64 base = !own && m->others ? m->others->place_area(m->scenario, name, size, align)
                                   : m->placement.place_area(m->scenario, name, size, align);
      OwnArea area;
      area.name = name;
      area.kind = name == "<got>" ? "got" : name == "<stubs>" ? "stubs" : name == "<common symbols>" ? "common" : "data";
      area.address = base;
      area.size = size;
      area.align = align;
      u64 at = 0;
      for (jl::Block* B : blocks) {
        u64 a = B->getAlignment();
        at = (at + a - 1) / a * a;
        B->setAddress(llvm::orc::ExecutorAddr(base + at));
        at += B->getSize();
      }
      if (name == "<got>") out_.got = base;
      out_.areas.push_back(area);
    }
    done(std::make_unique<Finalized>());
  }

  void deallocate(std::vector<FinalizedAlloc> allocs, OnDeallocatedFunction done) override {
    for (FinalizedAlloc& a : allocs) a.release();
    done(llvm::Error::success());
  }

 private:
  static bool from_file(const LinkResult& out, const std::string& section, u64 address, u64 size) {
    for (const FileSection& f : out.sections)
      if (f.name == section && address >= f.address && size <= f.size && address - f.address <= f.size - size)
        return true;
    return false;
  }
  std::function<Member*(const jl::LinkGraph&)> member_of_;
};

// The oracle's passes on a graph (for one object or a set member):
// relaxation unmarked (unless `relaxed`) and measured, and, after the
// fixups, everything the report needs copied out of the graph.
void add_oracle_passes(jl::PassConfiguration& config, const jl::LinkGraph& graph, LinkResult& out_, bool relaxed_);

class OracleContext final : public jl::JITLinkContext {
 public:
  OracleContext(PlacingMemory& memory, const LoadScenario& scenario, bool relaxed, LinkResult& out)
      : JITLinkContext(nullptr), memory_(memory), scenario_(scenario), relaxed_(relaxed), out_(out) {}

  llvm::Error modifyPassConfig(jl::LinkGraph& G, jl::PassConfiguration& config) override {
    add_oracle_passes(config, G, out_, relaxed_);
    return llvm::Error::success();
  }

  jl::JITLinkMemoryManager& getMemoryManager() override { return memory_; }
  void notifyFailed(llvm::Error e) override { out_.error = message_of(std::move(e)); }

  void lookup(const LookupMap& symbols, std::unique_ptr<jl::JITLinkAsyncLookupContinuation> then) override {
    jl::AsyncLookupResult found;
    std::string missing;
    for (const auto& [name, flags] : symbols) {
      if (std::optional<u64> a = scenario_extern(scenario_, name.str()))
        found[name] = llvm::orc::ExecutorSymbolDef(llvm::orc::ExecutorAddr(*a), llvm::JITSymbolFlags::Exported);
      else if (flags == jl::SymbolLookupFlags::RequiredSymbol)
        missing += (missing.empty() ? "'" : ", '") + name.str() + "'";
    }
    if (!missing.empty())
      return then->run(llvm::make_error<llvm::StringError>("undefined symbol " + missing, llvm::inconvertibleErrorCode()));
    then->run(std::move(found));
  }

  llvm::Error notifyResolved(jl::LinkGraph&) override { return llvm::Error::success(); }
  void notifyFinalized(jl::JITLinkMemoryManager::FinalizedAlloc a) override {
    a.release();
    out_.finalized = true;
  }


 private:
  PlacingMemory& memory_;
  const LoadScenario& scenario_;
  bool relaxed_;
  LinkResult& out_;
};

// RISC-V instruction immediates, read back for check_relaxed (the psABI's
// instruction formats: J, CJ, B, CB, U + I/S).
i64 sext(u64 v, unsigned bits) { return i64(v << (64 - bits)) >> (64 - bits); }
u32 word_at(const char* p) { return u32(u8(p[0])) | u32(u8(p[1])) << 8 | u32(u8(p[2])) << 16 | u32(u8(p[3])) << 24; }
u32 half_at(const char* p) { return u32(u8(p[0])) | u32(u8(p[1])) << 8; }
i64 j_imm(u32 i) {
  return sext(((i >> 31) & 1) << 20 | ((i >> 12) & 0xff) << 12 | ((i >> 20) & 1) << 11 | ((i >> 21) & 0x3ff) << 1, 21);
}
i64 b_imm(u32 i) {
  return sext(((i >> 31) & 1) << 12 | ((i >> 7) & 1) << 11 | ((i >> 25) & 0x3f) << 5 | ((i >> 8) & 0xf) << 1, 13);
}
i64 cj_imm(u32 c) {
  return sext(((c >> 12) & 1) << 11 | ((c >> 11) & 1) << 4 | ((c >> 9) & 3) << 8 | ((c >> 8) & 1) << 10 |
                  ((c >> 7) & 1) << 6 | ((c >> 6) & 1) << 7 | ((c >> 3) & 7) << 1 | ((c >> 2) & 1) << 5,
              12);
}
i64 cb_imm(u32 c) {
  return sext(((c >> 12) & 1) << 8 | ((c >> 10) & 3) << 3 | ((c >> 5) & 3) << 6 | ((c >> 3) & 3) << 1 | ((c >> 2) & 1) << 5,
              9);
}
i64 i_imm(u32 i) { return sext(i >> 20, 12); }
i64 s_imm(u32 i) { return sext(((i >> 25) << 5) | ((i >> 7) & 0x1f), 12); }
i64 u_imm(u32 i) { return sext(i & 0xfffff000u, 32); }

// After JITLink's relaxation and fixups: does every control-transfer and
// PC-relative field of the relaxed code reach what its edge names? (Code
// moved under the fields; a wrong edge offset or a stale pairing would
// show here.) Counted into `out`; RV32 arithmetic modulo 2^32.
void check_relaxed(jl::LinkGraph& G, LinkResult& out) {
  namespace rv = jl::riscv;
  u64 mask = G.getPointerSize() == 4 ? 0xffffffffull : ~0ull;
  for (jl::Block* B : G.blocks()) {
    if (B->isZeroFill() || !(unsigned(B->getSection().getMemProt()) & unsigned(llvm::orc::MemProt::Exec))) continue;
    const char* mem = B->getContent().data();
    u64 size = B->getSize();
    // The PC-relative high parts by place, for their low parts.
    std::map<u64, const jl::Edge*> highs;
    for (const jl::Edge& e : B->edges())
      if (e.getKind() == rv::R_RISCV_PCREL_HI20) highs[e.getOffset()] = &e;
    for (const jl::Edge& e : B->edges()) {
      u64 off = e.getOffset(), P = B->getAddress().getValue() + off;
      u64 target = (e.getTarget().getAddress().getValue() + u64(e.getAddend())) & mask;
      u64 reached = 0;
      switch (e.getKind()) {
        case rv::R_RISCV_JAL:
          if (off + 4 > size) continue;
          reached = P + u64(j_imm(word_at(mem + off)));
          break;
        case rv::R_RISCV_BRANCH:
          if (off + 4 > size) continue;
          reached = P + u64(b_imm(word_at(mem + off)));
          break;
        case rv::R_RISCV_RVC_JUMP:
          if (off + 2 > size) continue;
          reached = P + u64(cj_imm(half_at(mem + off)));
          break;
        case rv::R_RISCV_RVC_BRANCH:
          if (off + 2 > size) continue;
          reached = P + u64(cb_imm(half_at(mem + off)));
          break;
        case rv::R_RISCV_CALL:
        case rv::R_RISCV_CALL_PLT:
          if (off + 8 > size) continue;
          reached = P + u64(u_imm(word_at(mem + off))) + u64(i_imm(word_at(mem + off + 4)));
          break;
        case rv::R_RISCV_PCREL_LO12_I:
        case rv::R_RISCV_PCREL_LO12_S: {
          // The label names the auipc: the pair reaches the high part's target.
          if (&e.getTarget().getBlock() != B || off + 4 > size) continue;
          auto h = highs.find(e.getTarget().getOffset());
          if (h == highs.end() || h->first + 4 > size) continue;
          u64 hp = B->getAddress().getValue() + h->first;
          u32 insn = word_at(mem + off);
          i64 lo = e.getKind() == rv::R_RISCV_PCREL_LO12_I ? i_imm(insn) : s_imm(insn);
          reached = hp + u64(u_imm(word_at(mem + h->first))) + u64(lo);
          target = (h->second->getTarget().getAddress().getValue() + u64(h->second->getAddend())) & mask;
          break;
        }
        default:
          continue;
      }
      out.checked++;
      if ((reached & mask) != target) {
        if (!out.wrong++)
          out.first_wrong = B->getSection().getName().str() + "+" + hex(off - 0) + " (block at " +
                            hex(B->getAddress().getValue()) + "): " + G.getEdgeKindName(e.getKind()) + " reaches " +
                            hex(reached & mask) + ", its edge names " + hex(target);
      }
    }
  }
}

void add_oracle_passes(jl::PassConfiguration& config, const jl::LinkGraph& graph, LinkResult& out, bool relaxed) {
    LinkResult* outp = &out;
    bool riscv = graph.getTargetTriple().isRISCV();
    // Every allocatable block of the file stays: jitload's loaders load
    // every allocatable section, and JITLink would drop a block no symbol
    // keeps (.init_array, whose entries only an ORC platform would run).
    config.PrePrunePasses.push_back([](jl::LinkGraph& G) {
      std::vector<jl::Block*> bare;
      for (jl::Section& S : G.sections()) {
        if (S.getMemLifetime() == llvm::orc::MemLifetime::NoAlloc) continue;
        for (jl::Block* B : S.blocks()) bare.push_back(B);
      }
      std::set<const jl::Block*> covered;
      for (jl::Symbol* y : G.defined_symbols()) covered.insert(&y->getBlock());
      for (jl::Block* B : bare)
        if (!covered.count(B)) G.addAnonymousSymbol(*B, 0, 0, false, true);
      return llvm::Error::success();
    });
    // Before relaxation (JITLink's pass is the first post-allocation pass):
    // count what it may relax; for the reported link, unmark it.
    config.PostPrunePasses.push_back([outp, relaxed, riscv](jl::LinkGraph& G) {
      LinkResult& out_ = *outp;
      bool relaxed_ = relaxed;
      for (jl::Symbol* y : G.defined_symbols()) out_.before[y] = {y->getOffset(), y->getOffset() + y->getSize()};
      for (jl::Block* B : G.blocks()) {
        out_.block_size[B] = B->getSize();
        if (!riscv) continue;
        for (const jl::Edge& e : B->edges()) {  // jal / c.j already there before relaxation
          if (e.getKind() == jl::riscv::R_RISCV_JAL) out_.to_jal--;
          if (e.getKind() == jl::riscv::R_RISCV_RVC_JUMP) out_.to_rvc--;
        }
        for (auto e = B->edges().begin(); e != B->edges().end();) {
          if (e->getKind() == jl::riscv::CallRelaxable) {
            out_.calls_relaxable++;
            if (!relaxed_) e->setKind(jl::riscv::R_RISCV_CALL);
          } else if (e->getKind() == jl::riscv::AlignRelaxable) {
            out_.aligns++;
            if (!relaxed_) {
              e = B->removeEdge(e);
              continue;
            }
          }
          ++e;
        }
      }
      return llvm::Error::success();
    });
    config.PostAllocationPasses.push_back([outp, relaxed, riscv](jl::LinkGraph& G) {
      LinkResult& out_ = *outp;
      bool relaxed_ = relaxed;
      std::map<const jl::Block*, u64> block_moved;
      for (jl::Symbol* y : G.defined_symbols()) {
        auto b = out_.before.find(y);
        if (b == out_.before.end()) continue;
        u64 end = y->getOffset() + y->getSize();
        u64 shift = std::max(b->second.first - std::min(b->second.first, u64(y->getOffset())),
                             b->second.second - std::min(b->second.second, end));
        u64& m = block_moved[&y->getBlock()];
        m = std::max(m, shift);
      }
      for (auto& [B, shift] : block_moved) out_.moved[B->getSection().getName().str()] += shift;
      for (jl::Block* B : G.blocks())
        if (out_.block_size.count(B) && out_.block_size[B] != B->getSize()) out_.blocks_shrunk++;
      for (jl::Block* B : G.blocks()) {
        if (!riscv || !relaxed_) continue;
        for (const jl::Edge& e : B->edges()) {
          if (e.getKind() == jl::riscv::R_RISCV_JAL) out_.to_jal++;
          if (e.getKind() == jl::riscv::R_RISCV_RVC_JUMP) out_.to_rvc++;
        }
      }
      return llvm::Error::success();
    });
    // After the fixups: copy out what the report needs.
    if (relaxed && riscv)
      config.PostFixupPasses.push_back([outp](jl::LinkGraph& G) {
        // JITLOAD_ORACLE_PLANT=relaxed-field (tests only): the first jal
        // JITLink's relaxation made is corrupted after its fixup, so that
        // a test sees check_relaxed catch a wrong field.
        if (const char* plant = std::getenv("JITLOAD_ORACLE_PLANT"); plant && std::string(plant) == "relaxed-field")
          for (jl::Block* B : G.blocks())
            if (!B->isZeroFill())
              for (const jl::Edge& e : B->edges())
                if (e.getKind() == jl::riscv::R_RISCV_JAL && e.getOffset() + 4 <= B->getSize()) {
                  B->getAlreadyMutableContent()[e.getOffset() + 3] ^= 0x10;  // imm[10:1] bit 7: 256 bytes off
                  goto planted;
                }
      planted:
        check_relaxed(G, *outp);
        return llvm::Error::success();
      });
    config.PostFixupPasses.push_back([outp](jl::LinkGraph& G) {
      LinkResult& out_ = *outp;
      out_.fixed = true;
      for (FileSection& f : out_.sections) f.bytes.assign(f.size, 0);
      for (jl::Section& S : G.sections())
        for (jl::Block* B : S.blocks()) {
          u64 a = B->getAddress().getValue(), n = B->getSize();
          for (FileSection& f : out_.sections)
            if (f.name == S.getName() && a >= f.address && n <= f.size && a - f.address <= f.size - n) {
              f.linked = true;
              if (!B->isZeroFill()) std::memcpy(f.bytes.data() + (a - f.address), B->getContent().data(), n);
              break;
            }
          for (OwnArea& area : out_.areas)
            if (a >= area.address && n <= area.size && a - area.address <= area.size - n) {
              area.bytes.resize(area.size, 0);
              if (!B->isZeroFill()) std::memcpy(area.bytes.data() + (a - area.address), B->getContent().data(), n);
            }
        }
      for (jl::Symbol* y : G.defined_symbols()) {
        if (!y->hasName() || y->getScope() == jl::Scope::Local) continue;
        std::string name = y->getName().str();
        out_.named[name] = y->getAddress().getValue();
        std::string sec = y->getBlock().getSection().getName().str();
        if (sec == ".common" || sec == "__common") out_.common[name] = y->getAddress().getValue();
      }
      return llvm::Error::success();
    });
}

// The object with every allocatable section's sh_addr set to where the
// scenario puts it (thread-local ones after everything else: JITLink 19
// has no TLS relocation for these machines, but the blocks need distinct
// places). Also fills `sections`.
template <class ELFT>
bool place_sections(const llvm::object::ELFObjectFile<ELFT>& object, std::vector<u8>& copy, const Placement& placement,
                    std::vector<FileSection>& sections, std::string& error) {
  const auto& file = object.getELFFile();
  auto headers = file.sections();
  if (!headers) {
    error = message_of(headers.takeError());
    return false;
  }
  const char* base = object.getData().data();
  u64 tls_at = placement.cursor + 0x10000000;
  for (const auto& h : *headers) {
    if (!(h.sh_flags & llvm::ELF::SHF_ALLOC)) continue;
    u32 index = u32(&h - &(*headers)[0]);
    const PlannedSection* p = placement.find(index);
    if (!p) continue;
    FileSection f;
    f.index = int(index);
    f.name = p->name;
    f.size = h.sh_size;
    f.align = h.sh_addralign ? u64(h.sh_addralign) : 1;
    f.flags = h.sh_flags;
    f.type = h.sh_type;
    f.tls = p->tls;
    if (p->tls) {
      tls_at = (tls_at + f.align - 1) / f.align * f.align;
      f.address = tls_at;
      f.tp_offset = p->tp_offset;
      tls_at += f.size + 16;
    } else {
      f.address = p->address;
    }
    if (ELFT::Is64Bits ? false : f.address > 0xffffffffull) {
      error = "section " + f.name + " placed beyond 4 GiB in an ELF32 object";
      return false;
    }
    // sh_addr within the copy: the header's own offset in the file.
    size_t at = size_t(reinterpret_cast<const char*>(&h.sh_addr) - base);
    for (unsigned k = 0; k < sizeof(h.sh_addr); k++) copy[at + k] = u8(f.address >> (8 * k));  // little-endian
    sections.push_back(std::move(f));
  }
  return true;
}

// One link of `bytes` (relaxed: JITLink's default passes untouched).
LinkResult link_once(const std::string& name, const std::vector<u8>& bytes, const LoadScenario& scenario, bool relaxed) {
  LinkResult out;
  auto original = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), bytes.size()), name));
  if (!original) {
    out.error = message_of(original.takeError());
    return out;
  }
  Placement placement = plan_placement(bytes, scenario);
  if (!placement.ok) {
    out.error = "cannot place the object's sections: " + placement.error;
    return out;
  }
  std::vector<u8> copy = bytes;
  bool placed = false;
  if (auto* o = llvm::dyn_cast<llvm::object::ELF64LEObjectFile>(original->get()))
    placed = place_sections(*o, copy, placement, out.sections, out.error);
  else if (auto* o = llvm::dyn_cast<llvm::object::ELF32LEObjectFile>(original->get()))
    placed = place_sections(*o, copy, placement, out.sections, out.error);
  else out.error = "not a little-endian ELF object";
  if (!placed) return out;

  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(reinterpret_cast<const char*>(copy.data()), copy.size()), name);
  auto graph = jl::createLinkGraphFromObject(buffer->getMemBufferRef());
  if (!graph) {
    out.error = message_of(graph.takeError());
    return out;
  }
  Member member{scenario, placement, std::move(out)};
  PlacingMemory memory([&](const jl::LinkGraph&) { return &member; });
  jl::link(std::move(*graph), std::make_unique<OracleContext>(memory, scenario, relaxed, member.out));
  if (!member.out.finalized && member.out.error.empty()) member.out.error = "JITLink did not finish the link";
  return std::move(member.out);
}

void report_member(LoadReport& out, const llvm::object::ObjectFile& object, const LinkResult& link, u32 member);

// What JITLink's relaxation did to the object, for the notes.
void note_relaxation(const LinkResult& plain, const LinkResult& relaxed) {
  if (!relaxed.finalized) {
    note("relaxation: JITLink's link with its relaxation pass failed where the link without it succeeded: " +
         relaxed.error);
    return;
  }
  if (!relaxed.calls_relaxable && !relaxed.aligns) return;
  std::string shrunk;
  u64 removed = 0;
  for (const auto& [section, bytes] : relaxed.moved)
    if (bytes) {
      shrunk += (shrunk.empty() ? "" : ", ") + section + " " + std::to_string(bytes);
      removed += bytes;
    }
  (void)plain;
  if (relaxed.wrong)
    note("relaxed-link-error: JITLink's relaxed link is inconsistent: " + std::to_string(relaxed.wrong) + " of " +
         std::to_string(relaxed.checked) + " fields read back do not reach their edge's target; first: " +
         relaxed.first_wrong);
  note("relaxation: JITLink relaxes by default (jitload's loaders never do; compared above without it): " +
       std::to_string(relaxed.aligns) + " R_RISCV_ALIGN padding(s), " + std::to_string(relaxed.calls_relaxable) +
       " relaxable call(s) of which " + std::to_string(relaxed.to_jal) + " became jal and " +
       std::to_string(relaxed.to_rvc) + " c.j/c.jal; the relaxed link read back: " + std::to_string(relaxed.checked - relaxed.wrong) + " of " +
       std::to_string(relaxed.checked) + " branch, call and PC-relative fields reach their targets; " +
       (shrunk.empty() ? std::string("no symbol moved") : "code after them moved up by " + std::to_string(removed) +
                                                            " bytes (" + shrunk + "; " +
                                                            (relaxed.blocks_shrunk ? std::to_string(relaxed.blocks_shrunk) + " block(s) shrunk)"
                                                                                   : "no block shrunk: each ends in bytes no symbol covers)")));
}

}  // namespace

bool jitlink_links(const llvm::object::ObjectFile& object) { return jitlink_arch(object.getArch()) != nullptr; }

int run_jitlink(const std::string& name, const std::vector<u8>& bytes, const LoadScenario& scenario) {
  note("linker: JITLink");
  auto object = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), bytes.size()), name));
  if (!object) return emit(LoadReport::rejected("llvm", name, "llvm", message_of(object.takeError())));
  const JitlinkArch* arch = jitlink_arch((*object)->getArch());

  LinkResult link = link_once(name, bytes, scenario, false);
  if (!link.finalized) return emit(LoadReport::rejected("llvm", name, "llvm", link.error));
  if (arch && arch->relaxes) note_relaxation(link, link_once(name, bytes, scenario, true));

  LoadReport out;
  out.loader = "llvm";
  out.object = name;
  out.triple = object_triple(bytes, scenario.triple);
  out.loaded = true;
  out.got_address = link.got;
  report_member(out, **object, link, 0);
  decode_relocations(out);
  return emit(out);
}

namespace {

// One object's (one member's) sections, JITLink's areas, symbols and
// relocations appended to the report.
void report_member(LoadReport& out, const llvm::object::ObjectFile& object_file, const LinkResult& link, u32 member) {
  const llvm::object::ObjectFile* object = &object_file;
  std::map<int, u64> address_of;  // file index -> reported address
  for (const FileSection& f : link.sections) {
    if (!f.linked) continue;  // dead-stripped by JITLink
    ReportSection s;
    s.name = f.name;
    s.index = f.index;
    s.kind = section_kind(f.flags, f.type);
    s.address = f.tls ? u64(f.tp_offset) : f.address;
    s.size = f.size;
    s.align = f.align;
    s.bytes = f.bytes;
    s.object = member;
    address_of[f.index] = f.address;
    out.sections.push_back(std::move(s));
  }
  for (const OwnArea& a : link.areas) {
    ReportSection s;
    s.name = a.name;
    s.kind = a.kind;
    s.address = a.address;
    s.size = a.size;
    s.align = a.align;
    s.bytes = a.bytes;
    s.object = member;
    out.sections.push_back(std::move(s));
  }
  for (const llvm::object::SymbolRef& sym : object->symbols()) {
    llvm::object::ELFSymbolRef esym(sym);
    uint8_t type = esym.getELFType();
    if (type == llvm::ELF::STT_SECTION || type == llvm::ELF::STT_FILE) continue;
    auto sname = sym.getName();
    auto flags = sym.getFlags();
    if (!sname || !flags) {
      if (!sname) llvm::consumeError(sname.takeError());
      if (!flags) llvm::consumeError(flags.takeError());
      continue;
    }
    if (sname->empty() || (*flags & llvm::object::SymbolRef::SF_Undefined)) continue;
    ReportSymbol y;
    y.name = sname->str();
    y.size = esym.getSize();
    y.object = member;
    uint8_t binding = esym.getBinding();
    y.binding = binding == llvm::ELF::STB_LOCAL ? "local" : binding == llvm::ELF::STB_WEAK ? "weak" : "global";
    switch (type) {
      case llvm::ELF::STT_OBJECT: y.type = "object"; break;
      case llvm::ELF::STT_FUNC: y.type = "func"; break;
      case llvm::ELF::STT_TLS: y.type = "tls"; break;
      case llvm::ELF::STT_GNU_IFUNC: y.type = "ifunc"; break;
      default: y.type = "notype"; break;
    }
    if (*flags & llvm::object::SymbolRef::SF_Common) {
      y.type = "common";
      y.section = "<common symbols>";
      auto it = link.common.find(y.name);
      if (it == link.common.end()) continue;
      y.address = it->second;
      out.symbols.push_back(y);
      continue;
    }
    auto sec = sym.getSection();
    auto value = sym.getValue();
    if (!sec || !value) {
      if (!sec) llvm::consumeError(sec.takeError());
      if (!value) llvm::consumeError(value.takeError());
      continue;
    }
    if (*sec == object->section_end()) {  // absolute
      y.address = *value;
      out.symbols.push_back(y);
      continue;
    }
    int index = int((*sec)->getIndex());
    auto at = address_of.find(index);
    if (at == address_of.end()) continue;  // in a section JITLink did not keep
    auto secname = (*sec)->getName();
    y.section = secname ? secname->str() : std::string();
    if (!secname) llvm::consumeError(secname.takeError());
    y.section_index = index;
    // A non-local name at JITLink's address for it; a local one where its
    // section is (JITLink keeps blocks where the file put them).
    auto named = binding == llvm::ELF::STB_LOCAL ? link.named.end() : link.named.find(y.name);
    y.address = named != link.named.end() ? named->second : at->second + *value;
    for (const FileSection& f : link.sections)  // in a thread-local section: its thread-pointer offset
      if (f.index == index && f.tls) y.address = u64(f.tp_offset) + *value;
    out.symbols.push_back(y);
  }
  for (const llvm::object::SectionRef& rs : object->sections()) {
    auto target = rs.getRelocatedSection();
    if (!target) {
      llvm::consumeError(target.takeError());
      continue;
    }
    if (*target == object->section_end()) continue;
    int index = int((*target)->getIndex());
    if (!address_of.count(index)) continue;
    auto tname = (*target)->getName();
    std::string section_name = tname ? tname->str() : std::string();
    if (!tname) llvm::consumeError(tname.takeError());
    for (const llvm::object::RelocationRef& rel : rs.relocations())
      out.relocations.push_back(relocation_record(*object, rel, section_name, index, member));
  }
}

}  // namespace

// ---- A set: ORC's ObjectLinkingLayer over JITLink ---------------------------
// The members go into one JITDylib of an ORC ExecutionSession, linked by
// JITLink through ORC's ObjectLinkingLayer: one symbol table with ORC's
// own rules (a second strong definition is an error; a weak definition
// that loses is made external in its object, so its references bind to
// the winner; the first weak definition wins). Externals come from the
// scenario through a definition generator, consulted only for names no
// member defines. Every member's non-local definitions are looked up,
// which makes ORC link every member that defines one (a member defining
// no global name is not linked: ORC links on demand). Placement: the set
// rule (layout.h), member after member; JITLink's areas of member K at the
// scenario's "@K:" addresses, which `jitload diff --link` always gives
// (map_member_areas) -- without them the oracle says it is unavailable.
namespace {

class ScenarioExternals final : public llvm::orc::DefinitionGenerator {
 public:
  explicit ScenarioExternals(const LoadScenario& s) : scenario_(s) {}
  llvm::Error tryToGenerate(llvm::orc::LookupState&, llvm::orc::LookupKind, llvm::orc::JITDylib& jd,
                            llvm::orc::JITDylibLookupFlags, const llvm::orc::SymbolLookupSet& names) override {
    llvm::orc::SymbolMap found;
    for (const auto& [name, flags] : names)
      if (std::optional<u64> a = scenario_extern(scenario_, (*name).str()))
        found[name] = llvm::orc::ExecutorSymbolDef(llvm::orc::ExecutorAddr(*a), llvm::JITSymbolFlags::Exported);
    if (found.empty()) return llvm::Error::success();
    return jd.define(llvm::orc::absoluteSymbols(std::move(found)));
  }

 private:
  const LoadScenario& scenario_;
};

class OraclePlugin final : public llvm::orc::ObjectLinkingLayer::Plugin {
 public:
  explicit OraclePlugin(std::function<Member*(const jl::LinkGraph&)> member_of) : member_of_(std::move(member_of)) {}
  void modifyPassConfig(llvm::orc::MaterializationResponsibility&, jl::LinkGraph& G, jl::PassConfiguration& config) override {
    // ORC marks live only the symbols the lookup made it responsible for,
    // and without an ORC platform nothing claims .init_array's targets: a
    // static constructor's section would be dropped. Every symbol is kept
    // live, as a single object's link (JITLink's default) does.
    config.PrePrunePasses.push_back(jl::markAllSymbolsLive);
    if (Member* m = member_of_(G)) add_oracle_passes(config, G, m->out, false);
  }
  llvm::Error notifyFailed(llvm::orc::MaterializationResponsibility&) override { return llvm::Error::success(); }
  llvm::Error notifyRemovingResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey) override { return llvm::Error::success(); }
  void notifyTransferringResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey, llvm::orc::ResourceKey) override {}

 private:
  std::function<Member*(const jl::LinkGraph&)> member_of_;
};

LoadReport set_rejected(const std::vector<std::string>& paths, const std::string& message) {
  std::string joined;
  for (const std::string& p : paths) joined += (joined.empty() ? "" : "+") + p;
  LoadReport r = LoadReport::rejected("llvm", joined, "llvm", message);
  r.objects = paths;
  return r;
}

}  // namespace

int run_jitlink_set(const std::vector<std::string>& paths, const std::vector<std::vector<u8>>& bytes,
                    const LoadScenario& scenario) {
  note("linker: JITLink");
  namespace orc = llvm::orc;
  std::vector<std::unique_ptr<Member>> members;
  std::vector<std::unique_ptr<llvm::object::ObjectFile>> objects;
  std::vector<std::vector<u8>> copies;
  u64 cursor = scenario.base;
  for (size_t k = 0; k < paths.size(); k++) {
    auto object = llvm::object::ObjectFile::createObjectFile(
        llvm::MemoryBufferRef(llvm::StringRef(reinterpret_cast<const char*>(bytes[k].data()), bytes[k].size()), paths[k]));
    if (!object) return emit(set_rejected(paths, paths[k] + ": " + message_of(object.takeError())));
    auto m = std::make_unique<Member>();
    m->scenario = member_scenario(scenario, k);
    m->scenario.base = cursor;
    for (const char* area : {"<common symbols>", "<got>", "<stubs>"}) {
      bool mapped = false;
      for (const auto& [key, address] : m->scenario.section_addresses) mapped |= key == area;
      if (!mapped) {
        note(std::string("unavailable: the JITLink oracle links a set only with every member's areas mapped (") + area +
             " of member " + std::to_string(k) + " is not)");
        return emit(set_rejected(paths, "unplaced areas"));
      }
    }
    m->placement = plan_placement(bytes[k], m->scenario);
    if (!m->placement.ok) return emit(set_rejected(paths, paths[k] + ": cannot place its sections: " + m->placement.error));
    cursor = m->placement.cursor;
    std::vector<u8> copy = bytes[k];
    bool placed = false;
    std::string error;
    if (auto* o = llvm::dyn_cast<llvm::object::ELF64LEObjectFile>(object->get()))
      placed = place_sections(*o, copy, m->placement, m->out.sections, error);
    else if (auto* o = llvm::dyn_cast<llvm::object::ELF32LEObjectFile>(object->get()))
      placed = place_sections(*o, copy, m->placement, m->out.sections, error);
    else error = "not a little-endian ELF object";
    if (!placed) return emit(set_rejected(paths, paths[k] + ": " + error));
    members.push_back(std::move(m));
    objects.push_back(std::move(*object));
    copies.push_back(std::move(copy));
  }
  Placement others;  // after the last member
  others.cursor = cursor;
  others.section_sep = scenario.section_sep;
  for (auto& m : members) m->others = &others;
  auto member_of = [&](const jl::LinkGraph& G) -> Member* {
    for (size_t k = 0; k < paths.size(); k++)
      if (G.getName() == paths[k]) return members[k].get();
    return nullptr;
  };

  auto epc = orc::SelfExecutorProcessControl::Create();
  if (!epc) return emit(set_rejected(paths, "ORC: " + message_of(epc.takeError())));
  std::string failure;
  {
    orc::ExecutionSession es(std::move(*epc));
    std::string reported;  // what ORC reported on the way (the cause of a failed materialization)
    es.setErrorReporter([&](llvm::Error e) {
      std::string m = message_of(std::move(e));
      reported += (reported.empty() ? "" : "; ") + m;
    });
    PlacingMemory memory(member_of);
    orc::ObjectLinkingLayer layer(es, memory);
    layer.addPlugin(std::make_unique<OraclePlugin>(member_of));
    orc::JITDylib& jd = es.createBareJITDylib("set");
    jd.addGenerator(std::make_unique<ScenarioExternals>(scenario));
    orc::SymbolLookupSet wanted;
    for (size_t k = 0; k < paths.size() && failure.empty(); k++) {
      auto buffer = llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char*>(copies[k].data()), copies[k].size()), paths[k]);
      if (llvm::Error e = layer.add(jd, std::move(buffer))) failure = paths[k] + ": " + message_of(std::move(e));
      for (const llvm::object::SymbolRef& sym : objects[k]->symbols()) {
        llvm::object::ELFSymbolRef esym(sym);
        auto flags = sym.getFlags();
        auto name = sym.getName();
        if (!flags || !name) {
          if (!flags) llvm::consumeError(flags.takeError());
          if (!name) llvm::consumeError(name.takeError());
          continue;
        }
        if (name->empty() || esym.getBinding() == llvm::ELF::STB_LOCAL || (*flags & llvm::object::SymbolRef::SF_Undefined))
          continue;
        orc::SymbolStringPtr interned = es.intern(*name);
        bool seen = false;
        for (const auto& [n, f] : wanted) seen |= n == interned;
        if (!seen) wanted.add(interned, orc::SymbolLookupFlags::WeaklyReferencedSymbol);
      }
    }
    if (failure.empty()) {
      auto found = es.lookup(orc::makeJITDylibSearchOrder(&jd, orc::JITDylibLookupFlags::MatchAllSymbols), wanted,
                             orc::LookupKind::Static, orc::SymbolState::Ready);
      if (!found) failure = message_of(found.takeError());
    }
    if (llvm::Error e = es.endSession()) llvm::consumeError(std::move(e));
    if (!failure.empty() && !reported.empty()) failure += " (" + reported + ")";
  }
  if (!failure.empty()) return emit(set_rejected(paths, failure));

  LoadReport out;
  out.loader = "llvm";
  for (const std::string& p : paths) out.object += (out.object.empty() ? "" : "+") + p;
  out.objects = paths;
  out.triple = object_triple(bytes[0], scenario.triple);
  out.loaded = true;
  for (size_t k = 0; k < paths.size(); k++) {
    if (!members[k]->out.fixed) note("member " + paths[k] + " was not linked: ORC links a member only for a name it wins");
    out.gots.push_back(members[k]->out.got);
    report_member(out, *objects[k], members[k]->out, u32(k));
  }
  decode_relocations(out);
  return emit(out);
}

}  // namespace jitload::conformance
