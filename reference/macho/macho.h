// Mach-O (64-bit, little-endian MH_OBJECT) for the reference loader: its
// own transcription of Apple's <mach-o/loader.h>, <mach-o/nlist.h>,
// <mach-o/reloc.h>, <mach-o/x86_64/reloc.h> and <mach-o/arm64/reloc.h>, and the entry point the
// format dispatcher calls. Shares nothing with engine/.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "reference/reference.h"

namespace jitload::reference::macho {

// <mach-o/loader.h>
constexpr uint32_t kMagic64 = 0xfeedfacf;       // MH_MAGIC_64
constexpr uint32_t kFiletypeObject = 1;         // MH_OBJECT
constexpr uint32_t kCpuTypeX86_64 = 0x01000007; // CPU_TYPE_X86 | CPU_ARCH_ABI64
// 32-bit objects: mach_header (MH_MAGIC, 28 bytes), LC_SEGMENT (56-byte
// command, 68-byte sections), nlist (12 bytes).
constexpr uint32_t kMagic32 = 0xfeedface;       // MH_MAGIC
constexpr uint32_t kCpuTypeI386 = 7;            // CPU_TYPE_X86 (CPU_TYPE_I386)
constexpr uint32_t kLcSegment32 = 0x1;          // LC_SEGMENT
constexpr uint32_t kRScattered = 0x80000000;    // R_SCATTERED, in r_address
constexpr uint32_t kLcSymtab = 0x2, kLcDysymtab = 0xb, kLcSegment64 = 0x19, kLcVersionMinMacosx = 0x24,
                   kLcVersionMinIphoneos = 0x25, kLcDataInCode = 0x29, kLcLinkerOption = 0x2d,
                   kLcLinkerOptimizationHint = 0x2e, kLcVersionMinTvos = 0x2f, kLcVersionMinWatchos = 0x30,
                   kLcBuildVersion = 0x32;
// section_64.flags
constexpr uint32_t kSectionTypeMask = 0xff;
constexpr uint32_t kSZerofill = 0x1, kSGbZerofill = 0xc, kSThreadLocalZerofill = 0x12;
constexpr uint32_t kSThreadLocalRegular = 0x11, kSThreadLocalVariables = 0x13;
constexpr uint32_t kAttrPureInstructions = 0x80000000, kAttrSomeInstructions = 0x400, kAttrDebug = 0x02000000;
// <mach-o/nlist.h>
constexpr uint8_t kNStab = 0xe0, kNPext = 0x10, kNTypeMask = 0x0e, kNExt = 0x01;
constexpr uint8_t kNUndf = 0x0, kNAbs = 0x2, kNSect = 0xe;
constexpr uint16_t kNWeakRef = 0x40, kNWeakDef = 0x80;
// <mach-o/x86_64/reloc.h>
constexpr uint32_t kX86_64Unsigned = 0, kX86_64Signed = 1, kX86_64Branch = 2, kX86_64GotLoad = 3,
                   kX86_64Got = 4, kX86_64Subtractor = 5, kX86_64Signed1 = 6, kX86_64Signed2 = 7,
                   kX86_64Signed4 = 8, kX86_64Tlv = 9;
// <mach-o/reloc.h>, the generic (i386) types
// <mach-o/arm/reloc.h>
constexpr uint32_t kCpuTypeArm = 12;            // CPU_TYPE_ARM
constexpr uint32_t kArmVanilla = 0, kArmPair = 1, kArmSectdiff = 2, kArmLocalSectdiff = 3, kArmPbLaPtr = 4,
                   kArmBr24 = 5, kArmThumbBr22 = 6, kArmHalf = 8, kArmHalfSectdiff = 9;
constexpr uint16_t kNArmThumbDef = 0x8;         // N_ARM_THUMB_DEF
constexpr uint32_t kGenericVanilla = 0, kGenericPair = 1, kGenericSectdiff = 2, kGenericPbLaPtr = 3,
                   kGenericLocalSectdiff = 4, kGenericTlv = 5;

// <mach-o/machine.h>, <mach-o/arm64/reloc.h>
constexpr uint32_t kCpuTypeArm64 = 0x0100000c;  // CPU_TYPE_ARM | CPU_ARCH_ABI64
constexpr uint32_t kArm64Unsigned = 0, kArm64Subtractor = 1, kArm64Branch26 = 2, kArm64Page21 = 3,
                   kArm64Pageoff12 = 4, kArm64GotLoadPage21 = 5, kArm64GotLoadPageoff12 = 6,
                   kArm64PointerToGot = 7, kArm64TlvpLoadPage21 = 8, kArm64TlvpLoadPageoff12 = 9,
                   kArm64Addend = 10;

bool is_macho(std::span<const uint8_t> bytes);
// The Mach-O members of `inputs` as one program (those marked in
// `rejected` take no part). Positions (for "@K:" keys) are positions in
// `inputs`.
void load_macho_set(std::span<const Input> inputs, const Scenario& scenario, std::vector<Result>& results,
                    std::vector<bool>& rejected);

}  // namespace jitload::reference::macho
