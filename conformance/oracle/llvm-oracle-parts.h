// Pieces of jitload-oracle-llvm shared by its two LLVM linkers: the
// RuntimeDyld oracle (llvm-oracle-main.cc) and the JITLink oracle
// (jitlink-oracle.cc). Both run only inside the helper process.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "conformance/report/report.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Error.h"

namespace jitload::conformance::oracle_parts {

// The report's section kind for ELF flags and type.
std::string section_kind(uint64_t flags, uint32_t type);

// One relocation as the object states it (LLVM's object library reading it).
ReportRelocation relocation_record(const llvm::object::ObjectFile& object, const llvm::object::RelocationRef& rel,
                                   const std::string& section_name, int section_index, u32 member);

// Status, value and effective target of every relocation, read back from
// the report's final bytes (LLVM keeps no record per relocation).
void decode_relocations(LoadReport& out);

// The report as JSON on stdout; returns the helper's exit status (0).
int emit(const LoadReport& r);

std::string message_of(llvm::Error e);

// A fact about the oracle's run that is not part of the LoadReport (which
// LLVM linker answered, what it did besides the comparable link), passed to
// the parent on stderr as one line "jitload-oracle-note: TEXT" (oracle.cc
// collects them into OracleResult::notes).
void note(const std::string& text);

// The oracle declines to answer for this input, saying why (a form LLVM 19
// is known to crash on, or that the oracle does not read yet): the note
// "abstained: REASON", no report; returns the helper's exit status (0).
// oracle.cc turns it into OracleResult::Status::Abstained.
int abstain(const std::string& reason);

}  // namespace jitload::conformance::oracle_parts

namespace jitload::conformance {

// The JITLink oracle (jitlink-oracle.cc): true when LLVM 19 links this
// object's machine with JITLink rather than RuntimeDyld (RuntimeDyld has
// no RISC-V or LoongArch: "Unsupported CPU type!").
bool jitlink_links(const llvm::object::ObjectFile& object);

// One object, or (run_jitlink_set) a set, linked by JITLink under the
// scenario; prints the LoadReport and returns the exit status.
int run_jitlink(const std::string& name, const std::vector<u8>& bytes, const LoadScenario& scenario);
int run_jitlink_set(const std::vector<std::string>& paths, const std::vector<std::vector<u8>>& bytes,
                    const LoadScenario& scenario);

}  // namespace jitload::conformance
