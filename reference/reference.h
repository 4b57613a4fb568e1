// The reference loader: obviously correct, slow, independent.
//
// It answers the same question as the production loader (engine/loader) —
// "what do the bytes of each section look like once this object is loaded
// under this scenario?" — from its own reading of the object and its own
// transcription of the psABI. It shares nothing with engine/: not the
// reader, not the encoders, not the constants (a ctest greps for that). A
// wrong constant on either side then shows up as a disagreement instead of
// being agreed on twice.
//
// Rules it follows (and documents, because the differential harness
// depends on the engine following the same ones):
//
//   Sets. load_set() loads several objects as one program: one symbol
//   table, one placement cursor, one TLS block; load() is load_set() of
//   one object. The reference is a pure function of all its inputs at
//   once, so it works in two passes: read every object and choose each
//   name's one definition (Linkage, below), then place, scan and relocate.
//
//   Rejected objects. Objects are taken in input order, as a loader
//   taking them one by one would: object k joins the objects accepted so
//   far and the program is laid out again. If that fails — k is
//   malformed or unsupported, maps a section name ambiguously, defines
//   strongly a name an accepted object defines strongly (L2), or brings a
//   common that does not fit its storage's alignment (L4) — k is
//   rejected: loaded = false, placed = false, its error (a linkage
//   conflict is of kind Malformed and names both objects), and it
//   contributes nothing. The others are placed and bound exactly as if it
//   were not in the input, which is what a RuntimeDyld in which that one
//   load_object failed holds. So of two conflicting objects the later one
//   is rejected, and an object that conflicts only with a rejected one
//   loads.
//
//   Placement. The cursor starts at `base` and runs through the objects in
//   input order. For each object in turn: every SHF_ALLOC, non-SHF_TLS
//   section in section header index order at address = align_up(cursor,
//   align), cursor = address + size + section_sep; then its common block
//   ("<common symbols>"), its GOT ("<got>", aligned to 8), its stubs
//   ("<stubs>", aligned to 16), its "<ifunc stubs>" (aligned to 16), each
//   after the cursor in the same way; then the next object continues from
//   that cursor. The common block is placed only when the object has
//   common symbols; the GOT, the stubs and the IFUNC stubs are placed
//   always, even when empty (address = align_up(cursor, 8 or 16), cursor
//   = address + size + section_sep, size 0 included). So when an object
//   has no commons, GOT slots, stubs or IFUNCs, the next object's first
//   section starts four section_seps (plus alignment) after the end of
//   its last section: that section's own, then the empty GOT's, stubs'
//   and IFUNC stubs'.
//   Every loader has areas of its own sizes (GOT slots, stubs) and places
//   only those it has, so without explicit addresses for them a later
//   object's sections would sit at a different address in each loader: a
//   harness comparing loaders on a set maps every object's areas
//   explicitly ("@K:<got>", ...; `jitload diff --link` does), and then
//   file sections depend only on section headers (and common blocks).
//   Explicit addresses come from Scenario::section_addresses: a key is a
//   section name, "#N" (section header index N), or one of the area names
//   above; the key "@K:KEY" (K the object's position in the input,
//   decimal from 0) maps KEY in object K only, a key without "@K:" maps
//   KEY in every object. For one object, "@K:KEY" beats a plain KEY. An
//   explicitly mapped section does not move the cursor. A section name
//   mapped (plainly or for one object) must name one loaded section of
//   that object, else that object is rejected (Argument); "@K:" with K
//   not an input position rejects every object (Argument).
//
//   Common symbols: each object's block holds every SHN_COMMON symbol of
//   that object, in symbol table order, each at align_up(offset,
//   st_value); the block is aligned to the largest st_value. A common
//   that does not give its name's storage (L4) keeps its slot, unused.
//   Commons of one name in one object (definitions, so named and
//   non-local) take one slot, where the first of them is: the largest
//   st_size and the largest st_value of them, as ld and lld merge them
//   (checked: ld.bfd and ld.lld-19 give such a name one address aligned
//   to the stricter alignment); an L4 check inside one object cannot fail.
//
//   Thread-local sections (SHF_TLS) are not placed in the address space:
//   the whole set has one static TLS block, objects in input order and
//   each object's TLS sections in section header index order, each at
//   align_up(offset, align); the block size is rounded up to the largest
//   alignment, and the thread pointer points at the block's end (x86-64
//   TLS variant II), or Scenario::tls_end_offset bytes past it. On AArch64
//   (variant I) the block follows the TCB instead: see "AArch64" below. A TLS
//   section's "address" is its offset from the thread pointer (negative
//   by default), which is what TPOFF relocations encode.
//
//   With Scenario::process_all_sections, non-SHF_ALLOC sections with
//   contents load too, unplaced: at address 0 unless mapped explicitly.
//
//   Linkage (the team's rules L1-L9, README "Linkage"). A *definition* is
//   a non-local, named symbol with an address: in a loaded section, in
//   SHN_ABS or in SHN_COMMON. gABI "Symbol Table" is the source unless
//   said otherwise.
//   L1  strong = STB_GLOBAL or STB_GNU_UNIQUE defined in a section or
//       SHN_ABS; weak = STB_WEAK defined; common = st_shndx SHN_COMMON,
//       whose st_value is an alignment, not an address (gABI "Symbol
//       Binding", "Special Section Indexes", "Symbol Values").
//   L2  one definition per name: strong beats common beats weak, in any
//       input order. gABI "Symbol Binding": the link editor refuses two
//       STB_GLOBAL definitions of a name, honours a global definition
//       over weak ones and a common one over weak ones; it does not say
//       how a global and a common definition combine — ld and lld take
//       the global one. Two strong definitions are an error naming both
//       objects (the later object is rejected; inside one object, the
//       object is malformed) — except two STB_GNU_UNIQUE ones, where the
//       first stays (the team's rule). STB_GNU_UNIQUE is a GNU extension
//       the gABI does not list; ld and lld refuse two such definitions
//       outside COMDAT groups (measured), and inside groups they keep the
//       first group — which neither JIT loader discards, hence "the first
//       stays".
//   L3  among weak definitions the first in input order wins (the gABI
//       is silent on which; ld and lld keep the first).
//   L4  commons merge: the largest st_size (the first in input order on
//       a tie) gives the storage. If another common of that name asks for
//       a stricter alignment (st_value) than the storage's address has, an
//       error naming both, and the later of the two objects is rejected.
//       A strong definition beats every common; a common beats a weak
//       definition (gABI, above). The gABI leaves the merging of commons
//       to the link editor (ld and lld: largest size, strictest
//       alignment, which a JIT that has already placed the storage can
//       only check); the native link by clang-19 is the truth.
//   L5  every reference to a non-local name, from any object including
//       the one holding a losing weak or common definition, binds to that
//       one definition (a default-visibility definition is preemptible).
//       Visibility (st_other) plays no part in the choice: a static link
//       chooses by binding only (gABI "Symbol Visibility" constrains
//       dynamic linking); a strong hidden/protected definition wins in its
//       own object anyway. Local symbols and STT_SECTION symbols always
//       bind inside their object.
//   L6  an undefined reference binds to the set's definition; else to
//       Scenario::externals by name; else extern_default when set; else,
//       when default_externals is set, extern_base + 16 * (FNV-1a-64(name)
//       mod 2^20); else a weak undefined reference is 0 and a strong one
//       is an "undefined symbol" error on its relocation.
//   L7  archives: the reference loads what it is given; choosing members
//       (only for a strong undefined name, weak references never pull one
//       in) is the caller's (ld's rule; the gABI has no archives).
//   L8  rebinding after a later load does not arise: the set is loaded
//       at once, and every reference binds to the final choice — the
//       state an engine reaches once the last object is loaded and every
//       object resolved again.
//   L9  the definition and the reference must agree on thread-locality
//       (STT_TLS, or a definition in an SHF_TLS section), else the
//       relocation fails with "TLS attribute mismatch".
//   _GLOBAL_OFFSET_TABLE_ (undefined) is the referring object's own GOT
//   (psABI §5.2). A SIZE relocation takes the st_size of the definition
//   its symbol binds to; a name only the scenario provides has no size
//   (an error).
//
//   GOT: one 8-byte slot per symbol (a second kind of slot per symbol for
//   GOTTPOFF, holding its thread-pointer offset), in order of first use,
//   per object.
//   Stubs: per object, one 16-byte stub per symbol called through PLT32
//   (or PLTOFF64) that is undefined in that object or whose definition
//   there is not the one the set chose (bound to another object):
//   ff 25 00 00 00 00 (jmp *0(%rip)), the 8-byte target, and two int3. A
//   PLT32 uses its stub only when the direct displacement does not fit;
//   the effective target is the same either way. PLTOFF64 (L - GOT + A)
//   always has one.
//
//   IFUNC (STT_GNU_IFUNC) symbols defined in an object: each has a
//   16-byte stub in that object's "<ifunc stubs>", and the symbol's value,
//   for every relocation and in the symbol table, is that stub. The
//   reference runs no resolver: its stub jumps to the resolver and stands
//   for "the function the resolver picks". The stub is laid out as those
//   in "<stubs>" (jmp through its own 8-byte slot): a host that runs the
//   code calls the resolver and stores its answer in the slot before
//   running anything else.
//
//   TLS: general- and local-dynamic code sequences are rewritten to local
//   exec, and the two initial-exec forms of the psABI TLS supplement §5.5
//   too (there is no dynamic linker and no __tls_get_addr). Hence DTPOFF
//   equals TPOFF and DTPMOD64 is 1: one static TLS module. A rewrite is
//   done only for the compiler's exact sequence: the call must be to
//   __tls_get_addr, and a TLSGD or rewritten GOTTPOFF must have addend -4.
//
//   Relocation errors (one policy for both loaders). An object that is
//   placed applies every relocation that can be applied. Each one that
//   cannot (undefined symbol, overflow, TLS mismatch, ...) leaves its
//   field untouched and has status "error" and its message. The object's
//   Result then has loaded = false (placed stays true: it is part of the
//   program, its definitions bind the others' references), relocation_
//   errors = how many failed, and error = the first of them (its kind,
//   file offset and message), the message followed by " [the first of N
//   relocations that failed]" when N > 1.
//
//   Architectures. Class (ELFCLASS32/64), byte order (e_ident[EI_DATA])
//   and e_machine come from the object; the machine picks the reference's
//   own table (reference/elf/arch.cc: one registry line per architecture,
//   one file per architecture with its psABI rows). Result::triple comes
//   from the object: x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu
//   (ELFDATA2LSB), aarch64_be-unknown-linux-gnu (ELFDATA2MSB),
//   riscv64-unknown-linux-gnu (EM_RISCV, ELFCLASS64),
//   riscv32-unknown-linux-gnu (EM_RISCV, ELFCLASS32),
//   loongarch64-unknown-linux-gnu (EM_LOONGARCH, ELFCLASS64). An
//   e_machine without a table is an Unsupported error at file offset 18.
//   A set is one machine and byte order: an object whose triple differs
//   from the first accepted object's is rejected (Unsupported, offset 18).
//   Processor-specific section types (0x70000000-0x7fffffff) are looked up
//   per architecture: SHT_X86_64_UNWIND (0x70000001) loads on x86-64 only;
//   on AArch64 no processor-specific type is allocatable (0x70000003
//   SHT_AARCH64_ATTRIBUTES is metadata and never loads).
//
//   AArch64 (aaelf64, "ELF for the Arm 64-bit Architecture", §5.7
//   "Relocation"; TLS rules from the same document's §5.7.12-§5.7.14 and
//   the TLS supplement's variant I). These are the rules the engine and
//   conformance/ must match for the three-way diff:
//   - Byte order: instructions are always little-endian words; data
//     fields (ABS*, PREL*, PLT32, GOTPCREL32), GOT slots and the 8-byte
//     target word of a stub are in the object's byte order.
//   - GOT ("<got>", aligned to 8): one 8-byte slot per symbol, in order of
//     first use per object (the scan walks the relocation sections in
//     header order, each in entry order), holding S (the address the
//     symbol binds to) — for every GOT form: ADR_GOT_PAGE,
//     LD64_GOT_LO12_NC, LD64_GOTPAGE_LO15, GOT_LD_PREL19 (tiny model),
//     GOTPCREL32. A separate kind of
//     slot per symbol holds its thread-pointer offset, for the GOTTPREL
//     (initial-exec) forms, which are served through it, not rewritten;
//     both kinds share one sequence of slots, in order of first use (so
//     slot k is at GOT + 8k whatever its kind).
//     A GOT form with a non-zero addend is an Unsupported error (the slot
//     is per symbol, GDAT(S+A) would need one per S+A). GOT in
//     LD64_GOTPAGE_LO15 is the GOT's address: X = slot - Page(GOT).
//   - Stubs ("<stubs>", aligned to 16), 16 bytes each:
//       58000050  ldr x16, #8
//       d61f0200  br  x16
//       .xword    S          (8 bytes, the object's byte order)
//     One stub per symbol called through CALL26 or JUMP26 whose target is
//     not in this object (undefined here, or a definition here that the
//     set binds elsewhere, L5) or may not be (a preemptible definition of
//     this object: weak, common, GNU_UNIQUE, as on x86-64), in order of
//     first use. The branch uses
//     its stub only when S + A - P does not fit ±128 MiB and A == 0: the
//     field then gets L - P, L the stub. aaelf64 §5.7.8 has a veneer reach
//     S + A; the stub is per symbol and reaches S, so a far branch with
//     A != 0 (which no compiler emits for a call) is an Overflow error, as
//     is a far branch to a final (non-preemptible) symbol of this object. A target S + A - P that
//     fits but is not a multiple of 4 is a Misaligned error (no stub).
//     PLT32 (L + A - P, 32-bit data) never uses a stub.
//   - Relocation type 256 is R_AARCH64_NONE's withdrawn alias (aaelf64
//     §5.7.2): treated as R_AARCH64_NONE, like type 0.
//   - Local dynamic: the static model has one TLS block, and a module's
//     base is taken to be the thread pointer itself, so DTPREL(S + A) =
//     TPREL(S + A): the TLSLD_*_DTPREL_* forms are their TLSLE_*_TPREL_*
//     twins (same fields, same ranges: HI12 [0, 2^24), the LO12 forms
//     without _NC [0, 2^12), MOVW_DTPREL_G0/G1/G2 as TPREL's, _NC
//     unchecked). An undefined _TLS_MODULE_BASE_ (every machine) that the
//     set does not define is TP offset 0 (a static link defines it at the
//     block's start), so its TLS descriptor relaxes to movz/movk of 0. The
//     traditional sequence "adrp x0 (TLSLD_ADR_PAGE21); add x0, x0
//     (TLSLD_ADD_LO12_NC at +4); bl __tls_get_addr (CALL26/JUMP26 at +8)",
//     each the next entry of the same table, becomes d53bd040 (mrs x0,
//     tpidr_el0), d503201f, d503201f, the two later entries consumed; any
//     other shape, or a TLSLD_ADD_LO12_NC not so preceded, is an
//     Unsupported load error.
//   - A relocation in a NOBITS section is applied to its zero-filled
//     memory (as on x86-64); a TLSDESC or TLSGD relocation there is a
//     Malformed error, its rewrite having no instruction to read.
//   - IFUNC stubs ("<ifunc stubs>", aligned to 16): the same 16-byte
//     shape, the word holding the resolver's address; as for x86-64.
//   - TLS, variant I: the thread pointer (tpidr_el0) points at a 16-byte
//     TCB; the set's one TLS block starts at TP + align_up(16, A_max)
//     (A_max the block's largest alignment), sections laid out in it as
//     for x86-64 (input order, header order, each aligned). A TLS
//     section's address is that positive offset from TP.
//     Scenario::tls_end_offset is ignored on AArch64.
//     LE forms (TLSLE_*) write TPREL = S + A directly. IE forms
//     (TLSIE_*) use the TP-offset GOT slot. TLSDESC sequences are relaxed
//     to LE per relocation: TLSDESC_ADR_PAGE21 on "adrp x0" becomes
//     "movz x0, #(tpoff >> 16), lsl #16" (d2a00000 | imm16 << 5);
//     TLSDESC_LD64_LO12 on "ldr xN, [x0, ...]" becomes "movk x0, #(tpoff &
//     0xffff)" (f2800000 | imm16 << 5); TLSDESC_ADD_LO12 and TLSDESC_CALL
//     become nop (d503201f); tpoff must be in [0, 2^32). TLSGD sequences
//     "adrp x0, :tlsgd:x; add x0, x0, :tlsgd_lo12:x; bl __tls_get_addr"
//     (the ADD at the adrp's offset + 4 and the CALL26 at the add's offset
//     + 4, each the next entry of the same relocation section: else the
//     adrp's or the add's entry is an Unsupported error at load) are
//     relaxed to "mrs x0, tpidr_el0" (d53bd040); "add x0, x0,
//     #(tpoff >> 12) & 0xfff, lsl #12" (91400000 | imm12 << 10); "add x0,
//     x0, #tpoff & 0xfff" (91000000 | imm12 << 10); tpoff must be in
//     [0, 2^24); the CALL26 is "consumed". Any other instruction under a
//     TLSDESC or TLSGD relocation is an Unsupported error of that
//     relocation when applied (its bytes kept; the sequence's other
//     relocations are rewritten as usual).
//   - Ranges (X the value before encoding; an error when it does not
//     fit): ABS64, PREL64: none. ABS32, PREL32: [-2^31, 2^32). ABS16,
//     PREL16: [-2^15, 2^16). PLT32, GOTPCREL32: [-2^31, 2^31).
//     MOVW_UABS_G0/G1/G2: [0, 2^16/2^32/2^48); G3 and every _NC: none.
//     MOVW_SABS_G0/G1/G2, MOVW_PREL_G0/G1/G2, TLSLE_MOVW_TPREL_G0/G1/G2:
//     [-2^16, 2^16), [-2^32, 2^32), [-2^48, 2^48), and the instruction
//     becomes MOVN (X < 0, imm = ~X's bits) or MOVZ (X >= 0); MOVW_PREL_G3:
//     none, MOVN/MOVZ likewise. ADR_PREL_LO21: [-2^20, 2^20).
//     ADR_PREL_PG_HI21, ADR_GOT_PAGE, TLSIE_ADR_GOTTPREL_PAGE21:
//     Page(X) - Page(P) in [-2^32, 2^32); _NC: none. LD_PREL_LO19,
//     CONDBR19, GOT_LD_PREL19, TLSIE_LD_GOTTPREL_PREL19: [-2^20, 2^20) and
//     a multiple of 4. TSTBR14: [-2^15, 2^15), multiple of 4. CALL26, JUMP26: [-2^27,
//     2^27), multiple of 4 (else the stub, see above). LDSTn_ABS_LO12_NC,
//     LD64_GOT_LO12_NC, TLSIE_LD64_GOTTPREL_LO12_NC,
//     TLSLE_LDSTn_TPREL_LO12_NC: the low 12 bits must be a multiple of
//     n/8 (an error otherwise, as lld), no range check; the _LO12 forms
//     without _NC: X in [0, 2^12). TLSLE_ADD_TPREL_HI12: [0, 2^24).
//     LD64_GOTPAGE_LO15: [0, 2^15), multiple of 8.

