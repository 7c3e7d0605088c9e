/* A decoded instruction: what the decoder resolved once, so that handlers
 * never look at encoding bytes again. */
#ifndef CPU_INSN_H
#define CPU_INSN_H

#include <stdint.h>

struct cpu;
struct insn;

/* Every instruction handler has this signature. A handler runs with
 * c->rip at the instruction and c->next_rip after it; a control transfer
 * sets c->next_rip. Faults are raised with cpu_raise*() and unwind. */
typedef void (*insn_fn)(struct cpu *c, const struct insn *i);

/* Instruction form ids: one per row of cpu/insn.def. */
enum insn_id {
#define INSN(id, mnemonic, flags) INSN_##id,
#include "cpu/insn.def"
#undef INSN
	INSN_COUNT
};

/* Per-form flags (third column of cpu/insn.def). */
enum {
	IF_BRANCH = 1u << 0,    /* may change RIP other than falling through */
	IF_ENDS_BLOCK = 1u << 1, /* may change mode, interrupt state or code */
	IF_LOCK = 1u << 2,      /* LOCK prefix allowed with a memory operand */
};

/* Handlers of one form: [width][form], width index 0..3 for 8/16/32/64-bit
 * operand size, form 0 for a register (or no) ModRM operand, 1 for memory.
 * A NULL entry is an invalid encoding (#UD), e.g. LEA with a register. */
struct insn_impl {
	insn_fn fn[4][2];
};

/* Each form's implementation, defined in its group file as impl_<id>. */
#define INSN(id, mnemonic, flags) extern const struct insn_impl impl_##id;
#include "cpu/insn.def"
#undef INSN

extern const struct insn_impl *const insn_impls[INSN_COUNT];
extern const char *const insn_mnemonics[INSN_COUNT];
extern const uint32_t insn_flags[INSN_COUNT];

/* Prefix bits recorded in insn.prefixes. */
enum {
	PFX_LOCK = 1u << 0,
	PFX_REP = 1u << 1,     /* F3 */
	PFX_REPNE = 1u << 2,   /* F2 */
	PFX_OPSIZE = 1u << 3,  /* 66 */
	PFX_ADDRSIZE = 1u << 4, /* 67 */
	PFX_SEG = 1u << 5,     /* a segment override was given */
	PFX_REX = 1u << 6,     /* a REX prefix is in effect */
	PFX_REXW = 1u << 7,
};

#define INSN_REG_NONE 0xff
/* 8-bit register numbers 16..19 are AH, CH, DH, BH (no REX prefix). */
#define INSN_REG_AH 16

struct insn {
	insn_fn fn;
	uint16_t id;         /* enum insn_id */
	uint8_t len;         /* bytes, 1..15 */
	uint8_t opsize;      /* operand size in bytes: 1, 2, 4 or 8 */
	uint8_t addrsize;    /* address size in bytes: 2, 4 or 8 */
	uint8_t prefixes;    /* PFX_* */
	uint8_t seg;         /* segment of the memory operand, after overrides */
	uint8_t mod;         /* ModRM.mod (3 = register form) */
	uint8_t reg;         /* ModRM.reg with REX.R; 8-bit: see INSN_REG_AH */
	uint8_t rm;          /* register-form ModRM.rm with REX.B, or the
				register encoded in the opcode byte */
	uint8_t base;        /* memory form: base register or INSN_REG_NONE */
	uint8_t index;       /* memory form: index register or INSN_REG_NONE */
	uint8_t scale;       /* memory form: log2 of the index scale */
	uint8_t rip_rel;     /* memory form: disp is relative to next RIP */
	uint8_t opcode;      /* last opcode byte */
	uint8_t modrm;       /* raw ModRM byte, for groups and x87 */
	int64_t disp;        /* displacement, or moffs for MOV A0-A3 */
	uint64_t imm;        /* first immediate (sign-extended where the
				form says so); far pointer offset */
	uint64_t imm2;       /* second immediate (ENTER level, far selector) */
	const char *ud_reason; /* why the encoding is invalid, for #UD */
};

#endif
