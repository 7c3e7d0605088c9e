/* The instruction forms tests/diff/alu_diff.c runs: opcode bytes, how
 * operands are encoded, the widths and operand kinds allowed, and what
 * the case generator must know (implicit registers, value biases). One
 * row per form; the generator picks rows uniformly. */
#ifndef TESTS_DIFF_ALU_FORMS_H
#define TESTS_DIFF_ALU_FORMS_H

#include <stdint.h>

enum { W8 = 1, W16 = 2, W32 = 4, W64 = 8, WV = 14, WDQ = 12, WQW = 10 };
enum { ENC_G = -1, ENC_NONE = -2, ENC_Z = -3 };  /* else a /digit */
enum { I_NONE, I_B, I_W, I_Z, I_V, I_WB };
enum {
	K_R = 1 << 0,       /* register ModRM operand */
	K_M = 1 << 1,       /* memory ModRM operand */
	K_DIV = 1 << 2,     /* keep the dividend small mostly */
	K_CNT = 1 << 3,     /* small shift counts in CL / imm8 */
	K_BTMEM = 1 << 4,   /* G is a signed bit offset into memory */
	K_STR = 1 << 5,     /* string instruction: REP, 67, DF */
	K_XLAT = 1 << 6,
	K_STACK = 1 << 7,   /* rSP (and rBP) point into the scratch stack */
	K_BR = 1 << 8,      /* a branch over the taken marker */
	K_32 = 1 << 9,      /* legacy-only: run in a 32-bit code segment */
	K_MOFFS = 1 << 10,
	K_A16 = 1 << 11,    /* 16-byte aligned memory operand mostly */
	K_LOOP = 1 << 12,   /* small rCX */
	K_DF = 1 << 13,     /* DF is an input */
};
#define RM (K_R | K_M)
#define IMP(r) (1u << (r))

struct form {
	const char *name;
	uint8_t pfx;        /* mandatory prefix (F3/F2/66) or 0 */
	uint8_t op[3];
	uint8_t nop;
	int8_t enc;
	uint8_t widths;
	uint8_t imm;
	uint16_t kind;
	uint16_t imp;       /* implicit registers: never memory base/index */
};

#define ALU(n, b, d)                                                       \
	{ n " Eb,Gb", 0, { b }, 1, ENC_G, W8, I_NONE, RM, 0 },             \
	{ n " Ev,Gv", 0, { b + 1 }, 1, ENC_G, WV, I_NONE, RM, 0 },         \
	{ n " Gb,Eb", 0, { b + 2 }, 1, ENC_G, W8, I_NONE, RM, 0 },         \
	{ n " Gv,Ev", 0, { b + 3 }, 1, ENC_G, WV, I_NONE, RM, 0 },         \
	{ n " AL,Ib", 0, { b + 4 }, 1, ENC_NONE, W8, I_B, 0, 0 },          \
	{ n " rAX,Iz", 0, { b + 5 }, 1, ENC_NONE, WV, I_Z, 0, 0 },         \
	{ n " Eb,Ib", 0, { 0x80 }, 1, d, W8, I_B, RM, 0 },                 \
	{ n " Ev,Iz", 0, { 0x81 }, 1, d, WV, I_Z, RM, 0 },                 \
	{ n " Ev,Ib", 0, { 0x83 }, 1, d, WV, I_B, RM, 0 }
#define SHIFT(n, d)                                                        \
	{ n " Eb,1", 0, { 0xd0 }, 1, d, W8, I_NONE, RM, 0 },               \
	{ n " Ev,1", 0, { 0xd1 }, 1, d, WV, I_NONE, RM, 0 },               \
	{ n " Eb,CL", 0, { 0xd2 }, 1, d, W8, I_NONE, RM | K_CNT, IMP(1) }, \
	{ n " Ev,CL", 0, { 0xd3 }, 1, d, WV, I_NONE, RM | K_CNT, IMP(1) }, \
	{ n " Eb,Ib", 0, { 0xc0 }, 1, d, W8, I_B, RM | K_CNT, 0 },         \
	{ n " Ev,Ib", 0, { 0xc1 }, 1, d, WV, I_B, RM | K_CNT, 0 }