//
//   RISC-V (the RISC-V ELF psABI, riscv-elf.adoc: "Relocations" and its
//   table "Relocation types", "Thread Local Storage", "TLS Descriptors ->
//   Local Exec Relaxation"). e_machine 243 (EM_RISCV) in both classes:
//   ELFCLASS64 is RV64 (riscv64-unknown-linux-gnu), ELFCLASS32 is RV32
//   (riscv32-unknown-linux-gnu); little-endian, SHT_RELA only. XLEN is the
//   class's word: on RV32 every value is computed modulo 2^32 and read
//   signed (a 64-bit data field keeps the 64-bit sum). But the operands
//   must be values the 32-bit machine can have: on RV32 an S (address or
//   TP offset), P or GOT slot that is neither below 2^32 nor a
//   sign-extended negative 32-bit number is an Overflow error of that
//   relocation ("lies beyond RV32's 4 GiB address space"), except in a
//   64-bit data field (R_RISCV_64, ADD64/SUB64, the 64-bit TLS words) and
//   the markers (NONE, RELAX, ALIGN, TPREL_ADD). Only the arithmetic wraps
//   (S + A = 2^32 in R_RISCV_32 is 0): a far symbol never silently becomes
//   a near one. Instructions are
//   little-endian 32-bit words (16-bit for RVC). These are the rules the
//   engine and conformance/ must match:
//   - Pairs by label. PCREL_LO12_I/S name, by their symbol, the auipc
//     carrying the high part (psABI "PC-Relative Symbol Addresses"): the
//     high part (the label is a place of this object, whatever its binding:
//     a weak label is never preempted; an STT_SECTION symbol's place is its
//     section's start, as its S is) is the relocation of type PCREL_HI20, GOT_HI20,
//     TLS_GOT_HI20 or (for PCREL_LO12_I only) TLS_GD_HI20 whose place
//     (section, offset) is the symbol's (its section, st_value) — anywhere
//     in the object's tables, before or after the low part, the first at
//     that place if several. The low part writes the low 12 bits of the
//     high part's value X (X - ((X + 0x800) >> 12 << 12), i.e. X & 0xfff as
//     an immediate); any number of lows may share one high. The psABI
//     requires the low's addend to be 0: a non-zero one, a symbol that is
//     not a label in the low part's own section (the auipc and the
//     instruction using its register are one piece of code; ld.lld would
//     follow a label into another section, we refuse it), or a place without such a
//     high part is a Malformed error naming the low. TLSDESC_LOAD_LO12,
//     TLSDESC_ADD_LO12 and TLSDESC_CALL pair with a TLSDESC_HI20 the same
//     way. The high part's own failure (undefined symbol, overflow) fails
//     each low too, with its reason.
//   - HI20/LO12 (absolute), PCREL_HI20, GOT_HI20, TLS_GOT_HI20,
//     TPREL_HI20: hi = (X + 0x800) >> 12 into imm[31:12] (U-type), lo = X &
//     0xfff into an I-type (imm[31:20]) or S-type (imm[31:25], imm[11:7])
//     immediate. CALL and CALL_PLT (interchangeable, psABI "Procedure
//     Calls"): X = S + A - P, hi into the auipc, lo into the jalr at +4.
//   - GOT ("<got>", aligned to the class's word): one slot of the class's
//     word (4 bytes on RV32, 8 on RV64) per symbol, in order of first use
//     (the scan walks the tables in header order, each in entry order),
//     holding S; a second kind of slot per symbol holds its TP offset
//     (TLS_GOT_HI20, initial exec, served through it, not rewritten); both
//     kinds share one sequence (slot k at GOT + k * word). GOT_HI20 and
//     TLS_GOT_HI20 with a non-zero addend are Unsupported (the psABI says
//     0; the slot is per symbol). GOT32_PCREL: slot + A - P, any A (the
//     psABI's G + GOT + A - P adds A to the slot's address, as ld.lld does).
//   - Stubs ("<stubs>", aligned to 16), 24 bytes each:
//       00000e17  auipc t3, 0
//       010e3e03  ld t3, 16(t3)      (RV32: 010e2e03, lw t3, 16(t3))
//       000e0067  jr t3
//       00000013  nop
//       the target word S (8 bytes; RV32: 4 bytes, then 4 zero bytes)
//     One stub per symbol called through CALL or CALL_PLT whose target is
//     not in this object (undefined here, or bound elsewhere, L5), in order
//     of first use. The call uses it only on RV64 when X + 0x800 is outside
//     [-2^31, 2^31) (beyond ±2 GiB) and A == 0: X = L - P. A far call to
//     this object's own symbol, or with A != 0, is an Overflow error. On
//     RV32 every address is reachable (modulo 2^32): no stub is used.
//     JAL, BRANCH and the RVC forms never use a stub. PLT32 (S + A - P,
//     32-bit) never uses one either.
//   - Ranges (X the value before encoding; an error when it does not fit):
//     32: [-2^31, 2^32); 64: none. 32_PCREL, PLT32, GOT32_PCREL: [-2^31,
//     2^31). BRANCH: [-2^12, 2^12), JAL: [-2^20, 2^20), RVC_BRANCH: [-2^8,
//     2^8), RVC_JUMP: [-2^11, 2^11), each a multiple of 2 (else a
//     Misaligned error). Every hi/lo pair on RV64: X + 0x800 in [-2^31,
//     2^31) (the HI20 forms, CALL/CALL_PLT, TLS_GD_HI20, TLSDESC_HI20); the
//     lows are not checked (their high part is). ADD*, SUB*, SET*: none,
//     the field wraps. TLS_DTPREL32 and TLS_TPREL32: [-2^31, 2^32).
//   - Label arithmetic (ADD8/16/32/64 V + S + A, SUB8/16/32/64 and SUB6 V
//     - S - A, SET6/8/16/32 S + A; 6 = the low 6 bits of a byte, its top 2
//     kept): each reads the field as the entries before it in table order
//     left it. Two of them on exactly the same field are not an overlap;
//     any other overlap is (Malformed). A run is about the field, not about
//     neighbours in the table: entries on one field compose in table order
//     whether or not they are adjacent (entries on other fields between
//     them), as the linkers do — ld.bfd (riscv_elf_relocate_section) and
//     ld.lld (RISCV::relocate) apply every ADD/SUB/SET as a read-modify-write
//     of its field when they reach it, and never look at its neighbours
//     (only a ULEB128 pair must be adjacent: lld refuses a SET_ULEB128 not
//     immediately followed by its SUB_ULEB128). Two relocation tables of
//     one section set no order between them: entries on one field from two
//     tables are an overlap (Malformed). SET_ULEB128 must be immediately
//     followed (next entry, same table) by a SUB_ULEB128 at the same
//     offset, and a SUB_ULEB128 must follow one (else Malformed). Each
//     applies its own psABI row, in the length already in place (the
//     psABI: the linker must not alter it; continuation bits kept): the
//     SET_ULEB128 writes S1 + A1 wrapped to the field's 7 bits per byte
//     (half a difference: never an error), the SUB_ULEB128 writes V - S2 -
//     A2 with V = S1 + A1 (modulo 2^XLEN, unsigned; not the wrapped bytes),
//     an Overflow error *of the SUB_ULEB128* when it does not fit (the
//     value that overflows is the SUB's, as ld.lld's per-row view would
//     have it; decided so that each relocation reports its own row). A
//     ULEB128 that does not end within 10 bytes inside its section is
//     Malformed.
//   - RELAX and ALIGN are kept: nothing is relaxed (status "none"). ALIGN's
//     addend is the size of the padding at its place: a negative one, or
//     padding past the section's end, is Malformed. The
//     assembler's padding under ALIGN is nops (psABI "Relocation for
//     Alignment": valid instructions without side effects), so the code
//     runs as assembled; the instruction after the padding is aligned only
//     as far as the section's own alignment makes it (the padding is sized
//     for a linker that deletes bytes) — an alignment for speed, not for
//     meaning, in compiler output. (ld.lld-19 deletes the padding even
//     with --no-relax, measured: so after an ALIGN a native -mrelax link
//     lays code out differently; compare such objects by behaviour, not
//     bytes.) TPREL_ADD marks the add of tp: nothing.
//   - TLS, variant I (psABI "Thread Local Storage": tp one past the end of
//     the TCB), with a TCB of size 0 here: the set's one block starts at TP
//     + 0 (aligned: TCB 0 needs no padding), sections laid out in it as for
//     x86-64; a TLS section's address is its offset from TP, >= 0.
//     Scenario::tls_end_offset is ignored. LE: TPREL_HI20/LO12_I/LO12_S
//     write TPREL = S + A. IE: TLS_GOT_HI20 through the TP-offset slot. No
//     dynamic linker: general dynamic (and local dynamic, which RISC-V
//     compiles the same way) is relaxed to local exec — TLS_GD_HI20 on
//     "auipc rd" becomes "lui rd, %hi(TPREL)" (opcode 0x17 -> 0x37, rd
//     kept), its PCREL_LO12_I on the addi writes %lo(TPREL), and every
//     CALL/CALL_PLT to an undefined symbol whose own name is __tls_get_addr
//     (none exists in the static model; a defined one is an ordinary call)
//     (auipc; jalr ra) becomes "add a0, a0, tp; nop" (00450533, 00000013),
//     a tail call (auipc; jalr x0) "add a0, a0, tp; ret" (00450533,
//     00008067); any other jalr is Unsupported; status "relaxed", no stub. TLSDESC ("TLS Descriptors -> Local Exec
//     Relaxation", no bytes deleted; the form chosen as ld.lld-19 does):
//     TLSDESC_HI20 on auipc -> nop; TLSDESC_LOAD_LO12 on a load -> nop;
//     when TPREL is in [-2048, 2048) (short form) TLSDESC_ADD_LO12 on addi
//     -> nop and TLSDESC_CALL on jalr -> "addi a0, zero, TPREL"
//     (00000513 | imm << 20); otherwise (long form) TLSDESC_ADD_LO12 ->
//     "lui a0, %hi(TPREL)" and TLSDESC_CALL -> "addi a0, a0, %lo(TPREL)"
//     (a0 = the TP offset, as the descriptor call would return); TPREL on
//     RV64 with TPREL + 0x800 in [-2^31, 2^31); beyond it every entry of
//     the sequence fails (each names itself, the HI20 first) and leaves
//     its instruction as assembled — nothing is half rewritten. (The native link differs
//     for general dynamic, by design (measured): ld.lld-19 -static keeps
//     it as a GOT pair and a call to __tls_get_addr; compare such objects
//     with it by behaviour.) Any other
//     instruction under one of these is an Unsupported error of that
//     relocation when applied. TLS_DTPREL32/64: S + A - 0x800
//     (TLS_DTV_OFFSET; the module's base is TP, one static module);
//     TLS_DTPMOD32/64: 1; TLS_TPREL32/64: S + A. A rewrite in a NOBITS
//     section is Malformed.
//   - Debug info: clang gives a thread-local variable's DWARF location as
//     R_RISCV_32/64 of the symbol in .debug_info. In a section that is not
//     SHF_ALLOC (loaded only with process_all_sections) those two write S +
//     A with S the symbol's TP offset — its offset in the one static
//     block, what DW_OP_form_tls_address wants; anywhere else a data
//     relocation of a thread-local symbol is an error (it has no address).
//   - No IFUNC: a loaded STT_GNU_IFUNC definition (in code, not TLS: the
//     general checks first) is Unsupported, as the engine has no RISC-V
//     IFUNC stubs.
//   - Processor-specific section types: SHT_RISCV_ATTRIBUTES (0x70000003)
//     is metadata and never loads.
//
//   LoongArch (the LoongArch ELF psABI, la-abi-specs "ELF for the LoongArch
//   Architecture": "Relocations", "Code Models", "Thread Local Storage").
//   e_machine 258 (EM_LOONGARCH), ELFCLASS64 (LP64), little-endian, SHT_RELA
//   only. Instructions are little-endian 32-bit words; immediates: si20 in
//   bits [24:5] (lu12i.w, lu32i.d, pcalau12i, pcaddu18i, pcaddi), si12/ui12
//   in [21:10] (addi.d, ld.d, ori, lu52i.d, ...), branch offsets in words:
//   offs16 in [25:10] (B16, jirl), B21 [15:0] in [25:10] and [20:16] in
//   [4:0], B26 [15:0] in [25:10] and [25:16] in [9:0]. These are the rules
//   the engine and conformance/ must match:
//   - Page pieces. A low part names the symbol itself (not a label, unlike
//     RISC-V). For target X: PCALA (X = S + A), GOT_PC (X = the symbol's
//     GOT slot), TLS_IE_PC (X = its TP-offset slot). The *_HI20 at P writes
//     hi = ((X + 0x800) >> 12) - (P >> 12) (20 bits): the page count a
//     pcalau12i needs so that, with X[11:0] *sign-extended* after it (addi.d,
//     ld.d, ...), X is reached. The *_LO12 writes X[11:0]. The extreme model
//     (pcalau12i; addi.d t, zero, lo12; lu32i.d t, lo20; lu52i.d t, t, hi12;
//     add.d) adds *64_LO20 at the pcalau12i's place + 8 and *64_HI12 at + 12:
//     with Q = P - 8 (LO20) or P - 12 (HI12) the pcalau12i's place, B =
//     (Q & ~0xfff) + sext32(hi(X, Q) << 12), the upper 32 bits U = (X - B) >>
//     32 (the tail's low 32 bits are sext(X[11:0])'s, so B + U << 32 +
//     sext(X[11:0])[31:0] = X exactly); LO20 writes U[19:0], HI12 U[31:20].
//     Range: a *_HI20 whose own table (section) has its family's 64_LO20 at
//     its place + 8 is an extreme sequence: no range (any 64-bit X).
//     Otherwise the pair must reach X: (P & ~0xfff) + sext32(hi << 12) +
//     sext(X[11:0]) == X, i.e. the page distance of X + 0x800 in [-2^31,
//     2^31); else an Overflow error of the HI20. Lows, LO20 and HI12 are not
//     checked (their high part is).
//   - Absolute pieces (lu12i.w; ori, which zero-extends; lu32i.d;
//     lu52i.d): ABS (X = S + A), GOT (X = the slot's address), TLS_IE (the
//     TP-offset slot's address), TLS_LE (X = TPREL = S + A): HI20 writes
//     X[31:12], LO12 X[11:0], 64_LO20 X[51:32], 64_HI12 X[63:52]. The HI20
//     without its 64_LO20 at + 8: X must equal sext32(X[31:0]) (lu12i.w
//     sign-extends), else Overflow. TLS_LE_HI20_R writes (X + 0x800)[31:12]
//     (its low, TLS_LE_LO12_R, is on a sign-extending addi.d), X + 0x800 in
//     [-2^31, 2^31); TLS_LE_ADD_R is a marker.
//   - Branches: B16, B21, B26, PCREL20_S2 (pcaddi): X = S + A - P, a
//     multiple of 4 (else an error), in [-2^17, 2^17), [-2^22, 2^22),
//     [-2^27, 2^27), [-2^21, 2^21). CALL36 (pcaddu18i + jirl at + 4): hi =
//     (X + 0x20000) >> 18 into the pcaddu18i, X[17:2] into the jirl (its
//     offset sign-extends), X + 0x20000 in [-2^37, 2^37), a multiple of 4.
//   - Stubs ("<stubs>", aligned to 16), 24 bytes each:
//       1c000014  pcaddu12i $t8, 0
//       28c04294  ld.d $t8, $t8, 16
//       4c000280  jirl $zero, $t8, 0
//       03400000  nop
//       the 8-byte target S
//     One stub per symbol called through B26 or CALL36 that is bound by
//     name (undefined here, bound elsewhere, or a preemptible — weak,
//     common, GNU_UNIQUE — definition of this object, L5), in order of
//     first use. The call uses it only when X is out of its reach and A ==
//     0: X = L - P (then checked as any X). A far call to this object's own
//     symbol, or with A != 0, is an Overflow error. B16/B21/PCREL20_S2 never
//     use a stub.
//   - GOT ("<got>", aligned to 8): one 8-byte slot per symbol holding S, and
//     one per thread-local symbol holding its TP offset (TLS_IE*), in order
//     of first use, as for RISC-V. The GOT and TLS_IE forms with a non-zero
//     addend are Unsupported (one slot per symbol).
//   - Data: 32 (S + A in [-2^31, 2^32)), 64, 32_PCREL (S + A - P in [-2^31,
//     2^31)), 64_PCREL (no range); TLS_TPREL32/64 and TLS_DTPREL32/64: S +
//     A, the TP offset (the one static module starts at tp, TLS_DTV_OFFSET
//     0), the 32-bit ones in [-2^31, 2^32); TLS_DTPMOD32/64: 1.
//   - Label arithmetic: ADD6/8/16/24/32/64 (V + S + A) and SUB6/8/16/24/32/64
//     (V - S - A), 6 = the low 6 bits of a byte (the top 2 kept), 24 = 3
//     little-endian bytes: each reads the field as the entries before it in
//     table order left it, modulo the field (no range). Two of them on
//     exactly the same field are not an overlap. ADD_ULEB128 must be
//     immediately followed (next entry, same table) by a SUB_ULEB128 at the
//     same offset, and a SUB_ULEB128 must follow one (else Malformed); in
//     the length already in place, the ADD writes V + S1 + A1 wrapped to the
//     field (half of a difference: never an error), the SUB V + S1 + A1 - S2
//     - A2 (V the ULEB128 the file holds there), an Overflow error *of the
//     SUB* when it does not fit. A ULEB128 that does not end within 10 bytes
//     inside its section is Malformed.
//   - Markers: NONE, RELAX, ALIGN, MARK_LA, MARK_PCREL, TLS_LE_ADD_R write
//     nothing (status "none"); nothing is relaxed, so the NOPs an ALIGN
//     covers stay and run as NOPs and every place keeps its offset (the
//     padded place is aligned only as far as the assembler's padding makes
//     it: an alignment for speed in compiler output).
//   - TLS, variant I with tp at the start of the one static block (no TCB
//     bytes before it: glibc's LoongArch TLS_TCB_SIZE 0): a TLS section's
//     address is its TP offset, >= 0, laid out as for RISC-V. LE: TLS_LE*.
//     IE: the TLS_IE* forms through the TP-offset slot. No dynamic linker:
//     general and local dynamic (LoongArch's local dynamic names the
//     variable itself, as general dynamic does) and descriptors are
//     rewritten to local exec, instruction by instruction, status
//     "relaxed" (TPREL = S + A must lie in [-2^31, 2^31): lu12i.w + ori;
//     else each of the sequence's TLS entries fails, naming itself and
//     leaving its instruction as assembled; the call is rewritten anyway,
//     the load having failed):
//       TLS_GD_PC_HI20 / TLS_LD_PC_HI20 on pcalau12i rd
//           -> lu12i.w rd, TPREL[31:12]       (0x14000000 | si20 << 5 | rd)
//       GOT_PC_LO12 of a thread-local symbol (their low) on addi.d rd, rj
//           -> ori rd, rj, TPREL[11:0]        (0x03800000 | ui12 << 10 | rj << 5 | rd)
//       B26 to an undefined __tls_get_addr on bl -> add.d $a0, $a0, $tp (00108884);
//       CALL36 to it on pcaddu18i; jirl $ra -> add.d $a0, $a0, $tp; nop,
//           on pcaddu18i; jirl $zero (a tail call) -> add.d; ret (4c000020)
//           (any other instruction under such a call: Unsupported at load)
//       TLS_DESC_PC_HI20 on pcalau12i, TLS_DESC_PC_LO12 on addi.d -> nop
//       TLS_DESC_LD on ld.d -> lu12i.w $a0, TPREL[31:12]
//       TLS_DESC_CALL on jirl -> ori $a0, $a0, TPREL[11:0]
//     (a0 then holds the variable's address (GD/LD, after the add.d) or its
//     TP offset (DESC, before the compiler's own add.d with tp)). Any other
//     instruction under one of these is an Unsupported error of that
//     relocation when applied. The extreme model's GD/LD/DESC (GOT64_PC_LO20
//     or GOT64_PC_HI12 of a thread-local symbol, TLS_DESC64_*) and the
//     absolute GD/LD/DESC forms (TLS_GD_HI20, TLS_LD_HI20, TLS_DESC_HI20/
//     LO12) have no such rewrite here: the object is refused (Unsupported).
//     A TLS type on a symbol that is not thread-local is refused at load; an
//     address type on a thread-local one fails when applied, except R_LARCH_
//     32/64 in a section that is not SHF_ALLOC (debug information: the TP
//     offset).
//   - Not applied (Unsupported): the dynamic types (RELATIVE, COPY,
//     JUMP_SLOT, IRELATIVE, TLS_DESC32/64), the stack-based SOP_* types of
//     the old ABI, GNU_VTINHERIT/VTENTRY, DELETE, CFA, the TLS_*_PCREL20_S2
//     forms. No processor-specific section type loads. No IFUNC: an
//     STT_GNU_IFUNC definition is Unsupported (no stub is defined for it).
//
//   Mach-O (64-bit little-endian MH_OBJECT; Apple's <mach-o/loader.h>,
//   <mach-o/nlist.h>, <mach-o/reloc.h>, <mach-o/x86_64/reloc.h>, each
//   transcribed in reference/macho/macho.h; LLVM's RuntimeDyldMachO as the
//   oracle). x86-64 and arm64 (its table below); i386 and ARM (32-bit)
//   below (any other CPU type is an Unsupported error at file offset 4).
//   These are the rules the engine
//   and conformance/ must match:
//   - Sets: one object format per set, the first recognised object's; an
//     object of the other format is rejected (Unsupported). Two strong
//     definitions of a name reject the later object (Malformed). L4: a
//     common whose name's storage (the chosen common) is less aligned than
//     it asks has its relocations and GOT slot fail (Unsupported), as the
//     engine refuses that binding at resolution.
//   - Load commands: LC_SEGMENT_64 (cmdsize 72 + 80 * nsects; each
//     section's segment name its segment's, addr + size not wrapping,
//     contents and relocation entries inside the file, alignment at most
//     2^20, at most 255 sections), LC_SYMTAB (one; cmdsize 24; symbols and
//     strings inside the file), LC_DYSYMTAB (cmdsize 80; indirect table
//     inside the file; its three symbol ranges inside the symbol table)
//     are checked and used; LC_BUILD_VERSION (cmdsize 24 + 8 * ntools),
//     LC_VERSION_MIN_* (16), LC_DATA_IN_CODE and
//     LC_LINKER_OPTIMIZATION_HINT (16; data inside the file) and
//     LC_LINKER_OPTION (at least 12) are checked and skipped: versions,
//     disassembler hints and a static linker's optional rewrites and
//     auto-link options change nothing a loader does. Any other command
//     is an Unsupported error.
//   - __LD,__compact_unwind, loaded or not, is checked after the symbols
//     and before the relocations (Malformed otherwise): not zerofill, a
//     whole number of entries (3 pointers + 8 bytes: 32 or 20 bytes);
//     each relocation in it r_type 0, absolute, pointer-wide, not
//     scattered, on an entry's function/personality/LSDA field, one per
//     field; each function field relocated (extern to an N_SECT symbol:
//     its value + the field; else the field, an address in the section
//     named), inside a loaded section that holds [start, start + length);
//     a non-zero personality/LSDA field relocated (an undefined or common
//     symbol: bound by name, recorded by name). Result::compact_unwind
//     lists the entries at placed addresses; nothing is written.
//   - Sections: named by sectname alone (as llvm-rtdyld names them:
//     "__text", "__eh_frame"); Section::index is the ordinal (1, 2, ...
//     across segments), also the "#N" key. S_ATTR_DEBUG sections (__DWARF,
//     __LD,__compact_unwind) load only with process_all_sections, unplaced
//     (address 0 unless mapped). Kind: code (S_ATTR_PURE_INSTRUCTIONS or
//     S_ATTR_SOME_INSTRUCTIONS), bss (S_ZEROFILL, S_GB_ZEROFILL,
//     S_THREAD_LOCAL_ZEROFILL: zero bytes), rodata (segment __TEXT, or
//     debug), else data. Placement as for ELF: each object's sections in
//     ordinal order, then "<common symbols>" when it has commons, "<got>"
//     (8), "<stubs>" (16) and an empty "<ifunc stubs>" (16), always.
//   - Symbols (nlist_64): stabs (n_type & N_STAB) are skipped. N_SECT: in
//     section n_sect (1..nsects), n_value an address of the object file in
//     [addr, addr + size] of that section. N_ABS: absolute. N_UNDF with
//     N_EXT and n_value != 0: common, n_value bytes, alignment 2^((n_desc
//     >> 8) & 15) at most 2^20, laid out in symbol order in the object's
//     block; named commons of one name share one slot, as for ELF. N_UNDF with N_EXT and value 0: undefined (weak with
//     N_WEAK_REF). N_UNDF without N_EXT: Malformed. N_INDR, N_PBUD:
//     Unsupported. Binding: no N_EXT → local; N_EXT (N_PEXT too: a static
//     link ignores visibility when choosing) → global, weak with
//     N_WEAK_DEF; commons are "common". L1-L6 then hold as for ELF, with
//     "preemptible" = weak or common.
//   - Names outside the set (L6): a name that starts with '_' is looked up
//     first without it (Scenario::externals, extern_default, the default
//     addresses), then as spelled: C's "printf" is Mach-O's "_printf".
//     An external (a name bound by name: undefined, weak or common) whose
//     address is 2^64 - 1 has its relocations (and GOT and stub words)
//     left unapplied, status "none" (llvm-rtdyld's -dummy-extern
//     convention); an object's own absolute symbol of that value is an
//     ordinary value.
//   - Relocations (relocation_info): scattered entries are Unsupported in
//     64-bit objects;
//     r_address inside its section; an extern entry names a symbol below
//     nsyms that is not a stab; a non-extern one a loaded section
//     (1..nsects) or R_ABS (0, UNSIGNED only). A report's type is r_type
//     | r_length << 4. The addend A is the field's contents (sign-extended)
//     for extern entries; for non-extern ones, the target's offset in the
//     section the entry names (UNSIGNED: contents - that section's file
//     address; pc-relative forms: contents + the field's file address + 4
//     - that address). Per type (r_pcrel, r_length, formula; P the field's
//     address, B a subtrahend's value):
//       UNSIGNED    0, 2|3   S + A; a 32-bit field takes [-2^31, 2^32)
//       SIGNED, SIGNED_1/2/4, BRANCH
//                   1, 2     S + A - (P + 4), signed 32 bits: the n bytes of
//                            immediate after a SIGNED_n field are already in
//                            A (extern) or cancel out (non-extern)
//       BRANCH      to a name bound by name (undefined, weak or common):
//                   through the object's stub (16 bytes, as for ELF) when
//                   the direct value does not fit; L + A - (P + 4)
//       GOT_LOAD, GOT
//                   1, 2     G + A - (P + 4), extern only; one 8-byte slot
//                            per symbol in order of first use, holding S
//       SUBTRACTOR  0, 2|3   must be followed by an UNSIGNED on the same
//                            field and length: that entry writes
//                            V(minuend) - V(subtrahend) + contents, V = S
//                            for an extern half, the section's move (new -
//                            file address) for a non-extern one; the
//                            SUBTRACTOR itself writes nothing (status
//                            "none"); its report addend is 0, the
//                            UNSIGNED's is A as above plus a non-extern
//                            subtrahend section's file address
//       TLV         1, 2     G + A - (P + 4), extern only, G the symbol's
//                            GOT slot (shared with GOT_LOAD/GOT), holding S:
//                            the TLV descriptor's address. Served only when
//                            the scenario gives Scenario::tlv_get_addr (a
//                            host that runs the code); otherwise
//                            Unsupported, as the engine refuses it on
//                            simulated targets ("Mach-O TLV" below)
//     Any other r_pcrel or r_length for a type is Malformed.
//   - __eh_frame: an FDE's pc_begin (8 bytes after its CIE pointer) and,
//     when its augmentation data length (the byte after pc_range) is at
//     least 8, the LSDA pointer after that byte, which no relocation
//     covers, are 64-bit pc-relative values the assembler resolved: each
//     keeps reaching the same offset of the section its file value
//     reached — the loaded section whose [addr, addr + size) holds it, else
//     the first whose end it is — (an error if none). A 64-bit-length record is Unsupported;
//     1-3 bytes after the last record (no room for a length) are Malformed.
//   - Limits: the loaded sections and the common block at most 256 MiB.
//   - Symbol pointer sections (section type S_NON_LAZY_SYMBOL_POINTERS 6
//     or S_LAZY_SYMBOL_POINTERS 7, any CPU): size a multiple of the pointer
//     (8, or 4 in 32-bit objects); slots reserved1 .. reserved1 + n inside
//     LC_DYSYMTAB's indirect symbol table; slot k holds the address (as a
//     reference binds it) of the symbol the table's entry reserved1 + k
//     names, unless the entry has INDIRECT_SYMBOL_LOCAL (0x80000000) or
//     _ABS (0x40000000) or a relocation covers the slot (then untouched).
//     Every relocation of such a section (but a 32-bit PAIR) starts at a
//     slot: one starting inside a slot would share bytes with the slot's
//     fill, so it is Malformed.
//     An undefined strong name is an Unresolved error; the names are also
//     listed in Result::pointer_symbols.
//
//   Mach-O i386 (32-bit: MH_MAGIC, CPU_TYPE_X86 = 7; <mach-o/reloc.h>):
//   - The 28-byte mach_header; load commands in multiples of 4; LC_SEGMENT
//     (cmdsize 56 + 68 * nsects; 4-byte addr and size, addr + size below
//     2^32) instead of LC_SEGMENT_64 (which is then Unsupported, as any
//     unknown command); nlist of 12 bytes (4-byte n_value). The rest of
//     "Mach-O" above holds; GOT slots are 4 bytes, there are no stubs.
//   - A scattered entry (r_address bit 31): r_address:24, r_type:4,
//     r_length:2, r_pcrel:1, then r_value: its target is the loaded section
//     holding r_value ([addr, addr + size), else the first one it ends;
//     Malformed if none). A report's type is r_type | r_length << 4 |
//     r_pcrel << 6.
//   - Every target is a file address moved with the section holding it.
//     For a field of W = 2^r_length bytes at P (file address P_old):
//       VANILLA     W 1|2|4, pcrel or not. Extern: T = S + A, A = contents
//                   (pcrel: int32(contents + P_old + W)). Non-extern and
//                   scattered: A = int32(contents (+ P_old + W) - the
//                   target section's file address), T = its new address +
//                   A. R_ABS: T = contents (not pcrel). Writes T, or
//                   T - (P + W) when pcrel. Absolute fields take
//                   [-2^(8W-1), 2^(8W)); a 4-byte pcrel one (-2^32, 2^32)
//                   (modulo 2^32); shorter pcrel ones their signed range.
//       SECTDIFF, LOCAL_SECTDIFF
//                   scattered, not pcrel, W 1|2|4, followed by a scattered
//                   PAIR of the same r_length and r_pcrel 0 whose r_value
//                   lies in a loaded section: writes (rA moved) - (rB
//                   moved) + (contents - (rA - rB)); report addend
//                   contents + rB - (rA's section's file address); status
//                   via "none".
//       PAIR        only after a scattered SECTDIFF/LOCAL_SECTDIFF (else
//                   Malformed); writes nothing (status "none"); its
//                   r_address is not checked (no offset).
//       PB_LA_PTR   scattered, not pcrel, 4 bytes: writes r_value moved with
//                   its section (the field's prebound contents ignored:
//                   dyld's reset of a prebound lazy pointer).
//       TLV         extern (not scattered), 4 bytes: G + A, G a 4-byte
//                   slot per symbol holding S, A = contents. pcrel (clang's
//                   PIC form, `movl _x@TLVP-Lpicbase(%esi)`): writes
//                   G + A - (P + 4), A = contents (the assembler stored the
//                   distance from the field's end to the pic base there, so
//                   the field becomes G - picbase: ld64's pc-relative TLV
//                   load); its bounds those of a 4-byte pcrel field.
//     R_ABS with any type but VANILLA is Unsupported; other types
//     Unsupported; no two fields may share a byte (a PAIR has none).
//
//   Mach-O ARM (32-bit: MH_MAGIC, CPU_TYPE_ARM = 12; <mach-o/arm/reloc.h>):
//   the 32-bit rules of i386 above, and:
//   - A symbol with N_ARM_THUMB_DEF (0x8) in n_desc is a Thumb function:
//     its address is the section's new address + offset + 1.
//   - Types (the field 4 bytes for BR24, BR22, HALF, HALF_SECTDIFF):
//       VANILLA     not pcrel, r_length 2: T as i386's absolute VANILLA.
//       SECTDIFF, LOCAL_SECTDIFF, PB_LA_PTR, PAIR
//                   as i386 (r_length 2); a PAIR may also follow a HALF or
//                   HALF_SECTDIFF.
//       BR24        pcrel, r_length 2: off = sext(imm24 << 2) (| H << 1
//                   for BLX, 1111101H); file target P_old + 8 + off; T as
//                   for VANILLA from it. Extern: Thumb iff T is odd; BL
//                   (0xEB) or BLX to Thumb writes BLX (0xFA | H) to T - 1,
//                   to ARM writes BL; a B or conditional BL to Thumb is
//                   Unsupported. Non-extern: Thumb iff the instruction is
//                   BLX. A branch to a global function — extern to a
//                   name bound by name or to a global (N_EXT, not N_PEXT)
//                   definition with addend 0, or non-extern whose file
//                   target is a global's n_value in a loaded section —
//                   always goes through the object's ARM stub for it (8
//                   bytes, `ldr pc, [pc, #-4]` = 0xe51ff004 then the 4-byte
//                   S, odd for Thumb), reached by BL (a B stays B), the B
//                   to Thumb then allowed (the load interworks). d = dest -
//                   (P + 8) must fit 26 bits signed and be a multiple of 4
//                   (2 to Thumb); else Overflow.
//       THUMB_RELOC_BR22
//                   pcrel, r_length 2, on a Thumb BL/BLX (hw1 11110...,
//                   hw2 11x1... / 11x0...) or B.W (hw2 10x1..., from
//                   P + 4, its form kept, to an ARM target Unsupported);
//                   else Malformed: off from
//                   S:I1:I2:imm10:imm11 (I = !(J ^ S)), base P_old + 4 for
//                   BL, Align(P_old + 4, 4) for BLX. Extern: Thumb iff T
//                   odd (BL to T - 1 from P + 4), else BLX from
//                   Align(P + 4, 4); non-extern: the instruction's form.
//                   A branch to a global function (as for BR24) always
//                   goes through the object's Thumb stub for it (`ldr.w pc,
//                   [pc, #0]` = 0xf000f8df then S), by BL. ±16 MiB; else
//                   Overflow. Stubs: one per (symbol, caller's mode), in
//                   order of first use.
//       HALF        not pcrel, any r_length (bit 0: upper half/movt; bit 1:
//                   Thumb encoding), followed by a PAIR of the same
//                   r_length: the 32-bit word = this half and the PAIR's
//                   r_address (the other half); T as for VANILLA from it,
//                   which must lie in [-2^31, 2^32); writes T's half into
//                   imm16 (ARM imm4:imm12; Thumb imm4:i:imm3:imm8).
//       HALF_SECTDIFF
//                   scattered, not pcrel, followed by a scattered PAIR
//                   (r_value B, r_address the other half): SECTDIFF's
//                   value of that word, one half written.
//     ARM_THUMB_32BIT_BRANCH (obsolete) and unknown types are Unsupported;
//     R_ABS only with VANILLA and HALF.
//   - Mach-O TLV (thread-local variables), served (Scenario::tlv_get_addr
//     non-zero), from the ABI as Apple's dyld implements it: each
//     S_THREAD_LOCAL_VARIABLES section (__thread_vars) holds 24-byte
//     descriptors {thunk, key, offset}; code reaches a variable with
//     `movq _x@TLVP(%rip), %rdi; callq *(%rdi)` (X86_64_RELOC_TLV: a slot
//     holding the descriptor's address), and the thunk, called with %rdi =
//     the descriptor, returns in %rax the address of this thread's copy of
//     the variable, every other register kept. The object's
//     S_THREAD_LOCAL_REGULAR sections (__thread_data) then its
//     S_THREAD_LOCAL_ZEROFILL ones (__thread_bss), each group in ordinal
//     order, each section at its alignment from offset 0, form its TLS
//     module (the initial image; its alignment the largest): they are not
//     placed in the address space; their Section::tls is set and their
//     "address" is their offset in the module (kind "tls" / "tbss"), as is
//     a symbol's in them. The reference writes:
//       thunk   the undefined name `__tlv_bootstrap` (the descriptors'
//               first word, UNSIGNED) binds to the reference's own thunk,
//               in the area "<tlv thunk>" (327 bytes, tlv_thunk() in
//               macho/load.cc; placed after "<ifunc stubs>", only when the
//               object has a __thread_vars section): it saves %rdi, %rsi,
//               %rdx, %rcx, %r8-%r11 and %xmm0-15, calls
//               Scenario::tlv_get_addr with %rdi = the descriptor's address
//               + 8 (the pair {key, offset}: __tls_get_addr's contract),
//               restores them and returns its %rax;
//       key     the descriptor's second word: Scenario::tlv_module_key;
//       offset  the third word (UNSIGNED, 8 bytes, at descriptor + 16):
//               S + A, the initial value's offset in the module; a target
//               outside the thread-local sections is Unsupported.
//     Unserved (simulated targets: load, diff, rtdyld -verify), the TLV
//     relocation is an Unsupported error and those sections load as data.
//
//   Mach-O arm64 (CPU_TYPE_ARM64, <mach-o/arm64/reloc.h>; reference/macho/
//   load.cc, check_arm64 and the arm64 block of relocate). Everything above
//   but the relocation table and the stub, which is `ldr x16, #8` (0x58000050),
//   `br x16` (0xd61f0200), the 8-byte target at +8. Types (r_pcrel, r_length,
//   formula; P the field's address, T the target S + A):
//       UNSIGNED, SUBTRACTOR   as on x86-64 (A in the word; either half may be
//                   non-extern), 32-bit UNSIGNED in [-2^31, 2^32)
//       ADDEND      0, 2, r_extern 0: names nothing; r_symbolnum (24 bits,
//                   signed) is A of the next entry, which must be on the same
//                   field and a PAGE21, PAGEOFF12 or BRANCH26 (else Malformed,
//                   reported on the ADDEND when it is last or the field
//                   differs, on the next entry when its type is wrong);
//                   writes nothing (status "none")
//       BRANCH26    1, 2, extern, on a B/BL: imm26 = (T - P) / 4, T - P a
//                   multiple of 4 in [-2^27, 2^27); for a symbol bound by name
//                   out of reach and A = 0, L - P through its veneer (which
//                   jumps to S); else Overflow
//       PAGE21      1, 2, extern, on an ADRP: pages (T >> 12) - (P >> 12) in
//                   [-2^20, 2^20) into immlo (bits 29-30) and immhi (5-23)
//       PAGEOFF12   0, 2, extern, on an ADD/SUB immediate or a LDR/STR with an
//                   unsigned offset: (T & 0xfff) / size into bits 10-21, size
//                   1 for ADD, else 2^(bits 31:30), 16 for the SIMD 128-bit
//                   form; T & 0xfff not a multiple of size: Overflow
//       GOT_LOAD_PAGE21, GOT_LOAD_PAGEOFF12   as PAGE21 / PAGEOFF12 (the
//                   latter on a load) with T = G, the symbol's slot; A is 0
//       POINTER_TO_GOT  extern; 1, 2: G - P signed 32 bits; 0, 3: G (the
//                   field's contents are ignored)
//       TLVP_LOAD_PAGE21, TLVP_LOAD_PAGEOFF12   Unsupported
//     Instruction forms (BRANCH26 .. TLVP) non-extern: Unsupported for
//     BRANCH26/PAGE21/PAGEOFF12 (no offset to place), Malformed for the GOT
//     forms. The instruction a type needs but does not find: Malformed.
//
// Unknown or ambiguous cases are hard errors.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace jitload::reference {

