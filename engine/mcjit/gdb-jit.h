// The GDB JIT compilation interface (GDB manual, "JIT Compilation
// Interface"): the process keeps a doubly linked list of in-memory object
// files under the global __jit_debug_descriptor, and calls the empty
// function __jit_debug_register_code after each change; GDB puts a
// breakpoint there, reads the entry named by relevant_entry and loads (or
// drops) its symbols. The names, the layout and the version number are the
// protocol: GDB looks them up by name in the process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace jitload::gdb {

enum JitActions : uint32_t { JIT_NOACTION = 0, JIT_REGISTER_FN = 1, JIT_UNREGISTER_FN = 2 };

struct JitCodeEntry {
  JitCodeEntry* next_entry;
  JitCodeEntry* prev_entry;
  const char* symfile_addr;
  uint64_t symfile_size;
};

struct JitDescriptor {
  uint32_t version;       // 1
  uint32_t action_flag;   // a JitActions value
  JitCodeEntry* relevant_entry;
  JitCodeEntry* first_entry;
};

// One object file known to the debugger; unregistered when destroyed. The
// symfile must describe code at its final addresses (see debug-object.h).
class Registration {
 public:
  static std::unique_ptr<Registration> add(std::vector<uint8_t> symfile);
  ~Registration();
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

 private:
  Registration() = default;
  std::vector<uint8_t> symfile_;
  JitCodeEntry entry_{};
};

// Entries currently on the list (for tests).
size_t registered_count();

}  // namespace jitload::gdb

extern "C" {
extern jitload::gdb::JitDescriptor __jit_debug_descriptor;
void __jit_debug_register_code();
}
