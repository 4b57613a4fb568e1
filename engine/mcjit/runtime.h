// The engine's C++ runtime hooks (__dso_handle per object, __cxa_atexit,
// __cxa_thread_atexit, atexit) and the static constructor/destructor tables
// are the loader's (engine/loader/core/cxx-runtime.h): MCJIT enables them on
// its RuntimeDyld, so every module's object has its own __dso_handle and the
// engine's destructors run before its code is freed.
#pragma once

#include "engine/loader/core/cxx-runtime.h"
