# An ADD_ULEB128 without its SUB_ULEB128.
  .data
  .reloc ., R_LARCH_ADD_ULEB128, x
  .byte 0