enum class ErrorKind {
  Malformed,    // the bytes contradict the format
  Unsupported,  // well-formed, but not something the reference implements
  Overflow,     // a relocated value does not fit its field
  Unresolved,   // an external symbol without an address
  Argument,     // the scenario is impossible (e.g. an ambiguous section name)
  Limit,        // beyond the reference's size limits (reported as "memory")
};
const char* error_kind_name(ErrorKind kind);

constexpr uint64_t kNoOffset = ~uint64_t(0);

struct RefError {
  ErrorKind kind = ErrorKind::Malformed;
  uint64_t file_offset = kNoOffset;
  std::string message;
};

struct Scenario {
  uint64_t base = 0x10000000;
  uint64_t section_sep = 0x1000;
  // "name" or "#index" -> address; "<common symbols>", "<got>", "<stubs>",
  // "<ifunc stubs>" too; "@K:" before any of them: object K of a set only.
  std::vector<std::pair<std::string, uint64_t>> section_addresses;
  std::vector<std::pair<std::string, uint64_t>> externals;
  bool has_extern_default = false;
  uint64_t extern_default = 0;
  bool default_externals = true;
  uint64_t extern_base = 0x40000000;
  // llvm-rtdyld's "process all sections": sections that are not SHF_ALLOC
  // but have contents (SHT_PROGBITS, SHT_NOTE, SHT_X86_64_UNWIND: debug
  // info, say) load too, with their relocations applied. They are not part
  // of the image: the placement cursor skips them and each is at address 0
  // unless section_addresses maps it.
  bool process_all_sections = false;
  // Where the static TLS block ends, as an offset from the thread pointer
  // (0: the block ends at the thread pointer, x86-64 TLS variant II). A
  // host that runs the code puts the block in a reserve of its own TLS.
  int64_t tls_end_offset = 0;
  // Mach-O TLV, where a host runs the code (reference.h, "Mach-O TLV"): the
  // address of a function with __tls_get_addr's contract (given the pair
  // {key, offset}, the address of that offset in the calling thread's copy
  // of module `key`), and the key of this object's TLS module. 0: TLV is
  // not served (an Unsupported error), as on simulated targets.
  uint64_t tlv_get_addr = 0;
  uint64_t tlv_module_key = 0;
};

