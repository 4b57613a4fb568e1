// The loader's side of dynamic TLS (TlsStrategy::Dynamic, core/tls-runtime.h):
// an object's TLS sections laid out as one module, and the special symbol
// loaded code's __tls_get_addr binds to. Format-independent.
#pragma once

#include <optional>
#include <string_view>

#include "engine/loader/core/dyld-impl.h"

namespace jitload {

// Lays out the TLS sections among the object's sections [first, end of
// dyld.sections) as one block — initialised ones first, each at its
// alignment — asks the memory manager for the module, and sets each TLS
// section's local (its place in the image) and target (the module's key
// plus its offset). `static_reason`: see MemoryManager::allocate_tls_module.
Error place_tls_module(RuntimeDyld::Impl& dyld, const ObjectState& obj, u32 first, std::string_view static_reason);

// Applies the object's kRelDynamicTls entries (those the common loop,
// apply_runs, skips) through the architecture's apply_dynamic_tls, with
// apply_runs's policy: every one that can be is applied, each one that
// cannot is noted (note_relocation_failure). Outcomes are recorded as
// apply_runs records them.
struct ApplyContext;
void apply_dynamic_tls_entries(ApplyContext& c);

// A symbol the TLS strategy defines for loaded code: under Dynamic,
// __tls_get_addr is jitload's (tls-runtime.h); under StaticRewrite,
// _TLS_MODULE_BASE_ is TP offset 0 (DTPREL = TPREL there). nullopt: not
// one of them.
std::optional<u64> tls_special_symbol(const MemoryManager& memory, std::string_view name);

}  // namespace jitload
