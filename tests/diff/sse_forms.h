/* The MMX and SSE-SSE4.2 instruction forms tests/diff/sse_diff.c runs:
 * mandatory prefix, opcode map and byte, what ModRM.reg and ModRM.rm
 * name, the memory operand's size and alignment rule, the immediate, the
 * kind of values that make the form interesting and what the generator
 * must know (implicit registers, REX.W variants). One row per form and
 * operand kind; the generator picks rows uniformly. */
#ifndef TESTS_DIFF_SSE_FORMS_H
#define TESTS_DIFF_SSE_FORMS_H

#include <stdint.h>

enum { OPK_X = -1, OPK_M = -2, OPK_G = -3 };  /* reg/rm kinds; else /digit */
enum { VAL_INT, VAL_F32, VAL_F64 };
enum {
	SR = 1 << 0,         /* register r/m operand */
	SM = 1 << 1,         /* memory r/m operand */
	F_A16 = 1 << 2,      /* 16-byte memory operand must be aligned */
	F_W = 1 << 3,        /* REX.W picks a 64-bit GPR/memory operand */
	F_XMM0 = 1 << 4,     /* XMM0 is an implicit operand */
	F_ESTR = 1 << 5,     /* explicit-length string compare: rAX, rDX */
	F_MASKMOV = 1 << 6,  /* stores to DS:rDI */
	F_APPROX = 1 << 7,   /* RCP/RSQRT: compared within the SDM's error */
	F_NOMODRM = 1 << 8,  /* EMMS */
	F_BYTE = 1 << 9,     /* r/m is an 8-bit GPR (CRC32 Gy, Eb) */
	F_OPSZ = 1 << 10,    /* 66 selects a 16-bit r/m (CRC32 Gy, Ev) */
	F_CMP = 1 << 11,     /* imm8 is a CMPPS predicate */
	F_ROUND = 1 << 12,   /* imm8 is a ROUNDPS control */
};
#define RM2 (SR | SM)

struct sform {
	const char *name;
	uint8_t pfx;     /* 0x66, 0xf3, 0xf2 or 0 */
	uint8_t map;     /* 1: 0F, 2: 0F 38, 3: 0F 3A */
	uint8_t op;
	int8_t reg;      /* OPK_* or a /digit */
	int8_t rm;       /* OPK_* */
	uint8_t msize;   /* memory operand bytes (GPR forms: 32-bit size) */
	uint8_t imm;     /* 1: imm8 */
	uint8_t val;     /* VAL_* */
	uint16_t flags;  /* SR, SM, F_* */
};

/* Vx, Wx (m128 aligned) and the MMX Pq, Qq form of one opcode. */
#define XW(n, p, m, o, v) { n, p, m, o, OPK_X, OPK_X, 16, 0, v, RM2 | F_A16 }
#define XWI(n, p, m, o, v, f)                                              \
	{ n, p, m, o, OPK_X, OPK_X, 16, 1, v, RM2 | F_A16 | (f) }
#define XS(n, p, m, o, sz, v) { n, p, m, o, OPK_X, OPK_X, sz, 0, v, RM2 }
#define MQ(n, m, o) { n, 0, m, o, OPK_M, OPK_M, 8, 0, VAL_INT, RM2 }
#define MX(n, m, o) MQ(n " mm", m, o), XW(n " xmm", 0x66, m, o, VAL_INT)
/* The four FP arithmetic forms of an opcode: PS, PD, SS, SD. */
#define FP4(n, o)                                                          \
	XW(n "ps", 0, 1, o, VAL_F32), XW(n "pd", 0x66, 1, o, VAL_F64),     \
	XS(n "ss", 0xf3, 1, o, 4, VAL_F32), XS(n "sd", 0xf2, 1, o, 8, VAL_F64)