struct Section {
  std::string name;
  uint32_t index = 0;     // section header index; 0 for synthesized sections
  std::string kind;       // code rodata data bss tls tbss common got stubs
  uint64_t address = 0;   // for TLS sections: the thread-pointer offset
  uint64_t size = 0;
  uint64_t align = 1;
  bool tls = false;
  bool allocatable = true;  // false: loaded only by Scenario::process_all_sections
  int64_t tp_offset = 0;  // TLS sections only
  std::vector<uint8_t> bytes;
};

struct Symbol {
  std::string name;
  uint32_t index = 0;          // in the symbol table
  std::string section;         // "" for absolute symbols
  uint32_t section_index = 0;  // header index; 0 absolute; 0xfff2 common
  uint64_t address = 0;        // TLS: thread-pointer offset
  uint64_t size = 0;
  std::string binding;         // local global weak
  std::string type;            // notype object func tls common ifunc
  // False for a non-local definition that is not its name's one
  // definition in the set (a losing weak or common, a second GNU_UNIQUE):
  // `address` is still this entry's own, but references bind elsewhere.
  bool chosen = true;
};

struct Relocation {
  uint32_t section_index = 0;  // the patched section
  std::string section;
  uint64_t offset = 0;
  uint32_t type = 0;
  std::string type_name;
  uint32_t symbol_index = 0;
  std::string symbol;          // the symbol's name, or its section's for STT_SECTION
  bool symbol_is_section = false;
  int64_t addend = 0;
  uint64_t file_offset = 0;    // of the RELA entry
  // What happened: "applied", "relaxed" (TLS sequence rewritten),
  // "consumed" (the __tls_get_addr call absorbed by a relaxation), "none"
  // (R_X86_64_NONE), "error".
  std::string status;
  uint64_t value = 0;          // written into the field (for relaxed: the TPOFF written)
  uint64_t effective = 0;      // address reached, through stub/GOT; TP offset for TLS
  std::string via;             // direct got stub tls size module
  std::string error;
};