#define MULDIV(n, d, k)                                                    \
	{ n " Eb", 0, { 0xf6 }, 1, d, W8, I_NONE, RM | k, IMP(0) | IMP(2) }, \
	{ n " Ev", 0, { 0xf7 }, 1, d, WV, I_NONE, RM | k, IMP(0) | IMP(2) }
#define STR(n, b, k, imp)                                                  \
	{ n "b", 0, { b }, 1, ENC_NONE, W8, I_NONE, K_STR | K_DF | k, imp }, \
	{ n, 0, { b + 1 }, 1, ENC_NONE, WV, I_NONE, K_STR | K_DF | k, imp }
#define SI_DI_CX (IMP(1) | IMP(6) | IMP(7))

static const struct form forms[] = {
	ALU("add", 0x00, 0), ALU("or", 0x08, 1), ALU("adc", 0x10, 2),
	ALU("sbb", 0x18, 3), ALU("and", 0x20, 4), ALU("sub", 0x28, 5),
	ALU("xor", 0x30, 6), ALU("cmp", 0x38, 7),
	{ "inc Eb", 0, { 0xfe }, 1, 0, W8, I_NONE, RM, 0 },
	{ "dec Eb", 0, { 0xfe }, 1, 1, W8, I_NONE, RM, 0 },
	{ "inc Ev", 0, { 0xff }, 1, 0, WV, I_NONE, RM, 0 },
	{ "dec Ev", 0, { 0xff }, 1, 1, WV, I_NONE, RM, 0 },
	{ "not Eb", 0, { 0xf6 }, 1, 2, W8, I_NONE, RM, 0 },
	{ "neg Eb", 0, { 0xf6 }, 1, 3, W8, I_NONE, RM, 0 },
	{ "not Ev", 0, { 0xf7 }, 1, 2, WV, I_NONE, RM, 0 },
	{ "neg Ev", 0, { 0xf7 }, 1, 3, WV, I_NONE, RM, 0 },
	{ "test Eb,Gb", 0, { 0x84 }, 1, ENC_G, W8, I_NONE, RM, 0 },
	{ "test Ev,Gv", 0, { 0x85 }, 1, ENC_G, WV, I_NONE, RM, 0 },
	{ "test AL,Ib", 0, { 0xa8 }, 1, ENC_NONE, W8, I_B, 0, 0 },
	{ "test rAX,Iz", 0, { 0xa9 }, 1, ENC_NONE, WV, I_Z, 0, 0 },
	{ "test Eb,Ib", 0, { 0xf6 }, 1, 0, W8, I_B, RM, 0 },
	{ "test Ev,Iz", 0, { 0xf7 }, 1, 0, WV, I_Z, RM, 0 },

	MULDIV("mul", 4, 0), MULDIV("imul", 5, 0),
	MULDIV("div", 6, K_DIV), MULDIV("idiv", 7, K_DIV),
	{ "imul Gv,Ev", 0, { 0x0f, 0xaf }, 2, ENC_G, WV, I_NONE, RM, 0 },
	{ "imul Gv,Ev,Iz", 0, { 0x69 }, 1, ENC_G, WV, I_Z, RM, 0 },
	{ "imul Gv,Ev,Ib", 0, { 0x6b }, 1, ENC_G, WV, I_B, RM, 0 },

	SHIFT("rol", 0), SHIFT("ror", 1), SHIFT("rcl", 2), SHIFT("rcr", 3),
	SHIFT("shl", 4), SHIFT("shr", 5), SHIFT("sal", 6), SHIFT("sar", 7),
	{ "shld Ev,Gv,Ib", 0, { 0x0f, 0xa4 }, 2, ENC_G, WV, I_B, RM | K_CNT, 0 },
	{ "shld Ev,Gv,CL", 0, { 0x0f, 0xa5 }, 2, ENC_G, WV, I_NONE,
	  RM | K_CNT, IMP(1) },
	{ "shrd Ev,Gv,Ib", 0, { 0x0f, 0xac }, 2, ENC_G, WV, I_B, RM | K_CNT, 0 },
	{ "shrd Ev,Gv,CL", 0, { 0x0f, 0xad }, 2, ENC_G, WV, I_NONE,
	  RM | K_CNT, IMP(1) },

	{ "bt Ev,Gv", 0, { 0x0f, 0xa3 }, 2, ENC_G, WV, I_NONE, RM | K_BTMEM, 0 },
	{ "bts Ev,Gv", 0, { 0x0f, 0xab }, 2, ENC_G, WV, I_NONE, RM | K_BTMEM, 0 },
	{ "btr Ev,Gv", 0, { 0x0f, 0xb3 }, 2, ENC_G, WV, I_NONE, RM | K_BTMEM, 0 },
	{ "btc Ev,Gv", 0, { 0x0f, 0xbb }, 2, ENC_G, WV, I_NONE, RM | K_BTMEM, 0 },
	{ "bt Ev,Ib", 0, { 0x0f, 0xba }, 2, 4, WV, I_B, RM, 0 },
	{ "bts Ev,Ib", 0, { 0x0f, 0xba }, 2, 5, WV, I_B, RM, 0 },
	{ "btr Ev,Ib", 0, { 0x0f, 0xba }, 2, 6, WV, I_B, RM, 0 },
	{ "btc Ev,Ib", 0, { 0x0f, 0xba }, 2, 7, WV, I_B, RM, 0 },
	{ "bsf Gv,Ev", 0, { 0x0f, 0xbc }, 2, ENC_G, WV, I_NONE, RM, 0 },
	{ "bsr Gv,Ev", 0, { 0x0f, 0xbd }, 2, ENC_G, WV, I_NONE, RM, 0 },
	{ "tzcnt Gv,Ev", 0xf3, { 0x0f, 0xbc }, 2, ENC_G, WV, I_NONE, RM, 0 },
	{ "lzcnt Gv,Ev", 0xf3, { 0x0f, 0xbd }, 2, ENC_G, WV, I_NONE, RM, 0 },
	{ "popcnt Gv,Ev", 0xf3, { 0x0f, 0xb8 }, 2, ENC_G, WV, I_NONE, RM, 0 },

	{ "mov Eb,Gb", 0, { 0x88 }, 1, ENC_G, W8, I_NONE, RM, 0 },
	{ "mov Ev,Gv", 0, { 0x89 }, 1, ENC_G, WV, I_NONE, RM, 0 },
	{ "mov Gb,Eb", 0, { 0x8a }, 1, ENC_G, W8, I_NONE, RM, 0 },
	{ "mov Gv,Ev", 0, { 0x8b }, 1, ENC_G, WV, I_NONE, RM, 0 },
	{ "mov AL,Ob", 0, { 0xa0 }, 1, ENC_NONE, W8, I_NONE, K_MOFFS, 0 },
	{ "mov rAX,Ov", 0, { 0xa1 }, 1, ENC_NONE, WV, I_NONE, K_MOFFS, 0 },
	{ "mov Ob,AL", 0, { 0xa2 }, 1, ENC_NONE, W8, I_NONE, K_MOFFS, 0 },
	{ "mov Ov,rAX", 0, { 0xa3 }, 1, ENC_NONE, WV, I_NONE, K_MOFFS, 0 },
	{ "mov Zb,Ib", 0, { 0xb0 }, 1, ENC_Z, W8, I_B, 0, 0 },
	{ "mov Zv,Iv", 0, { 0xb8 }, 1, ENC_Z, WV, I_V, 0, 0 },
	{ "mov Eb,Ib", 0, { 0xc6 }, 1, 0, W8, I_B, RM, 0 },
	{ "mov Ev,Iz", 0, { 0xc7 }, 1, 0, WV, I_Z, RM, 0 },
	{ "movzx Gv,Eb", 0, { 0x0f, 0xb6 }, 2, ENC_G, WV, I_NONE, RM, 0 },
	{ "movzx Gv,Ew", 0, { 0x0f, 0xb7 }, 2, ENC_G, WV, I_NONE, RM, 0 },
	{ "movsx Gv,Eb", 0, { 0x0f, 0xbe }, 2, ENC_G, WV, I_NONE, RM, 0 },
	{ "movsx Gv,Ew", 0, { 0x0f, 0xbf }, 2, ENC_G, WV, I_NONE, RM, 0 },
	{ "movsxd Gv,Ed", 0, { 0x63 }, 1, ENC_G, WV, I_NONE, RM, 0 },
	{ "lea Gv,M", 0, { 0x8d }, 1, ENC_G, WV, I_NONE, K_M, 0 },
	{ "xchg Eb,Gb", 0, { 0x86 }, 1, ENC_G, W8, I_NONE, RM, 0 },
	{ "xchg Ev,Gv", 0, { 0x87 }, 1, ENC_G, WV, I_NONE, RM, 0 },
	{ "xchg Zv,rAX", 0, { 0x90 }, 1, ENC_Z, WV, I_NONE, 0, 0 },
	{ "nop", 0, { 0x90 }, 1, ENC_NONE, W32, I_NONE, 0, 0 },
	{ "pause", 0xf3, { 0x90 }, 1, ENC_NONE, W32, I_NONE, 0, 0 },
	{ "nop Ev", 0, { 0x0f, 0x1f }, 2, 0, WV, I_NONE, RM, 0 },
	{ "cbw/cwde/cdqe", 0, { 0x98 }, 1, ENC_NONE, WV, I_NONE, 0, 0 },
	{ "cwd/cdq/cqo", 0, { 0x99 }, 1, ENC_NONE, WV, I_NONE, 0, 0 },
	{ "cmovcc Gv,Ev", 0, { 0x0f, 0x40 }, 2, ENC_G, WV, I_NONE, RM, 0 },
	{ "setcc Eb", 0, { 0x0f, 0x90 }, 2, 0, W8, I_NONE, RM, 0 },
	{ "bswap Zv", 0, { 0x0f, 0xc8 }, 2, ENC_Z, WV, I_NONE, 0, 0 },
	{ "movbe Gv,Mv", 0, { 0x0f, 0x38, 0xf0 }, 3, ENC_G, WV, I_NONE, K_M, 0 },
	{ "movbe Mv,Gv", 0, { 0x0f, 0x38, 0xf1 }, 3, ENC_G, WV, I_NONE, K_M, 0 },
	{ "cmpxchg Eb,Gb", 0, { 0x0f, 0xb0 }, 2, ENC_G, W8, I_NONE, RM, IMP(0) },
	{ "cmpxchg Ev,Gv", 0, { 0x0f, 0xb1 }, 2, ENC_G, WV, I_NONE, RM, IMP(0) },
	{ "cmpxchg8b Mq", 0, { 0x0f, 0xc7 }, 2, 1, W32, I_NONE, K_M,
	  IMP(0) | IMP(1) | IMP(2) | IMP(3) },
	{ "cmpxchg16b Mdq", 0, { 0x0f, 0xc7 }, 2, 1, W64, I_NONE, K_M | K_A16,
	  IMP(0) | IMP(1) | IMP(2) | IMP(3) },
	{ "xadd Eb,Gb", 0, { 0x0f, 0xc0 }, 2, ENC_G, W8, I_NONE, RM, 0 },
	{ "xadd Ev,Gv", 0, { 0x0f, 0xc1 }, 2, ENC_G, WV, I_NONE, RM, 0 },
	{ "lahf", 0, { 0x9f }, 1, ENC_NONE, W32, I_NONE, 0, 0 },
	{ "sahf", 0, { 0x9e }, 1, ENC_NONE, W32, I_NONE, 0, 0 },
	{ "clc", 0, { 0xf8 }, 1, ENC_NONE, W32, I_NONE, 0, 0 },
	{ "stc", 0, { 0xf9 }, 1, ENC_NONE, W32, I_NONE, 0, 0 },
	{ "cmc", 0, { 0xf5 }, 1, ENC_NONE, W32, I_NONE, 0, 0 },
	{ "cld", 0, { 0xfc }, 1, ENC_NONE, W32, I_NONE, K_DF, 0 },
	{ "std", 0, { 0xfd }, 1, ENC_NONE, W32, I_NONE, K_DF, 0 },
	{ "xlat", 0, { 0xd7 }, 1, ENC_NONE, W32, I_NONE, K_XLAT, 0 },
	{ "lfence", 0, { 0x0f, 0xae, 0xe8 }, 3, ENC_NONE, W32, I_NONE, 0, 0 },
	{ "mfence", 0, { 0x0f, 0xae, 0xf0 }, 3, ENC_NONE, W32, I_NONE, 0, 0 },
	{ "sfence", 0, { 0x0f, 0xae, 0xf8 }, 3, ENC_NONE, W32, I_NONE, 0, 0 },
	{ "clflush Mb", 0, { 0x0f, 0xae }, 2, 7, W32, I_NONE, K_M, 0 },
	{ "clflushopt Mb", 0x66, { 0x0f, 0xae }, 2, 7, W32, I_NONE, K_M, 0 },
	{ "prefetcht0 Mb", 0, { 0x0f, 0x18 }, 2, 1, W32, I_NONE, K_M, 0 },

	STR("movs", 0xa4, 0, SI_DI_CX), STR("cmps", 0xa6, 0, SI_DI_CX),
	STR("stos", 0xaa, 0, SI_DI_CX | IMP(0)),
	STR("lods", 0xac, 0, SI_DI_CX | IMP(0)),
	STR("scas", 0xae, 0, SI_DI_CX | IMP(0)),

	{ "push Zv", 0, { 0x50 }, 1, ENC_Z, WQW, I_NONE, K_STACK, 0 },
	{ "pop Zv", 0, { 0x58 }, 1, ENC_Z, WQW, I_NONE, K_STACK, 0 },
	{ "push Ev", 0, { 0xff }, 1, 6, WQW, I_NONE, RM | K_STACK, 0 },
	{ "pop Ev", 0, { 0x8f }, 1, 0, WQW, I_NONE, RM | K_STACK, 0 },
	{ "push Iz", 0, { 0x68 }, 1, ENC_NONE, WQW, I_Z, K_STACK, 0 },
	{ "push Ib", 0, { 0x6a }, 1, ENC_NONE, WQW, I_B, K_STACK, 0 },
	{ "enter Iw,Ib", 0, { 0xc8 }, 1, ENC_NONE, WQW, I_WB, K_STACK, 0 },
	{ "leave", 0, { 0xc9 }, 1, ENC_NONE, WQW, I_NONE, K_STACK, 0 },

	{ "jcc Jb", 0, { 0x70 }, 1, ENC_NONE, W64, I_NONE, K_BR, 0 },
	{ "jcc Jz", 0, { 0x0f, 0x80 }, 2, ENC_NONE, W64, I_NONE, K_BR, 0 },
	{ "jmp Jb", 0, { 0xeb }, 1, ENC_NONE, W64, I_NONE, K_BR, 0 },
	{ "loopne Jb", 0, { 0xe0 }, 1, ENC_NONE, W64, I_NONE, K_BR | K_LOOP, 0 },
	{ "loope Jb", 0, { 0xe1 }, 1, ENC_NONE, W64, I_NONE, K_BR | K_LOOP, 0 },
	{ "loop Jb", 0, { 0xe2 }, 1, ENC_NONE, W64, I_NONE, K_BR | K_LOOP, 0 },
	{ "jrcxz Jb", 0, { 0xe3 }, 1, ENC_NONE, W64, I_NONE, K_BR | K_LOOP, 0 },

	{ "daa", 0, { 0x27 }, 1, ENC_NONE, W32, I_NONE, K_32, 0 },
	{ "das", 0, { 0x2f }, 1, ENC_NONE, W32, I_NONE, K_32, 0 },
	{ "aaa", 0, { 0x37 }, 1, ENC_NONE, W32, I_NONE, K_32, 0 },
	{ "aas", 0, { 0x3f }, 1, ENC_NONE, W32, I_NONE, K_32, 0 },
	{ "aam Ib", 0, { 0xd4 }, 1, ENC_NONE, W32, I_B, K_32, 0 },
	{ "aad Ib", 0, { 0xd5 }, 1, ENC_NONE, W32, I_B, K_32, 0 },
	{ "salc", 0, { 0xd6 }, 1, ENC_NONE, W32, I_NONE, K_32, 0 },
};
#endif
