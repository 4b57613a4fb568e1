// Reading an input file: what every tool and the MCJIT engine need before
// handing bytes to the loader. Input is hostile here too: a directory, a
// device that never ends (/dev/zero), a file larger than memory allows, or a
// large file that is not an object at all must each end in an Error, never
// in an exception, and without reading more than is needed to decide.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/loader/core/base.h"

namespace jitload {

// The largest input read: 1 GiB. Larger regular files are refused from
// their size before a byte is read; a stream (pipe, device) is refused once
// it has delivered more. Objects are far smaller (the largest benchmark
// object is a few MiB); the limit only bounds what a mistake can cost.
inline constexpr u64 kMaxInputSize = u64(1) << 30;

// How many leading bytes the object-format sniffers look at: every
// format's `matches` decides from at most this many (ELF needs 4).
inline constexpr size_t kSniffBytes = 64;

struct ReadOptions {
  u64 max_size = kMaxInputSize;
  // When set, the first min(kSniffBytes, size) bytes are read and given to
  // it before anything else; false refuses the file at once with an
  // Unsupported error (offset 0) carrying `sniff_failure` — the rest of the
  // file is never read.
  bool (*sniff)(std::span<const u8> head) = nullptr;
  const char* sniff_failure = "not a recognized file";
};

// The file's bytes, or an error naming the path and the cause: Io (cannot
// open, is a directory, read error), Argument (larger than max_size), Memory
// (the bytes do not fit in memory), Unsupported (refused by the sniffer).
Expected<std::vector<u8>> read_file(const std::string& path, const ReadOptions& options = {});
// The same from an open descriptor (standard input for "-"); `name` is what
// messages call it. The descriptor is not closed.
Expected<std::vector<u8>> read_fd(int fd, std::string_view name, const ReadOptions& options = {});

// True when the first bytes are those of an object format this build loads
// (engine/loader/formats.cc), so an object file can be refused unread.
bool looks_like_object(std::span<const u8> head);
// read_file with looks_like_object as the sniffer: "not an object file of a
// supported format (ELF)", as RuntimeDyld::load_object would say.
Expected<std::vector<u8>> read_object_file(const std::string& path, u64 max_size = kMaxInputSize);

}  // namespace jitload