struct Result {
  bool loaded = false;         // placed, and every relocation applied
  bool placed = false;         // part of the program (see "Rejected objects")
  RefError error;              // when !loaded
  uint64_t relocation_errors = 0;  // relocations with status "error"
  std::string triple;
  uint64_t got_address = 0;
  std::vector<Section> sections;
  std::vector<Symbol> symbols;
  std::vector<Relocation> relocations;
  // Mach-O: the names the object's symbol pointer slots (__nl_symbol_ptr)
  // bind, which no relocation entry names (a harness that supplies
  // externals by relocation names needs these too).
  std::vector<std::string> pointer_symbols;
  // Mach-O: the __LD,__compact_unwind entries, in file order (see
  // "Mach-O compact unwind" in reference/macho/load.cc): the function's
  // section and offset and its placed address; personality and LSDA as
  // placed addresses (by name: the name's address, 0 if none, and the name).
  struct CompactUnwind {
    std::string section;
    uint64_t offset = 0, function = 0;
    uint32_t length = 0, encoding = 0;
    uint64_t personality = 0, lsda = 0;
    std::string personality_symbol, lsda_symbol;
    uint64_t file_offset = 0;
  };
  std::vector<CompactUnwind> compact_unwind;
};

// Load `bytes` (named `name` in messages) under `scenario`: load_set of
// that one object.
Result load(std::span<const uint8_t> bytes, const std::string& name, const Scenario& scenario);

struct Input {
  std::string name;  // in messages
  std::span<const uint8_t> bytes;
};

// Load several objects as one program under one scenario (see the rules
// above: Sets, Rejected objects, Placement, Linkage): one Result per
// object, in input order.
std::vector<Result> load_set(std::span<const Input> objects, const Scenario& scenario);

// The default address of an unnamed external symbol (see above).
uint64_t default_extern_address(const std::string& name, uint64_t extern_base);

}  // namespace jitload::reference
