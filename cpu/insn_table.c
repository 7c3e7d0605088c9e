/* The per-form tables of cpu/insn.h, generated from cpu/insn.def: each
 * form's implementation, mnemonic and flags. A form whose group file does
 * not define impl_<id> yet gets an all-NULL implementation, which the
 * decoder turns into #UD "<mnemonic> is not implemented". */
#include "cpu/insn.h"

/* Weak: the group file's definition replaces it at link time. */
#define INSN(id, mnemonic, flags)                                          \
	__attribute__((weak)) const struct insn_impl impl_##id = { 0 };
#include "cpu/insn.def"
#undef INSN

#define INSN(id, mnemonic, flags) [INSN_##id] = &impl_##id,
const struct insn_impl *const insn_impls[INSN_COUNT] = {
#include "cpu/insn.def"
};
#undef INSN

#define INSN(id, mnemonic, flags) [INSN_##id] = mnemonic,
const char *const insn_mnemonics[INSN_COUNT] = {
#include "cpu/insn.def"
};
#undef INSN

#define INSN(id, mnemonic, flags) [INSN_##id] = (flags),
const uint32_t insn_flags[INSN_COUNT] = {
#include "cpu/insn.def"
};
#undef INSN
