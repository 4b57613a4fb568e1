// Comparing two LoadReports (see report.h for the rules), and rendering
// what differs as a short readable diff naming section, offset,
// relocation and both values.
#pragma once

#include <string>
#include <vector>

#include "conformance/report/report.h"

namespace jitload::conformance {

struct CompareOptions {
  // The right-hand loader may leave out sections nothing refers to (LLVM
  // loads only sections reached by a symbol or a relocation); the symbols
  // in them go with them.
  bool right_may_omit_sections = false;
};

struct Difference {
  std::string what;        // outcome section bytes relocation symbol
  std::string section;     // section name, when there is one
  u64 offset = 0;          // within the section
  std::string relocation;  // A set's bindings (report.h): where the references to each non-local
// name lead, decoded from the report's final bytes. Fills r.bindings.
void compute_bindings(LoadReport& r);

// "R_X86_64_PC32 'foo'-4", when there is one
  std::string left, right; // the two values, readable
  bool note = false;       // informational only; not a disagreement
  // One line: ".text+0x1a R_X86_64_PC32 'foo'-4: engine 0x.. -> X; reference 0x.. -> Y"
  std::string line(const std::string& left_name, const std::string& right_name) const;
};

struct Comparison {
  bool agree = true;       // no difference other than notes
  bool abstained = false;  // a resource-limit rejection: nothing compared
  std::vector<Difference> differences;
};

Comparison compare_reports(const LoadReport& left, const LoadReport& right, const CompareOptions& options = {});

// The diff as text: a header naming both loaders, then up to `limit` lines.
std::string render_comparison(const LoadReport& left, const LoadReport& right, const Comparison& c, size_t limit = 20);

// A set's bindings (report.h): where the references to each non-local
// name lead, decoded from the report's final bytes. Fills r.bindings.
void compute_bindings(LoadReport& r);

// "R_X86_64_PC32 'foo'-4"
std::string relocation_label(const ReportRelocation& r);

}  // namespace jitload::conformance
