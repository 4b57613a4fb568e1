#include "engine/mcjit/gdb-jit.h"

#include <mutex>

// GDB finds these two by name; they must stay global, unmangled and visible.
// A host that also links LLVM's own registration listener sees another pair
// in libLLVM; GDB handles one descriptor per object file.
extern "C" {
__attribute__((visibility("default"), used)) jitload::gdb::JitDescriptor __jit_debug_descriptor = {
    1, jitload::gdb::JIT_NOACTION, nullptr, nullptr};

// GDB's breakpoint lands here. noinline and the asm keep the compiler from
// dropping or merging the call, which would silently hide every JIT object.
__attribute__((visibility("default"), used, noinline)) void __jit_debug_register_code() {
  asm volatile("" ::: "memory");
}
}

namespace jitload::gdb {

namespace {
// The protocol has no lock of its own; everyone in this process who edits the
// list takes this one.
std::mutex& list_mutex() {
  static std::mutex m;
  return m;
}
size_t g_count = 0;
}  // namespace

std::unique_ptr<Registration> Registration::add(std::vector<uint8_t> symfile) {
  std::unique_ptr<Registration> r(new Registration());
  r->symfile_ = std::move(symfile);
  r->entry_.symfile_addr = reinterpret_cast<const char*>(r->symfile_.data());
  r->entry_.symfile_size = r->symfile_.size();
  std::lock_guard<std::mutex> lock(list_mutex());
  JitCodeEntry* e = &r->entry_;
  e->prev_entry = nullptr;
  e->next_entry = __jit_debug_descriptor.first_entry;
  if (e->next_entry) e->next_entry->prev_entry = e;
  __jit_debug_descriptor.first_entry = e;
  __jit_debug_descriptor.relevant_entry = e;
  __jit_debug_descriptor.action_flag = JIT_REGISTER_FN;
  __jit_debug_register_code();
  g_count++;
  return r;
}

Registration::~Registration() {
  std::lock_guard<std::mutex> lock(list_mutex());
  JitCodeEntry* e = &entry_;
  if (e->prev_entry)
    e->prev_entry->next_entry = e->next_entry;
  else
    __jit_debug_descriptor.first_entry = e->next_entry;
  if (e->next_entry) e->next_entry->prev_entry = e->prev_entry;
  __jit_debug_descriptor.relevant_entry = e;
  __jit_debug_descriptor.action_flag = JIT_UNREGISTER_FN;
  __jit_debug_register_code();
  __jit_debug_descriptor.relevant_entry = nullptr;
  __jit_debug_descriptor.action_flag = JIT_NOACTION;
  g_count--;
}

size_t registered_count() {
  std::lock_guard<std::mutex> lock(list_mutex());
  return g_count;
}

}  // namespace jitload::gdb