/* Shift-by-imm8 groups: /digit on an MMX or XMM register. */
#define SHI(n, o, d)                                                       \
	{ n " mm,ib", 0, 1, o, d, OPK_M, 0, 1, VAL_INT, SR },              \
	{ n " xmm,ib", 0x66, 1, o, d, OPK_X, 0, 1, VAL_INT, SR }

static const struct sform sforms[] = {
	/* Data movement */
	XS("movups", 0, 1, 0x10, 16, VAL_F32),
	XS("movups st", 0, 1, 0x11, 16, VAL_F32),
	XS("movupd", 0x66, 1, 0x10, 16, VAL_F64),
	XS("movupd st", 0x66, 1, 0x11, 16, VAL_F64),
	XS("movss", 0xf3, 1, 0x10, 4, VAL_F32),
	XS("movss st", 0xf3, 1, 0x11, 4, VAL_F32),
	XS("movsd", 0xf2, 1, 0x10, 8, VAL_F64),
	XS("movsd st", 0xf2, 1, 0x11, 8, VAL_F64),
	XW("movaps", 0, 1, 0x28, VAL_F32),
	XW("movaps st", 0, 1, 0x29, VAL_F32),
	XW("movapd", 0x66, 1, 0x28, VAL_F64),
	XW("movapd st", 0x66, 1, 0x29, VAL_F64),
	{ "movlps", 0, 1, 0x12, OPK_X, OPK_X, 8, 0, VAL_F32, SM },
	{ "movhlps", 0, 1, 0x12, OPK_X, OPK_X, 8, 0, VAL_F32, SR },
	{ "movlpd", 0x66, 1, 0x12, OPK_X, OPK_X, 8, 0, VAL_F64, SM },
	{ "movlps st", 0, 1, 0x13, OPK_X, OPK_X, 8, 0, VAL_F32, SM },
	{ "movlpd st", 0x66, 1, 0x13, OPK_X, OPK_X, 8, 0, VAL_F64, SM },
	{ "movhps", 0, 1, 0x16, OPK_X, OPK_X, 8, 0, VAL_F32, SM },
	{ "movlhps", 0, 1, 0x16, OPK_X, OPK_X, 8, 0, VAL_F32, SR },
	{ "movhpd", 0x66, 1, 0x16, OPK_X, OPK_X, 8, 0, VAL_F64, SM },
	{ "movhps st", 0, 1, 0x17, OPK_X, OPK_X, 8, 0, VAL_F32, SM },
	{ "movhpd st", 0x66, 1, 0x17, OPK_X, OPK_X, 8, 0, VAL_F64, SM },
	XW("movsldup", 0xf3, 1, 0x12, VAL_F32),
	XW("movshdup", 0xf3, 1, 0x16, VAL_F32),
	XS("movddup", 0xf2, 1, 0x12, 8, VAL_F64),
	{ "movntps", 0, 1, 0x2b, OPK_X, OPK_X, 16, 0, VAL_F32, SM | F_A16 },
	{ "movntpd", 0x66, 1, 0x2b, OPK_X, OPK_X, 16, 0, VAL_F64, SM | F_A16 },
	{ "movmskps", 0, 1, 0x50, OPK_G, OPK_X, 0, 0, VAL_F32, SR | F_W },
	{ "movmskpd", 0x66, 1, 0x50, OPK_G, OPK_X, 0, 0, VAL_F64, SR | F_W },
	{ "movd mm,Ey", 0, 1, 0x6e, OPK_M, OPK_G, 4, 0, VAL_INT, RM2 | F_W },
	{ "movd xmm,Ey", 0x66, 1, 0x6e, OPK_X, OPK_G, 4, 0, VAL_INT, RM2 | F_W },
	{ "movd Ey,mm", 0, 1, 0x7e, OPK_M, OPK_G, 4, 0, VAL_INT, RM2 | F_W },
	{ "movd Ey,xmm", 0x66, 1, 0x7e, OPK_X, OPK_G, 4, 0, VAL_INT, RM2 | F_W },
	MQ("movq mm,Qq", 1, 0x6f),
	MQ("movq Qq,mm", 1, 0x7f),
	XW("movdqa", 0x66, 1, 0x6f, VAL_INT),
	XW("movdqa st", 0x66, 1, 0x7f, VAL_INT),
	XS("movdqu", 0xf3, 1, 0x6f, 16, VAL_INT),
	XS("movdqu st", 0xf3, 1, 0x7f, 16, VAL_INT),
	XS("movq xmm,Wq", 0xf3, 1, 0x7e, 8, VAL_INT),
	XS("movq Wq,xmm", 0x66, 1, 0xd6, 8, VAL_INT),
	{ "movq2dq", 0xf3, 1, 0xd6, OPK_X, OPK_M, 0, 0, VAL_INT, SR },
	{ "movdq2q", 0xf2, 1, 0xd6, OPK_M, OPK_X, 0, 0, VAL_INT, SR },
	{ "pmovmskb mm", 0, 1, 0xd7, OPK_G, OPK_M, 0, 0, VAL_INT, SR | F_W },
	{ "pmovmskb xmm", 0x66, 1, 0xd7, OPK_G, OPK_X, 0, 0, VAL_INT, SR | F_W },
	{ "movntq", 0, 1, 0xe7, OPK_M, OPK_M, 8, 0, VAL_INT, SM },
	{ "movntdq", 0x66, 1, 0xe7, OPK_X, OPK_X, 16, 0, VAL_INT, SM | F_A16 },
	{ "movnti", 0, 1, 0xc3, OPK_G, OPK_G, 4, 0, VAL_INT, SM | F_W },
	{ "lddqu", 0xf2, 1, 0xf0, OPK_X, OPK_X, 16, 0, VAL_INT, SM },
	{ "movntdqa", 0x66, 2, 0x2a, OPK_X, OPK_X, 16, 0, VAL_INT, SM | F_A16 },
	{ "maskmovq", 0, 1, 0xf7, OPK_M, OPK_M, 0, 0, VAL_INT, SR | F_MASKMOV },
	{ "maskmovdqu", 0x66, 1, 0xf7, OPK_X, OPK_X, 0, 0, VAL_INT,
	  SR | F_MASKMOV },
	{ "emms", 0, 1, 0x77, 0, 0, 0, 0, VAL_INT, SR | F_NOMODRM },

	/* Integer arithmetic */
	MX("paddb", 1, 0xfc), MX("paddw", 1, 0xfd), MX("paddd", 1, 0xfe),
	MX("paddq", 1, 0xd4), MX("psubb", 1, 0xf8), MX("psubw", 1, 0xf9),
	MX("psubd", 1, 0xfa), MX("psubq", 1, 0xfb), MX("paddsb", 1, 0xec),
	MX("paddsw", 1, 0xed), MX("paddusb", 1, 0xdc), MX("paddusw", 1, 0xdd),
	MX("psubsb", 1, 0xe8), MX("psubsw", 1, 0xe9), MX("psubusb", 1, 0xd8),
	MX("psubusw", 1, 0xd9), MX("pmullw", 1, 0xd5), MX("pmulhw", 1, 0xe5),
	MX("pmulhuw", 1, 0xe4), MX("pmuludq", 1, 0xf4), MX("pmaddwd", 1, 0xf5),
	MX("pavgb", 1, 0xe0), MX("pavgw", 1, 0xe3), MX("pminub", 1, 0xda),
	MX("pmaxub", 1, 0xde), MX("pminsw", 1, 0xea), MX("pmaxsw", 1, 0xee),
	MX("psadbw", 1, 0xf6), MX("phaddw", 2, 0x01), MX("phaddd", 2, 0x02),
	MX("phaddsw", 2, 0x03), MX("pmaddubsw", 2, 0x04), MX("phsubw", 2, 0x05),
	MX("phsubd", 2, 0x06), MX("phsubsw", 2, 0x07), MX("psignb", 2, 0x08),
	MX("psignw", 2, 0x09), MX("psignd", 2, 0x0a), MX("pmulhrsw", 2, 0x0b),
	MX("pabsb", 2, 0x1c), MX("pabsw", 2, 0x1d), MX("pabsd", 2, 0x1e),
	XW("pmuldq", 0x66, 2, 0x28, VAL_INT), XW("pmulld", 0x66, 2, 0x40, VAL_INT),
	XW("pminsb", 0x66, 2, 0x38, VAL_INT), XW("pminsd", 0x66, 2, 0x39, VAL_INT),
	XW("pminuw", 0x66, 2, 0x3a, VAL_INT), XW("pminud", 0x66, 2, 0x3b, VAL_INT),
	XW("pmaxsb", 0x66, 2, 0x3c, VAL_INT), XW("pmaxsd", 0x66, 2, 0x3d, VAL_INT),
	XW("pmaxuw", 0x66, 2, 0x3e, VAL_INT), XW("pmaxud", 0x66, 2, 0x3f, VAL_INT),
	XW("phminposuw", 0x66, 2, 0x41, VAL_INT),
	XWI("mpsadbw", 0x66, 3, 0x42, VAL_INT, 0),

	/* Logic and compares */
	MX("pand", 1, 0xdb), MX("pandn", 1, 0xdf), MX("por", 1, 0xeb),
	MX("pxor", 1, 0xef), MX("pcmpeqb", 1, 0x74), MX("pcmpeqw", 1, 0x75),
	MX("pcmpeqd", 1, 0x76), MX("pcmpgtb", 1, 0x64), MX("pcmpgtw", 1, 0x65),
	MX("pcmpgtd", 1, 0x66),
	XW("pcmpeqq", 0x66, 2, 0x29, VAL_INT), XW("pcmpgtq", 0x66, 2, 0x37, VAL_INT),
	XW("ptest", 0x66, 2, 0x17, VAL_INT),
	XW("andps", 0, 1, 0x54, VAL_F32), XW("andpd", 0x66, 1, 0x54, VAL_F64),
	XW("andnps", 0, 1, 0x55, VAL_F32), XW("andnpd", 0x66, 1, 0x55, VAL_F64),
	XW("orps", 0, 1, 0x56, VAL_F32), XW("orpd", 0x66, 1, 0x56, VAL_F64),
	XW("xorps", 0, 1, 0x57, VAL_F32), XW("xorpd", 0x66, 1, 0x57, VAL_F64),

	/* Shifts */
	MX("psrlw", 1, 0xd1), MX("psrld", 1, 0xd2), MX("psrlq", 1, 0xd3),
	MX("psraw", 1, 0xe1), MX("psrad", 1, 0xe2), MX("psllw", 1, 0xf1),
	MX("pslld", 1, 0xf2), MX("psllq", 1, 0xf3),
	SHI("psrlw", 0x71, 2), SHI("psraw", 0x71, 4), SHI("psllw", 0x71, 6),
	SHI("psrld", 0x72, 2), SHI("psrad", 0x72, 4), SHI("pslld", 0x72, 6),
	SHI("psrlq", 0x73, 2), SHI("psllq", 0x73, 6),
	{ "psrldq", 0x66, 1, 0x73, 3, OPK_X, 0, 1, VAL_INT, SR },
	{ "pslldq", 0x66, 1, 0x73, 7, OPK_X, 0, 1, VAL_INT, SR },
	{ "palignr mm", 0, 3, 0x0f, OPK_M, OPK_M, 8, 1, VAL_INT, RM2 },
	XWI("palignr xmm", 0x66, 3, 0x0f, VAL_INT, 0),

	/* Shuffles, pack/unpack, blends, extensions */
	MX("punpcklbw", 1, 0x60), MX("punpcklwd", 1, 0x61),
	MX("punpckldq", 1, 0x62), MX("punpckhbw", 1, 0x68),
	MX("punpckhwd", 1, 0x69), MX("punpckhdq", 1, 0x6a),
	MX("packsswb", 1, 0x63), MX("packuswb", 1, 0x67), MX("packssdw", 1, 0x6b),
	MX("pshufb", 2, 0x00),
	XW("punpcklqdq", 0x66, 1, 0x6c, VAL_INT),
	XW("punpckhqdq", 0x66, 1, 0x6d, VAL_INT),
	XW("packusdw", 0x66, 2, 0x2b, VAL_INT),
	XW("unpcklps", 0, 1, 0x14, VAL_F32), XW("unpcklpd", 0x66, 1, 0x14, VAL_F64),
	XW("unpckhps", 0, 1, 0x15, VAL_F32), XW("unpckhpd", 0x66, 1, 0x15, VAL_F64),
	XWI("shufps", 0, 1, 0xc6, VAL_F32, 0), XWI("shufpd", 0x66, 1, 0xc6, VAL_F64, 0),
	{ "pshufw", 0, 1, 0x70, OPK_M, OPK_M, 8, 1, VAL_INT, RM2 },
	XWI("pshufd", 0x66, 1, 0x70, VAL_INT, 0),
	XWI("pshufhw", 0xf3, 1, 0x70, VAL_INT, 0),
	XWI("pshuflw", 0xf2, 1, 0x70, VAL_INT, 0),
	{ "pblendvb", 0x66, 2, 0x10, OPK_X, OPK_X, 16, 0, VAL_INT,
	  RM2 | F_A16 | F_XMM0 },
	{ "blendvps", 0x66, 2, 0x14, OPK_X, OPK_X, 16, 0, VAL_F32,
	  RM2 | F_A16 | F_XMM0 },
	{ "blendvpd", 0x66, 2, 0x15, OPK_X, OPK_X, 16, 0, VAL_F64,
	  RM2 | F_A16 | F_XMM0 },
	XWI("blendps", 0x66, 3, 0x0c, VAL_F32, 0),
	XWI("blendpd", 0x66, 3, 0x0d, VAL_F64, 0),
	XWI("pblendw", 0x66, 3, 0x0e, VAL_INT, 0),
	XS("pmovsxbw", 0x66, 2, 0x20, 8, VAL_INT),
	XS("pmovsxbd", 0x66, 2, 0x21, 4, VAL_INT),
	XS("pmovsxbq", 0x66, 2, 0x22, 2, VAL_INT),
	XS("pmovsxwd", 0x66, 2, 0x23, 8, VAL_INT),
	XS("pmovsxwq", 0x66, 2, 0x24, 4, VAL_INT),
	XS("pmovsxdq", 0x66, 2, 0x25, 8, VAL_INT),
	XS("pmovzxbw", 0x66, 2, 0x30, 8, VAL_INT),
	XS("pmovzxbd", 0x66, 2, 0x31, 4, VAL_INT),
	XS("pmovzxbq", 0x66, 2, 0x32, 2, VAL_INT),
	XS("pmovzxwd", 0x66, 2, 0x33, 8, VAL_INT),
	XS("pmovzxwq", 0x66, 2, 0x34, 4, VAL_INT),
	XS("pmovzxdq", 0x66, 2, 0x35, 8, VAL_INT),

	/* Insert and extract */
	{ "pinsrw mm", 0, 1, 0xc4, OPK_M, OPK_G, 2, 1, VAL_INT, RM2 | F_W },
	{ "pinsrw xmm", 0x66, 1, 0xc4, OPK_X, OPK_G, 2, 1, VAL_INT, RM2 | F_W },
	{ "pextrw Gd,mm", 0, 1, 0xc5, OPK_G, OPK_M, 0, 1, VAL_INT, SR | F_W },
	{ "pextrw Gd,xmm", 0x66, 1, 0xc5, OPK_G, OPK_X, 0, 1, VAL_INT, SR | F_W },
	{ "pextrb", 0x66, 3, 0x14, OPK_X, OPK_G, 1, 1, VAL_INT, RM2 | F_W },
	{ "pextrw Ew", 0x66, 3, 0x15, OPK_X, OPK_G, 2, 1, VAL_INT, RM2 | F_W },
	{ "pextrd/q", 0x66, 3, 0x16, OPK_X, OPK_G, 4, 1, VAL_INT, RM2 | F_W },
	{ "extractps", 0x66, 3, 0x17, OPK_X, OPK_G, 4, 1, VAL_F32, RM2 | F_W },
	{ "pinsrb", 0x66, 3, 0x20, OPK_X, OPK_G, 1, 1, VAL_INT, RM2 | F_W },
	{ "pinsrd/q", 0x66, 3, 0x22, OPK_X, OPK_G, 4, 1, VAL_INT, RM2 | F_W },
	{ "insertps", 0x66, 3, 0x21, OPK_X, OPK_X, 4, 1, VAL_F32, RM2 },

	/* Floating-point arithmetic */
	FP4("add", 0x58), FP4("mul", 0x59), FP4("sub", 0x5c), FP4("min", 0x5d),
	FP4("div", 0x5e), FP4("max", 0x5f), FP4("sqrt", 0x51),
	{ "rsqrtps", 0, 1, 0x52, OPK_X, OPK_X, 16, 0, VAL_F32,
	  RM2 | F_A16 | F_APPROX },
	{ "rsqrtss", 0xf3, 1, 0x52, OPK_X, OPK_X, 4, 0, VAL_F32, RM2 | F_APPROX },
	{ "rcpps", 0, 1, 0x53, OPK_X, OPK_X, 16, 0, VAL_F32,
	  RM2 | F_A16 | F_APPROX },
	{ "rcpss", 0xf3, 1, 0x53, OPK_X, OPK_X, 4, 0, VAL_F32, RM2 | F_APPROX },
	XW("haddps", 0xf2, 1, 0x7c, VAL_F32), XW("haddpd", 0x66, 1, 0x7c, VAL_F64),
	XW("hsubps", 0xf2, 1, 0x7d, VAL_F32), XW("hsubpd", 0x66, 1, 0x7d, VAL_F64),
	XW("addsubps", 0xf2, 1, 0xd0, VAL_F32),
	XW("addsubpd", 0x66, 1, 0xd0, VAL_F64),
	XWI("dpps", 0x66, 3, 0x40, VAL_F32, 0),
	XWI("dppd", 0x66, 3, 0x41, VAL_F64, 0),
	XWI("roundps", 0x66, 3, 0x08, VAL_F32, F_ROUND),
	XWI("roundpd", 0x66, 3, 0x09, VAL_F64, F_ROUND),
	{ "roundss", 0x66, 3, 0x0a, OPK_X, OPK_X, 4, 1, VAL_F32, RM2 | F_ROUND },
	{ "roundsd", 0x66, 3, 0x0b, OPK_X, OPK_X, 8, 1, VAL_F64, RM2 | F_ROUND },

	/* Floating-point compares and conversions */
	XWI("cmpps", 0, 1, 0xc2, VAL_F32, F_CMP),
	XWI("cmppd", 0x66, 1, 0xc2, VAL_F64, F_CMP),
	{ "cmpss", 0xf3, 1, 0xc2, OPK_X, OPK_X, 4, 1, VAL_F32, RM2 | F_CMP },
	{ "cmpsd", 0xf2, 1, 0xc2, OPK_X, OPK_X, 8, 1, VAL_F64, RM2 | F_CMP },
	XS("ucomiss", 0, 1, 0x2e, 4, VAL_F32), XS("ucomisd", 0x66, 1, 0x2e, 8, VAL_F64),
	XS("comiss", 0, 1, 0x2f, 4, VAL_F32), XS("comisd", 0x66, 1, 0x2f, 8, VAL_F64),
	{ "cvtpi2ps", 0, 1, 0x2a, OPK_X, OPK_M, 8, 0, VAL_INT, RM2 },
	{ "cvtpi2pd", 0x66, 1, 0x2a, OPK_X, OPK_M, 8, 0, VAL_INT, RM2 },
	{ "cvtsi2ss", 0xf3, 1, 0x2a, OPK_X, OPK_G, 4, 0, VAL_INT, RM2 | F_W },
	{ "cvtsi2sd", 0xf2, 1, 0x2a, OPK_X, OPK_G, 4, 0, VAL_INT, RM2 | F_W },
	{ "cvttps2pi", 0, 1, 0x2c, OPK_M, OPK_X, 8, 0, VAL_F32, RM2 },
	{ "cvttpd2pi", 0x66, 1, 0x2c, OPK_M, OPK_X, 16, 0, VAL_F64, RM2 | F_A16 },
	{ "cvttss2si", 0xf3, 1, 0x2c, OPK_G, OPK_X, 4, 0, VAL_F32, RM2 | F_W },
	{ "cvttsd2si", 0xf2, 1, 0x2c, OPK_G, OPK_X, 8, 0, VAL_F64, RM2 | F_W },
	{ "cvtps2pi", 0, 1, 0x2d, OPK_M, OPK_X, 8, 0, VAL_F32, RM2 },
	{ "cvtpd2pi", 0x66, 1, 0x2d, OPK_M, OPK_X, 16, 0, VAL_F64, RM2 | F_A16 },
	{ "cvtss2si", 0xf3, 1, 0x2d, OPK_G, OPK_X, 4, 0, VAL_F32, RM2 | F_W },
	{ "cvtsd2si", 0xf2, 1, 0x2d, OPK_G, OPK_X, 8, 0, VAL_F64, RM2 | F_W },
	XS("cvtps2pd", 0, 1, 0x5a, 8, VAL_F32),
	XW("cvtpd2ps", 0x66, 1, 0x5a, VAL_F64),
	XS("cvtss2sd", 0xf3, 1, 0x5a, 4, VAL_F32),
	XS("cvtsd2ss", 0xf2, 1, 0x5a, 8, VAL_F64),
	XW("cvtdq2ps", 0, 1, 0x5b, VAL_INT),
	XW("cvtps2dq", 0x66, 1, 0x5b, VAL_F32),
	XW("cvttps2dq", 0xf3, 1, 0x5b, VAL_F32),
	XW("cvttpd2dq", 0x66, 1, 0xe6, VAL_F64),
	XS("cvtdq2pd", 0xf3, 1, 0xe6, 8, VAL_INT),
	XW("cvtpd2dq", 0xf2, 1, 0xe6, VAL_F64),

	/* SSE4.2 */
	{ "pcmpestrm", 0x66, 3, 0x60, OPK_X, OPK_X, 16, 1, VAL_INT,
	  RM2 | F_ESTR | F_W },
	{ "pcmpestri", 0x66, 3, 0x61, OPK_X, OPK_X, 16, 1, VAL_INT,
	  RM2 | F_ESTR | F_W },
	{ "pcmpistrm", 0x66, 3, 0x62, OPK_X, OPK_X, 16, 1, VAL_INT, RM2 },
	{ "pcmpistri", 0x66, 3, 0x63, OPK_X, OPK_X, 16, 1, VAL_INT, RM2 },
	{ "crc32 Gy,Eb", 0xf2, 2, 0xf0, OPK_G, OPK_G, 1, 0, VAL_INT,
	  RM2 | F_W | F_BYTE },
	{ "crc32 Gy,Ev", 0xf2, 2, 0xf1, OPK_G, OPK_G, 4, 0, VAL_INT,
	  RM2 | F_W | F_OPSZ },
};

#endif
