// Reading a whole file: what every tool and the MCJIT engine need before
// handing bytes to the loader.
#pragma once

#include <string>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload {

// The file's bytes, or an ErrorKind::Io error naming the path and the cause.
Expected<std::vector<u8>> read_file(const std::string& path);

}  // namespace jitload
