/* The opcode maps as data: what cpu/decode.c needs to know about each
 * opcode (ModRM, immediate, operand-size rule, form id per mandatory
 * prefix and ModRM case). Private to the decoder. */
#ifndef CPU_DECODE_MAPS_H
#define CPU_DECODE_MAPS_H

#include <stdint.h>

/* A node either is a form (SEL_LEAF) or picks one of its children. */
enum dec_sel {
	SEL_LEAF,
	SEL_PFX,  /* 4 children by mandatory prefix: none, 66, F3, F2 */
	SEL_REG,  /* 8 children by ModRM.reg */
	SEL_MOD,  /* 2 children: memory form, register form (mod = 3) */
	SEL_RM,   /* 8 children by ModRM.rm */
	SEL_MODE, /* 2 children: outside 64-bit mode, in 64-bit mode */
	SEL_W,    /* 2 children: REX.W clear, set */
	SEL_REXB, /* 2 children: REX.B clear, set */
};

/* Mandatory-prefix index for SEL_PFX: the last F2/F3, else 66, else
 * none (SDM Vol. 2A 2.1.2: F2/F3/66 as part of the opcode). */
enum { DEC_PFX_NONE, DEC_PFX_66, DEC_PFX_F3, DEC_PFX_F2 };

/* Immediate kinds, in encoding order after ModRM/SIB/displacement. */
enum dec_imm {
	IMM_NONE,
	IMM_B,  /* imm8, zero-extended */
	IMM_SB, /* imm8, sign-extended (Ib of EvIb arithmetic, PUSH Ib) */
	IMM_W,  /* imm16 */
	IMM_Z,  /* imm16 or imm32 by operand size, sign-extended */
	IMM_V,  /* imm16, imm32 or imm64 by operand size (MOV B8+r) */
	IMM_JB, /* rel8, sign-extended */
	IMM_JZ, /* rel16 or rel32 by operand size, sign-extended */
	IMM_O,  /* moffs of address size, into disp */
	IMM_AP, /* far pointer: offset (16/32) into imm, selector into imm2 */
	IMM_WB, /* imm16 into imm, then imm8 into imm2 (ENTER) */
	IMM_BB, /* two imm8 (AMD EXTRQ/INSERTQ) */
	IMM_D,  /* imm32 (AMD XOP map 0A) */
};

/* Operand-size rules (SDM Vol. 2A 2.2.1.2 and appendix A.2.5). */
enum dec_size {
	SZ_V,   /* 16/32/64 from the mode, 66 and REX.W */
	SZ_B,   /* 8-bit */
	SZ_Z,   /* 16 or 32 from the mode and 66; REX.W gives 32 (IN, OUT) */
	SZ_D64, /* "d64": 64-bit mode defaults to 64, 66 gives 16 */
	SZ_F64, /* "f64": 64-bit mode forces 64, 66 is ignored */
	SZ_Y,   /* 32, or 64 with REX.W in 64-bit mode; 66 ignored */
	SZ_YM,  /* 32, or 64 in 64-bit mode; prefixes ignored */
};

/* Node flags. DF_MODRM and DF_MODREG are read on the top-level node of
 * an opcode, the others on the leaf. */
enum {
	DF_MODRM = 1u << 0,  /* a ModRM byte follows the opcode */
	DF_MODREG = 1u << 1, /* mod is ignored: always the register form */
	DF_INV64 = 1u << 2,  /* #UD in 64-bit mode (reason in the leaf) */
	DF_ONLY64 = 1u << 3, /* #UD outside 64-bit mode (reason in the leaf) */
	DF_REG8 = 1u << 4,   /* ModRM.reg names an 8-bit register */
	DF_RM8 = 1u << 5,    /* ModRM.rm or the opcode register is 8-bit */
	DF_MEM = 1u << 6,    /* the ModRM operand must be memory (M) */
	DF_SREG = 1u << 7,   /* ModRM.reg names a segment register */
	DF_SREG_DST = 1u << 8, /* ...that is written (MOV to CS is #UD) */
	DF_CREG = 1u << 9,   /* ModRM.reg (with REX.R) names a control reg */
	DF_DREG = 1u << 10,  /* ModRM.reg (with REX.R) names a debug reg */
};

/* Ends every reason for an encoding this CPU model does not execute. */
#define DEC_UNSUPPORTED " is not supported by this CPU model"

struct dec_node {
	uint8_t sel;    /* enum dec_sel */
	uint8_t size;   /* leaf: enum dec_size */
	uint8_t imm;    /* leaf: enum dec_imm */
	uint16_t flags; /* DF_* */
	uint16_t id;    /* leaf: enum insn_id */
	/* leaf: for INSN_INVALID, why the encoding is #UD (NULL: a reserved
	 * opcode); for DF_INV64/DF_ONLY64, why it is #UD in that mode. */
	const char *reason;
	const struct dec_node *sub; /* children, for a selector */
};

/* The legacy maps, indexed by opcode byte (SDM Vol. 2D A.3). */
extern const struct dec_node dec_map_1byte[256];
extern const struct dec_node dec_map_0f[256];
extern const struct dec_node dec_map_0f38[256];
extern const struct dec_node dec_map_0f3a[256];

#endif
