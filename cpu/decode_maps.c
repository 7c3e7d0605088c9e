/* The legacy opcode maps (SDM Vol. 2D appendix A.3 and the group table
 * A-6), one row per opcode: its form id per mandatory prefix and ModRM
 * case, its immediate, operand-size rule and flags. Encodings this CPU
 * model does not execute decode to their full length with a reason.
 * An all-zero entry is a reserved opcode without ModRM.
 * Deliberate choices (Intel behaviour, or Zydis where the SDM is silent
 * on lengths) are noted at their rows. */
#include "cpu/decode_maps.h"

#include "cpu/insn.h"

/* Leaves. L: a form inside a selector; N/M: a whole opcode without/with
 * ModRM. */
#define L(id_, sz, im, fl)                                                 \
	{ .sel = SEL_LEAF, .id = INSN_##id_, .size = SZ_##sz,              \
	  .imm = IMM_##im, .flags = (fl) }
#define N(id_, sz, im) L(id_, sz, im, 0)
#define M(id_, sz, im, fl) L(id_, sz, im, DF_MODRM | (fl))
/* A form that is #UD in 64-bit mode, or outside it. */
#define L_INV64(id_, sz, im, fl, what)                                     \
	{ .sel = SEL_LEAF, .id = INSN_##id_, .size = SZ_##sz,              \
	  .imm = IMM_##im, .flags = DF_INV64 | (fl),                       \
	  .reason = what " is not valid in 64-bit mode" }
#define N_INV64(id_, sz, im, what) L_INV64(id_, sz, im, 0, what)
#define L_ONLY64(id_, sz, im, fl, what)                                    \
	{ .sel = SEL_LEAF, .id = INSN_##id_, .size = SZ_##sz,              \
	  .imm = IMM_##im, .flags = DF_ONLY64 | (fl),                      \
	  .reason = what " is only valid in 64-bit mode" }
/* Reserved encodings, and ones this CPU model does not execute. */
#define RSVD { .sel = SEL_LEAF }
#define NS_I(text, im) { .sel = SEL_LEAF, .id = INSN_INVALID, .imm = IMM_##im, \
			 .reason = text }
#define NS(text) NS_I(text, NONE)
#define NOT_IN_MODEL DEC_UNSUPPORTED
#define NSUP(what, ext) NS(what ": " ext NOT_IN_MODEL)
#define VMX(what) NS(what ": VMX instructions are not implemented yet")
#define NOT_IMPL(what) NS(what " is not implemented")

/* Selectors; the G/P/D forms (a whole opcode) also have a ModRM byte. */
#define SUB(n, ...) .sub = (const struct dec_node[n]){ __VA_ARGS__ }
#define PFX(a, b, c, d) { .sel = SEL_PFX, SUB(4, a, b, c, d) }
#define REG(...) { .sel = SEL_REG, SUB(8, __VA_ARGS__) }
#define MOD(mem, reg) { .sel = SEL_MOD, SUB(2, mem, reg) }
#define RM(...) { .sel = SEL_RM, SUB(8, __VA_ARGS__) }
#define MODE(legacy, long64) { .sel = SEL_MODE, SUB(2, legacy, long64) }
#define REXW(w0, w1) { .sel = SEL_W, SUB(2, w0, w1) }
#define REXB(b0, b1) { .sel = SEL_REXB, SUB(2, b0, b1) }
#define G(...) { .sel = SEL_REG, .flags = DF_MODRM, SUB(8, __VA_ARGS__) }
#define P(a, b, c, d) { .sel = SEL_PFX, .flags = DF_MODRM, SUB(4, a, b, c, d) }
#define D(mem, reg) { .sel = SEL_MOD, .flags = DF_MODRM, SUB(2, mem, reg) }
/* "No prefix" (NP) forms: 66, F2 and F3 make them #UD (SDM Vol. 2A
 * 3.1.1.1). */
#define NP(...) { .sel = SEL_PFX, SUB(4, __VA_ARGS__, RSVD, RSVD, RSVD) }

#define R8 (DF_REG8 | DF_RM8)

/* SSE-style rows: the extension for no prefix, 66, F3, F2. */
#define X_NONE(enc, im) { .sel = SEL_LEAF, .imm = IMM_##im }
#define X_EXT(ext, enc, im) NS_I(ext " (" enc ")" NOT_IN_MODEL, im)
#define X_SSE4A(enc, im) X_EXT("AMD SSE4a", enc, im)
#define X_AES(enc, im) X_EXT("AES-NI", enc, im)
#define X_CLMUL(enc, im) X_EXT("PCLMULQDQ", enc, im)
#define X_SHA(enc, im) X_EXT("SHA", enc, im)
#define X_GFNI(enc, im) X_EXT("GFNI", enc, im)
#define X_ADX(enc, im) X_EXT("ADX", enc, im)
#define X_CET(enc, im) X_EXT("CET", enc, im)
#define X_KL(enc, im) X_EXT("Key Locker", enc, im)
#define X_MOVDIR(enc, im) X_EXT("MOVDIRI/MOVDIR64B", enc, im)
#define X_ENQCMD(enc, im) X_EXT("ENQCMD", enc, im)
#define X_ROWS(map, op, im, a, b, c, d)                                    \
	[0x##op] = P(X_##a(map #op, im), X_##b("66 " map #op, im),        \
		     X_##c("F3 " map #op, im), X_##d("F2 " map #op, im))
#define SSE(op, a, b, c, d) X_ROWS("0F ", op, NONE, a, b, c, d)
#define SSEI(op, a, b, c, d) X_ROWS("0F ", op, B, a, b, c, d)
#define S38(op, a, b, c, d) X_ROWS("0F 38 ", op, NONE, a, b, c, d)
#define S3A(op, a, b, c, d) X_ROWS("0F 3A ", op, B, a, b, c, d)

/* MMX and SSE forms (cpu/sse_*.c). Size rule Y: REX.W selects the
 * 64-bit forms (MOVD/MOVQ with a GPR, CVTSI2SD, PEXTRQ...); the others
 * ignore it and have the same handler in both rows. An operand that must
 * be memory (M) or a register (U, N) leaves the other column of the
 * form's handlers empty, so that the decoder names the #UD. */
#define XV(id_) L(id_, Y, NONE, 0)
#define XI(id_) L(id_, Y, B, 0)
#define XRSVD_I { .sel = SEL_LEAF, .imm = IMM_B }
/* Groups 12-14 (0F 71-73): shifts by imm8 of an MMX register (no prefix)
 * or an XMM register (66), by ModRM.reg; memory forms are reserved. */
#define SHIFT_GRP(srl, sra, sll)                                           \
	P(MOD(XRSVD_I, REG(XRSVD_I, XRSVD_I, XI(srl##_NqIb), XRSVD_I,    \
			   XI(sra##_NqIb), XRSVD_I, XI(sll##_NqIb), XRSVD_I)), \
	  MOD(XRSVD_I, REG(XRSVD_I, XRSVD_I, XI(srl##_UxIb), XRSVD_I,    \
			   XI(sra##_UxIb), XRSVD_I, XI(sll##_UxIb), XRSVD_I)), \
	  XRSVD_I, XRSVD_I)
#define SHIFT_GRP_Q                                                        \
	P(MOD(XRSVD_I, REG(XRSVD_I, XRSVD_I, XI(PSRLQ_NqIb), XRSVD_I,    \
			   XRSVD_I, XRSVD_I, XI(PSLLQ_NqIb), XRSVD_I)),    \
	  MOD(XRSVD_I, REG(XRSVD_I, XRSVD_I, XI(PSRLQ_UxIb),             \
			   XI(PSRLDQ_UxIb), XRSVD_I, XRSVD_I,              \
			   XI(PSLLQ_UxIb), XI(PSLLDQ_UxIb))),              \
	  XRSVD_I, XRSVD_I)

/* The eight ALU operations at 00-3D: Eb,Gb  Ev,Gv  Gb,Eb  Gv,Ev  AL,Ib
 * rAX,Iz. */
#define ALU(op, name)                                                      \
	[op + 0] = M(name##_EbGb, B, NONE, R8),                            \
	[op + 1] = M(name##_EvGv, V, NONE, 0),                             \
	[op + 2] = M(name##_GbEb, B, NONE, R8),                            \
	[op + 3] = M(name##_GvEv, V, NONE, 0),                             \
	[op + 4] = N(name##_ALIb, B, B),                                   \
	[op + 5] = N(name##_rAXIz, V, Z)
/* Group 1 (80-83) and group 2 (C0, C1, D0-D3) by ModRM.reg. */
#define GRP1(sfx, sz, im, fl)                                              \
	G(L(ADD_##sfx, sz, im, fl), L(OR_##sfx, sz, im, fl),               \
	  L(ADC_##sfx, sz, im, fl), L(SBB_##sfx, sz, im, fl),              \
	  L(AND_##sfx, sz, im, fl), L(SUB_##sfx, sz, im, fl),              \
	  L(XOR_##sfx, sz, im, fl), L(CMP_##sfx, sz, im, fl))
/* /6 (SAL) is SHL (SDM Vol. 2D table A-6, note on group 2). */
#define GRP2(sfx, sz, im, fl)                                              \
	G(L(ROL_##sfx, sz, im, fl), L(ROR_##sfx, sz, im, fl),              \
	  L(RCL_##sfx, sz, im, fl), L(RCR_##sfx, sz, im, fl),              \
	  L(SHL_##sfx, sz, im, fl), L(SHR_##sfx, sz, im, fl),              \
	  L(SHL_##sfx, sz, im, fl), L(SAR_##sfx, sz, im, fl))
#define X87(op) [0x##op] = M(ESC_X87, V, NONE, 0)

const struct dec_node dec_map_1byte[256] = {
	ALU(0x00, ADD),
	[0x06] = N_INV64(PUSH_Sw, V, NONE, "PUSH ES"),
	[0x07] = N_INV64(POP_Sw, V, NONE, "POP ES"),
	ALU(0x08, OR),
	[0x0e] = N_INV64(PUSH_Sw, V, NONE, "PUSH CS"),
	/* 0F: escape to the two-byte maps */
	ALU(0x10, ADC),
	[0x16] = N_INV64(PUSH_Sw, V, NONE, "PUSH SS"),
	[0x17] = N_INV64(POP_Sw, V, NONE, "POP SS"),
	ALU(0x18, SBB),
	[0x1e] = N_INV64(PUSH_Sw, V, NONE, "PUSH DS"),
	[0x1f] = N_INV64(POP_Sw, V, NONE, "POP DS"),
	ALU(0x20, AND),
	/* 26 2E 36 3E 64 65 66 67 F0 F2 F3: prefixes */
	[0x27] = N_INV64(DAA, V, NONE, "DAA"),
	ALU(0x28, SUB),
	[0x2f] = N_INV64(DAS, V, NONE, "DAS"),
	ALU(0x30, XOR),
	[0x37] = N_INV64(AAA, V, NONE, "AAA"),
	ALU(0x38, CMP),
	[0x3f] = N_INV64(AAS, V, NONE, "AAS"),
	/* 40-4F are REX prefixes in 64-bit mode */
	[0x40 ... 0x47] = N(INC_Zv, V, NONE),
	[0x48 ... 0x4f] = N(DEC_Zv, V, NONE),
	[0x50 ... 0x57] = N(PUSH_Zv, D64, NONE),
	[0x58 ... 0x5f] = N(POP_Zv, D64, NONE),
	[0x60] = N_INV64(PUSHA, V, NONE, "PUSHA"),
	[0x61] = N_INV64(POPA, V, NONE, "POPA"),
	/* 62 with mod = 3, and always in 64-bit mode, is EVEX */
	[0x62] = M(BOUND_GvMa, V, NONE, DF_MEM),
	[0x63] = { .sel = SEL_MODE, .flags = DF_MODRM,
		   SUB(2, L(ARPL_EwGw, V, NONE, 0), L(MOVSXD_GvEd, V, NONE, 0)) },
	[0x68] = N(PUSH_Iz, D64, Z),
	[0x69] = M(IMUL_GvEvIz, V, Z, 0),
	[0x6a] = N(PUSH_Ib, D64, SB),
	[0x6b] = M(IMUL_GvEvIb, V, SB, 0),
	[0x6c] = N(INS_YbDX, B, NONE),
	[0x6d] = N(INS_YzDX, Z, NONE),
	[0x6e] = N(OUTS_DXXb, B, NONE),
	[0x6f] = N(OUTS_DXXz, Z, NONE),
	[0x70 ... 0x7f] = N(Jcc_Jb, F64, JB),
	[0x80] = GRP1(EbIb, B, B, DF_RM8),
	[0x81] = GRP1(EvIz, V, Z, 0),
	/* 82 is an alias of 80, #UD in 64-bit mode */
	[0x82] = G(L_INV64(ADD_EbIb, B, B, DF_RM8, "82 /0"),
		   L_INV64(OR_EbIb, B, B, DF_RM8, "82 /1"),
		   L_INV64(ADC_EbIb, B, B, DF_RM8, "82 /2"),
		   L_INV64(SBB_EbIb, B, B, DF_RM8, "82 /3"),
		   L_INV64(AND_EbIb, B, B, DF_RM8, "82 /4"),
		   L_INV64(SUB_EbIb, B, B, DF_RM8, "82 /5"),
		   L_INV64(XOR_EbIb, B, B, DF_RM8, "82 /6"),
		   L_INV64(CMP_EbIb, B, B, DF_RM8, "82 /7")),
	[0x83] = GRP1(EvIb, V, SB, 0),
	[0x84] = M(TEST_EbGb, B, NONE, R8),
	[0x85] = M(TEST_EvGv, V, NONE, 0),
	[0x86] = M(XCHG_EbGb, B, NONE, R8),
	[0x87] = M(XCHG_EvGv, V, NONE, 0),
	[0x88] = M(MOV_EbGb, B, NONE, R8),
	[0x89] = M(MOV_EvGv, V, NONE, 0),
	[0x8a] = M(MOV_GbEb, B, NONE, R8),
	[0x8b] = M(MOV_GvEv, V, NONE, 0),
	[0x8c] = M(MOV_EvSw, V, NONE, DF_SREG),
	[0x8d] = M(LEA_GvM, V, NONE, DF_MEM),
	[0x8e] = M(MOV_SwEw, V, NONE, DF_SREG | DF_SREG_DST),
	/* 8F with mmmmm >= 8 in the next byte is XOP */
	[0x8f] = G(L(POP_Ev, D64, NONE, 0),
		   RSVD, RSVD, RSVD, RSVD, RSVD, RSVD, RSVD),
	/* 90 is NOP, F3 90 PAUSE; with REX.B it is XCHG r8, rAX */
	[0x90] = REXB(PFX(N(NOP, V, NONE), N(NOP, V, NONE), N(PAUSE, V, NONE),
			  N(NOP, V, NONE)),
		      N(XCHG_ZvrAX, V, NONE)),
	[0x91 ... 0x97] = N(XCHG_ZvrAX, V, NONE),
	[0x98] = N(CBW, V, NONE),
	[0x99] = N(CWD, V, NONE),
	[0x9a] = N_INV64(CALLF_Ap, V, AP, "CALL far ptr16:16/32"),
	[0x9b] = L(WAIT, V, NONE, 0),
	[0x9c] = N(PUSHF, D64, NONE),
	[0x9d] = N(POPF, D64, NONE),
	[0x9e] = N(SAHF, V, NONE),
	[0x9f] = N(LAHF, V, NONE),
	[0xa0] = N(MOV_ALOb, B, O),
	[0xa1] = N(MOV_rAXOv, V, O),
	[0xa2] = N(MOV_ObAL, B, O),
	[0xa3] = N(MOV_OvrAX, V, O),
	[0xa4] = N(MOVS_YbXb, B, NONE),
	[0xa5] = N(MOVS_YvXv, V, NONE),
	[0xa6] = N(CMPS_XbYb, B, NONE),
	[0xa7] = N(CMPS_XvYv, V, NONE),
	[0xa8] = N(TEST_ALIb, B, B),
	[0xa9] = N(TEST_rAXIz, V, Z),
	[0xaa] = N(STOS_YbAL, B, NONE),
	[0xab] = N(STOS_YvrAX, V, NONE),
	[0xac] = N(LODS_ALXb, B, NONE),
	[0xad] = N(LODS_rAXXv, V, NONE),
	[0xae] = N(SCAS_ALYb, B, NONE),
	[0xaf] = N(SCAS_rAXYv, V, NONE),
	[0xb0 ... 0xb7] = L(MOV_ZbIb, B, B, DF_RM8),
	[0xb8 ... 0xbf] = N(MOV_ZvIv, V, V),
	[0xc0] = GRP2(EbIb, B, B, DF_RM8),
	[0xc1] = GRP2(EvIb, V, B, 0),
	[0xc2] = N(RET_Iw, F64, W),
	[0xc3] = N(RET, F64, NONE),
	/* C4/C5 with mod = 3, and always in 64-bit mode, are VEX */
	[0xc4] = M(LES_GvMp, V, NONE, DF_MEM),
	[0xc5] = M(LDS_GvMp, V, NONE, DF_MEM),
	/* C6 F8 / C7 F8: XABORT Ib / XBEGIN Jz (TSX) */
	[0xc6] = G(L(MOV_EbIb, B, B, DF_RM8), RSVD, RSVD, RSVD, RSVD, RSVD, RSVD,
		   MOD(RSVD, RM(NS_I("XABORT (C6 F8): TSX" NOT_IN_MODEL, B),
				RSVD, RSVD, RSVD, RSVD, RSVD, RSVD, RSVD))),
	[0xc7] = G(L(MOV_EvIz, V, Z, 0), RSVD, RSVD, RSVD, RSVD, RSVD, RSVD,
		   MOD(RSVD, RM(NS_I("XBEGIN (C7 F8): TSX" NOT_IN_MODEL, JZ),
				RSVD, RSVD, RSVD, RSVD, RSVD, RSVD, RSVD))),
	[0xc8] = N(ENTER_IwIb, D64, WB),
	[0xc9] = N(LEAVE, D64, NONE),
	[0xca] = N(RETF_Iw, V, W),
	[0xcb] = N(RETF, V, NONE),
	[0xcc] = N(INT3, V, NONE),
	[0xcd] = N(INT_Ib, V, B),
	[0xce] = N_INV64(INTO, V, NONE, "INTO"),
	[0xcf] = N(IRET, V, NONE),
	[0xd0] = GRP2(Eb1, B, NONE, DF_RM8),
	[0xd1] = GRP2(Ev1, V, NONE, 0),
	[0xd2] = GRP2(EbCL, B, NONE, DF_RM8),
	[0xd3] = GRP2(EvCL, V, NONE, 0),
	[0xd4] = N_INV64(AAM_Ib, V, B, "AAM"),
	[0xd5] = N_INV64(AAD_Ib, V, B, "AAD"),
	[0xd6] = N_INV64(SALC, V, NONE, "SALC"),
	[0xd7] = N(XLAT, V, NONE),
	X87(D8), X87(D9), X87(DA), X87(DB), X87(DC), X87(DD), X87(DE), X87(DF),
	[0xe0] = N(LOOPNE_Jb, F64, JB),
	[0xe1] = N(LOOPE_Jb, F64, JB),
	[0xe2] = N(LOOP_Jb, F64, JB),
	[0xe3] = N(JrCXZ_Jb, F64, JB),
	[0xe4] = N(IN_ALIb, B, B),
	[0xe5] = N(IN_eAXIb, Z, B),
	[0xe6] = N(OUT_IbAL, B, B),
	[0xe7] = N(OUT_IbeAX, Z, B),
	/* Near branches ignore 66 in 64-bit mode on Intel CPUs ("f64") */
	[0xe8] = N(CALL_Jz, F64, JZ),
	[0xe9] = N(JMP_Jz, F64, JZ),
	[0xea] = N_INV64(JMPF_Ap, V, AP, "JMP far ptr16:16/32"),
	[0xeb] = N(JMP_Jb, F64, JB),
	[0xec] = N(IN_ALDX, B, NONE),
	[0xed] = N(IN_eAXDX, Z, NONE),
	[0xee] = N(OUT_DXAL, B, NONE),
	[0xef] = N(OUT_DXeAX, Z, NONE),
	[0xf1] = N(INT1, V, NONE),
	[0xf4] = N(HLT, V, NONE),
	[0xf5] = N(CMC, V, NONE),
	/* F6 /1 and F7 /1 execute as TEST (undocumented alias of /0) */
	[0xf6] = G(L(TEST_EbIb, B, B, DF_RM8), L(TEST_EbIb, B, B, DF_RM8),
		   L(NOT_Eb, B, NONE, DF_RM8), L(NEG_Eb, B, NONE, DF_RM8),
		   L(MUL_Eb, B, NONE, DF_RM8), L(IMUL_Eb, B, NONE, DF_RM8),
		   L(DIV_Eb, B, NONE, DF_RM8), L(IDIV_Eb, B, NONE, DF_RM8)),
	[0xf7] = G(L(TEST_EvIz, V, Z, 0), L(TEST_EvIz, V, Z, 0),
		   L(NOT_Ev, V, NONE, 0), L(NEG_Ev, V, NONE, 0),
		   L(MUL_Ev, V, NONE, 0), L(IMUL_Ev, V, NONE, 0),
		   L(DIV_Ev, V, NONE, 0), L(IDIV_Ev, V, NONE, 0)),
	[0xf8] = N(CLC, V, NONE),
	[0xf9] = N(STC, V, NONE),
	[0xfa] = N(CLI, V, NONE),
	[0xfb] = N(STI, V, NONE),
	[0xfc] = N(CLD, V, NONE),
	[0xfd] = N(STD, V, NONE),
	[0xfe] = G(L(INC_Eb, B, NONE, DF_RM8), L(DEC_Eb, B, NONE, DF_RM8),
		   RSVD, RSVD, RSVD, RSVD, RSVD, RSVD),
	[0xff] = G(L(INC_Ev, V, NONE, 0), L(DEC_Ev, V, NONE, 0),
		   L(CALL_Ev, F64, NONE, 0), L(CALLF_Mp, V, NONE, DF_MEM),
		   L(JMP_Ev, F64, NONE, 0), L(JMPF_Mp, V, NONE, DF_MEM),
		   L(PUSH_Ev, D64, NONE, 0), RSVD),
};

/* 0F 01 register forms (C0-FF), by ModRM.reg then rm. */
#define SVM(what) NSUP(what, "AMD SVM")
static const struct dec_node grp7_reg[8] = {
	RM(NSUP("ENCLV (0F 01 C0)", "SGX"), VMX("VMCALL (0F 01 C1)"),
	   VMX("VMLAUNCH (0F 01 C2)"), VMX("VMRESUME (0F 01 C3)"),
	   VMX("VMXOFF (0F 01 C4)"), NSUP("PCONFIG (0F 01 C5)", "PCONFIG"),
	   RSVD, RSVD),
	RM(L(MONITOR, V, NONE, 0), L(MWAIT, V, NONE, 0), NP(L(CLAC, V, NONE, 0)),
	   NP(L(STAC, V, NONE, 0)),
	   PFX(RSVD, NSUP("TDCALL (66 0F 01 CC)", "TDX"), RSVD, RSVD),
	   PFX(RSVD, NSUP("SEAMRET (66 0F 01 CD)", "TDX"), RSVD, RSVD),
	   PFX(RSVD, NSUP("SEAMOPS (66 0F 01 CE)", "TDX"), RSVD, RSVD),
	   PFX(NSUP("ENCLS (0F 01 CF)", "SGX"),
	       NSUP("SEAMCALL (66 0F 01 CF)", "TDX"), RSVD, RSVD)),
	RM(NP(L(XGETBV, V, NONE, 0)), NP(L(XSETBV, V, NONE, 0)),
	   RSVD, RSVD, VMX("VMFUNC (0F 01 D4)"), NSUP("XEND (0F 01 D5)", "TSX"),
	   NSUP("XTEST (0F 01 D6)", "TSX"), NSUP("ENCLU (0F 01 D7)", "SGX")),
	RM(SVM("VMRUN (0F 01 D8)"), SVM("VMMCALL (0F 01 D9)"),
	   SVM("VMLOAD (0F 01 DA)"), SVM("VMSAVE (0F 01 DB)"),
	   SVM("STGI (0F 01 DC)"), SVM("CLGI (0F 01 DD)"),
	   SVM("SKINIT (0F 01 DE)"), SVM("INVLPGA (0F 01 DF)")),
	L(SMSW_Ev, V, NONE, 0),
	RM(PFX(NSUP("SERIALIZE (0F 01 E8)", "SERIALIZE"), RSVD,
	       NSUP("SETSSBSY (F3 0F 01 E8)", "CET"),
	       NSUP("XSUSLDTRK (F2 0F 01 E8)", "TSXLDTRK")),
	   PFX(RSVD, RSVD, RSVD, NSUP("XRESLDTRK (F2 0F 01 E9)", "TSXLDTRK")),
	   PFX(RSVD, RSVD, NSUP("SAVEPREVSSP (F3 0F 01 EA)", "CET"), RSVD),
	   RSVD,
	   PFX(RSVD, RSVD, NSUP("UIRET (F3 0F 01 EC)", "UINTR"), RSVD),
	   PFX(RSVD, RSVD, NSUP("TESTUI (F3 0F 01 ED)", "UINTR"), RSVD),
	   PFX(L(RDPKRU, V, NONE, 0), RSVD,
	       NSUP("CLUI (F3 0F 01 EE)", "UINTR"), RSVD),
	   PFX(L(WRPKRU, V, NONE, 0), RSVD,
	       NSUP("STUI (F3 0F 01 EF)", "UINTR"), RSVD)),
	L(LMSW_Ew, V, NONE, 0),
	RM(L_ONLY64(SWAPGS, V, NONE, 0, "SWAPGS"), L(RDTSCP, V, NONE, 0),
	   NSUP("MONITORX (0F 01 FA)", "AMD MONITORX"),
	   NSUP("MWAITX (0F 01 FB)", "AMD MONITORX"),
	   NSUP("CLZERO (0F 01 FC)", "AMD CLZERO"),
	   NSUP("RDPRU (0F 01 FD)", "AMD RDPRU"),
	   NSUP("INVLPGB (0F 01 FE)", "AMD INVLPGB"),
	   NSUP("TLBSYNC (0F 01 FF)", "AMD INVLPGB")),
};

#define GRP7_REG { .sel = SEL_REG, .sub = grp7_reg }

/* Descriptor-table operands are 6 bytes (10 in 64-bit mode, "f64"). */
#define GRP7_MEM                                                            \
	REG(L(SGDT_Ms, F64, NONE, 0), L(SIDT_Ms, F64, NONE, 0),             \
	    L(LGDT_Ms, F64, NONE, 0), L(LIDT_Ms, F64, NONE, 0),             \
	    L(SMSW_Ev, V, NONE, 0),                                         \
	    PFX(RSVD, RSVD, NSUP("RSTORSSP (F3 0F 01 /5)", "CET"), RSVD),   \
	    L(LMSW_Ew, V, NONE, 0), L(INVLPG_M, V, NONE, 0))

/* 0F AE (group 15). */
#define GRP15_MEM                                                           \
	PFX(REG(L(FXSAVE_M, Y, NONE, 0), L(FXRSTOR_M, Y, NONE, 0),         \
		L(LDMXCSR_Md, V, NONE, 0), L(STMXCSR_Md, V, NONE, 0),           \
		L(XSAVE_M, Y, NONE, 0), L(XRSTOR_M, Y, NONE, 0),               \
		L(XSAVEOPT_M, Y, NONE, 0), L(CLFLUSH_Mb, B, NONE, 0)),         \
	    REG(RSVD, RSVD, RSVD, RSVD, RSVD, RSVD,                          \
		NSUP("CLWB (66 0F AE /6)", "CLWB"),                          \
		L(CLFLUSHOPT_Mb, B, NONE, 0)),                                \
	    REG(RSVD, RSVD, RSVD, RSVD, NSUP("PTWRITE (F3 0F AE /4)", "PTWRITE"), \
		RSVD, NSUP("CLRSSBSY (F3 0F AE /6)", "CET"), RSVD),          \
	    RSVD)
#define GRP15_REG                                                           \
	PFX(REG(RSVD, RSVD, RSVD, RSVD, RSVD, L(LFENCE, V, NONE, 0),        \
		L(MFENCE, V, NONE, 0), L(SFENCE, V, NONE, 0)),                \
	    REG(RSVD, RSVD, RSVD, RSVD, RSVD, RSVD,                          \
		NSUP("TPAUSE (66 0F AE /6)", "WAITPKG"), RSVD),              \
	    REG(L_ONLY64(RDFSBASE_Ry, Y, NONE, 0, "RDFSBASE"),               \
		L_ONLY64(RDGSBASE_Ry, Y, NONE, 0, "RDGSBASE"),               \
		L_ONLY64(WRFSBASE_Ry, Y, NONE, 0, "WRFSBASE"),               \
		L_ONLY64(WRGSBASE_Ry, Y, NONE, 0, "WRGSBASE"),               \
		NSUP("PTWRITE (F3 0F AE /4)", "PTWRITE"),                    \
		NSUP("INCSSP (F3 0F AE /5)", "CET"),                         \
		NSUP("UMONITOR (F3 0F AE /6)", "WAITPKG"), RSVD),            \
	    REG(RSVD, RSVD, RSVD, RSVD, RSVD, RSVD,                          \
		NSUP("UMWAIT (F2 0F AE /6)", "WAITPKG"), RSVD))

/* 0F C7 (group 9). */
#define GRP9_MEM                                                            \
	REG(RSVD, REXW(L(CMPXCHG8B_Mq, V, NONE, 0),                         \
		       L(CMPXCHG16B_Mdq, V, NONE, 0)),                        \
	    RSVD, L(XRSTORS_M, Y, NONE, 0), L(XSAVEC_M, Y, NONE, 0),        \
	    L(XSAVES_M, Y, NONE, 0),                                         \
	    PFX(VMX("VMPTRLD (0F C7 /6)"), VMX("VMCLEAR (66 0F C7 /6)"),     \
		VMX("VMXON (F3 0F C7 /6)"), RSVD),                           \
	    PFX(VMX("VMPTRST (0F C7 /7)"), RSVD, RSVD, RSVD))
#define GRP9_REG                                                            \
	REG(RSVD, NS("CMPXCHG8B/CMPXCHG16B (0F C7 /1) with a register operand"), \
	    RSVD, RSVD, RSVD, RSVD,                                         \
	    PFX(L(RDRAND_Rv, V, NONE, 0), L(RDRAND_Rv, V, NONE, 0),          \
		NSUP("SENDUIPI (F3 0F C7 /6)", "UINTR"), RSVD),             \
	    PFX(L(RDSEED_Rv, V, NONE, 0), L(RDSEED_Rv, V, NONE, 0),          \
		L(RDPID_Ry, YM, NONE, 0), RSVD))

const struct dec_node dec_map_0f[256] = {
	[0x00] = G(L(SLDT_Ev, V, NONE, 0), L(STR_Ev, V, NONE, 0),
		   L(LLDT_Ew, V, NONE, 0), L(LTR_Ew, V, NONE, 0),
		   L(VERR_Ew, V, NONE, 0), L(VERW_Ew, V, NONE, 0),
		   NS("JMPE (0F 00 /6) exists only on IA-64 processors"), RSVD),
	[0x01] = D(GRP7_MEM, GRP7_REG),
	[0x02] = M(LAR_GvEw, V, NONE, 0),
	[0x03] = M(LSL_GvEw, V, NONE, 0),
	/* Intel recognizes SYSCALL and SYSRET only in 64-bit mode */
	[0x05] = L_ONLY64(SYSCALL, V, NONE, 0, "SYSCALL"),
	[0x06] = N(CLTS, V, NONE),
	[0x07] = L_ONLY64(SYSRET, V, NONE, 0, "SYSRET"),
	[0x08] = N(INVD, V, NONE),
	/* F3 0F 09 is WBNOINVD, which runs as WBINVD where unsupported */
	[0x09] = N(WBINVD, V, NONE),
	[0x0b] = N(UD2, V, NONE),
	/* AMD PREFETCH/PREFETCHW (Intel: PREFETCHW /1); the register form
	 * is a NOP as Zydis decodes it */
	[0x0d] = D(L(PREFETCH_Mb, B, NONE, 0), L(NOP_Ev, V, NONE, 0)),
	[0x0e] = NS("FEMMS (0F 0E): AMD 3DNow!" NOT_IN_MODEL),
	/* 3DNow!: ModRM, then the opcode as a trailing byte */
	[0x0f] = { .sel = SEL_LEAF, .flags = DF_MODRM, .imm = IMM_B,
		   .reason = "AMD 3DNow! (0F 0F)" NOT_IN_MODEL },
	[0x10] = P(XV(MOVUPS_VpsWps), XV(MOVUPD_VpdWpd),
		   XV(MOVSS_VssWss), XV(MOVSD_VsdWsd)),
	[0x11] = P(XV(MOVUPS_WpsVps), XV(MOVUPD_WpdVpd),
		   XV(MOVSS_WssVss), XV(MOVSD_WsdVsd)),
	[0x12] = P(MOD(XV(MOVLPS_VqMq), XV(MOVHLPS_VqUq)), XV(MOVLPD_VqMq),
		   XV(MOVSLDUP_VpsWps), XV(MOVDDUP_VqWq)),
	[0x13] = P(XV(MOVLPS_MqVq), XV(MOVLPD_MqVq), RSVD, RSVD),
	[0x14] = P(XV(UNPCKLPS_VpsWps), XV(UNPCKLPD_VpdWpd), RSVD, RSVD),
	[0x15] = P(XV(UNPCKHPS_VpsWps), XV(UNPCKHPD_VpdWpd), RSVD, RSVD),
	[0x16] = P(MOD(XV(MOVHPS_VqMq), XV(MOVLHPS_VqUq)), XV(MOVHPD_VqMq),
		   XV(MOVSHDUP_VpsWps), RSVD),
	[0x17] = P(XV(MOVHPS_MqVq), XV(MOVHPD_MqVq), RSVD, RSVD),
	/* Group 16: PREFETCHh with memory /0-/3; everything else is a
	 * reserved NOP, as 0F 19-0F 1F (hints: MPX, CET, CLDEMOTE) */
	[0x18] = D(REG(L(PREFETCH_Mb, B, NONE, 0), L(PREFETCH_Mb, B, NONE, 0),
		       L(PREFETCH_Mb, B, NONE, 0), L(PREFETCH_Mb, B, NONE, 0),
		       L(NOP_Ev, V, NONE, 0), L(NOP_Ev, V, NONE, 0),
		       L(NOP_Ev, V, NONE, 0), L(NOP_Ev, V, NONE, 0)),
		   L(NOP_Ev, V, NONE, 0)),
	[0x19 ... 0x1f] = M(NOP_Ev, V, NONE, 0),
	/* MOV CR/DR: mod is ignored (SDM Vol. 2B MOV-Move to/from Control
	 * Registers) */
	[0x20] = M(MOV_RdCd, YM, NONE, DF_MODREG | DF_CREG),
	[0x21] = M(MOV_RdDd, YM, NONE, DF_MODREG | DF_DREG),
	[0x22] = M(MOV_CdRd, YM, NONE, DF_MODREG | DF_CREG),
	[0x23] = M(MOV_DdRd, YM, NONE, DF_MODREG | DF_DREG),
	[0x24] = { .sel = SEL_LEAF, .flags = DF_MODRM | DF_MODREG,
		   .reason = "MOV from a test register (0F 24) does not exist "
			     "on this CPU" },
	[0x26] = { .sel = SEL_LEAF, .flags = DF_MODRM | DF_MODREG,
		   .reason = "MOV to a test register (0F 26) does not exist "
			     "on this CPU" },
	[0x28] = P(XV(MOVAPS_VpsWps), XV(MOVAPD_VpdWpd), RSVD, RSVD),
	[0x29] = P(XV(MOVAPS_WpsVps), XV(MOVAPD_WpdVpd), RSVD, RSVD),
	[0x2a] = P(XV(CVTPI2PS_VpsQpi), XV(CVTPI2PD_VpdQpi),
		   XV(CVTSI2SS_VssEy), XV(CVTSI2SD_VsdEy)),
	[0x2b] = P(XV(MOVNTPS_MpsVps), XV(MOVNTPD_MpdVpd),
		   X_SSE4A("F3 0F 2B", NONE), X_SSE4A("F2 0F 2B", NONE)),
	[0x2c] = P(XV(CVTTPS2PI_PpiWps), XV(CVTTPD2PI_PpiWpd),
		   XV(CVTTSS2SI_GyWss), XV(CVTTSD2SI_GyWsd)),
	[0x2d] = P(XV(CVTPS2PI_PpiWps), XV(CVTPD2PI_PpiWpd),
		   XV(CVTSS2SI_GyWss), XV(CVTSD2SI_GyWsd)),
	[0x2e] = P(XV(UCOMISS_VssWss), XV(UCOMISD_VsdWsd), RSVD, RSVD),
	[0x2f] = P(XV(COMISS_VssWss), XV(COMISD_VsdWsd), RSVD, RSVD),
	[0x30] = N(WRMSR, V, NONE),
	[0x31] = N(RDTSC, V, NONE),
	[0x32] = N(RDMSR, V, NONE),
	[0x33] = N(RDPMC, V, NONE),
	[0x34] = N(SYSENTER, V, NONE),
	[0x35] = N(SYSEXIT, V, NONE),
	[0x37] = NS("GETSEC (0F 37): SMX" NOT_IN_MODEL),
	/* 38 and 3A: escapes to the three-byte maps */
	[0x40 ... 0x4f] = M(CMOVcc_GvEv, V, NONE, 0),
	[0x50] = P(XV(MOVMSKPS_GdUps), XV(MOVMSKPD_GdUpd), RSVD, RSVD),
	[0x51] = P(XV(SQRTPS_VpsWps), XV(SQRTPD_VpdWpd),
		   XV(SQRTSS_VssWss), XV(SQRTSD_VsdWsd)),
	[0x52] = P(XV(RSQRTPS_VpsWps), RSVD, XV(RSQRTSS_VssWss), RSVD),
	[0x53] = P(XV(RCPPS_VpsWps), RSVD, XV(RCPSS_VssWss), RSVD),
	[0x54] = P(XV(ANDPS_VpsWps), XV(ANDPD_VpdWpd), RSVD, RSVD),
	[0x55] = P(XV(ANDNPS_VpsWps), XV(ANDNPD_VpdWpd), RSVD, RSVD),
	[0x56] = P(XV(ORPS_VpsWps), XV(ORPD_VpdWpd), RSVD, RSVD),
	[0x57] = P(XV(XORPS_VpsWps), XV(XORPD_VpdWpd), RSVD, RSVD),
	[0x58] = P(XV(ADDPS_VpsWps), XV(ADDPD_VpdWpd),
		   XV(ADDSS_VssWss), XV(ADDSD_VsdWsd)),
	[0x59] = P(XV(MULPS_VpsWps), XV(MULPD_VpdWpd),
		   XV(MULSS_VssWss), XV(MULSD_VsdWsd)),
	[0x5a] = P(XV(CVTPS2PD_VpdWps), XV(CVTPD2PS_VpsWpd),
		   XV(CVTSS2SD_VsdWss), XV(CVTSD2SS_VssWsd)),
	[0x5b] = P(XV(CVTDQ2PS_VpsWdq), XV(CVTPS2DQ_VdqWps),
		   XV(CVTTPS2DQ_VdqWps), RSVD),
	[0x5c] = P(XV(SUBPS_VpsWps), XV(SUBPD_VpdWpd),
		   XV(SUBSS_VssWss), XV(SUBSD_VsdWsd)),
	[0x5d] = P(XV(MINPS_VpsWps), XV(MINPD_VpdWpd),
		   XV(MINSS_VssWss), XV(MINSD_VsdWsd)),
	[0x5e] = P(XV(DIVPS_VpsWps), XV(DIVPD_VpdWpd),
		   XV(DIVSS_VssWss), XV(DIVSD_VsdWsd)),
	[0x5f] = P(XV(MAXPS_VpsWps), XV(MAXPD_VpdWpd),
		   XV(MAXSS_VssWss), XV(MAXSD_VsdWsd)),
	[0x60] = P(XV(PUNPCKLBW_PqQq), XV(PUNPCKLBW_VxWx), RSVD, RSVD),
	[0x61] = P(XV(PUNPCKLWD_PqQq), XV(PUNPCKLWD_VxWx), RSVD, RSVD),
	[0x62] = P(XV(PUNPCKLDQ_PqQq), XV(PUNPCKLDQ_VxWx), RSVD, RSVD),
	[0x63] = P(XV(PACKSSWB_PqQq), XV(PACKSSWB_VxWx), RSVD, RSVD),
	[0x64] = P(XV(PCMPGTB_PqQq), XV(PCMPGTB_VxWx), RSVD, RSVD),
	[0x65] = P(XV(PCMPGTW_PqQq), XV(PCMPGTW_VxWx), RSVD, RSVD),
	[0x66] = P(XV(PCMPGTD_PqQq), XV(PCMPGTD_VxWx), RSVD, RSVD),
	[0x67] = P(XV(PACKUSWB_PqQq), XV(PACKUSWB_VxWx), RSVD, RSVD),
	[0x68] = P(XV(PUNPCKHBW_PqQq), XV(PUNPCKHBW_VxWx), RSVD, RSVD),
	[0x69] = P(XV(PUNPCKHWD_PqQq), XV(PUNPCKHWD_VxWx), RSVD, RSVD),
	[0x6a] = P(XV(PUNPCKHDQ_PqQq), XV(PUNPCKHDQ_VxWx), RSVD, RSVD),
	[0x6b] = P(XV(PACKSSDW_PqQq), XV(PACKSSDW_VxWx), RSVD, RSVD),
	[0x6c] = P(RSVD, XV(PUNPCKLQDQ_VxWx), RSVD, RSVD),
	[0x6d] = P(RSVD, XV(PUNPCKHQDQ_VxWx), RSVD, RSVD),
	[0x6e] = P(XV(MOVD_PqEy), XV(MOVD_VyEy), RSVD, RSVD),
	[0x6f] = P(XV(MOVQ_PqQq), XV(MOVDQA_VxWx), XV(MOVDQU_VxWx), RSVD),
	[0x70] = P(XI(PSHUFW_PqQqIb), XI(PSHUFD_VxWxIb),
		   XI(PSHUFHW_VxWxIb), XI(PSHUFLW_VxWxIb)),
	[0x71] = SHIFT_GRP(PSRLW, PSRAW, PSLLW),
	[0x72] = SHIFT_GRP(PSRLD, PSRAD, PSLLD),
	[0x73] = SHIFT_GRP_Q,
	[0x74] = P(XV(PCMPEQB_PqQq), XV(PCMPEQB_VxWx), RSVD, RSVD),
	[0x75] = P(XV(PCMPEQW_PqQq), XV(PCMPEQW_VxWx), RSVD, RSVD),
	[0x76] = P(XV(PCMPEQD_PqQq), XV(PCMPEQD_VxWx), RSVD, RSVD),
	[0x77] = NP(L(EMMS, V, NONE, 0)),
	/* VMREAD/VMWRITE; with 66/F2 the AMD SSE4a EXTRQ/INSERTQ, whose
	 * 0F 78 forms take two imm8 */
	[0x78] = P(VMX("VMREAD (0F 78)"),
		   NS_I("EXTRQ (66 0F 78): AMD SSE4a" NOT_IN_MODEL, BB), RSVD,
		   NS_I("INSERTQ (F2 0F 78): AMD SSE4a" NOT_IN_MODEL, BB)),
	[0x79] = P(VMX("VMWRITE (0F 79)"), NSUP("EXTRQ (66 0F 79)", "AMD SSE4a"),
		   RSVD, NSUP("INSERTQ (F2 0F 79)", "AMD SSE4a")),
	[0x7c] = P(RSVD, XV(HADDPD_VpdWpd), RSVD, XV(HADDPS_VpsWps)),
	[0x7d] = P(RSVD, XV(HSUBPD_VpdWpd), RSVD, XV(HSUBPS_VpsWps)),
	[0x7e] = P(XV(MOVD_EyPq), XV(MOVD_EyVy), XV(MOVQ_VqWq), RSVD),
	[0x7f] = P(XV(MOVQ_QqPq), XV(MOVDQA_WxVx), XV(MOVDQU_WxVx), RSVD),
	[0x80 ... 0x8f] = N(Jcc_Jz, F64, JZ),
	[0x90 ... 0x9f] = M(SETcc_Eb, B, NONE, DF_RM8),
	[0xa0] = N(PUSH_Sw, D64, NONE),
	[0xa1] = N(POP_Sw, D64, NONE),
	[0xa2] = N(CPUID, V, NONE),
	[0xa3] = M(BT_EvGv, V, NONE, 0),
	[0xa4] = M(SHLD_EvGvIb, V, B, 0),
	[0xa5] = M(SHLD_EvGvCL, V, NONE, 0),
	/* VIA PadLock: a fixed second byte, decoded as a register ModRM */
	[0xa6] = { .sel = SEL_LEAF, .flags = DF_MODRM | DF_MODREG,
		   .reason = "VIA PadLock (0F A6)" NOT_IN_MODEL },
	[0xa7] = { .sel = SEL_LEAF, .flags = DF_MODRM | DF_MODREG,
		   .reason = "VIA PadLock (0F A7)" NOT_IN_MODEL },
	[0xa8] = N(PUSH_Sw, D64, NONE),
	[0xa9] = N(POP_Sw, D64, NONE),
	[0xaa] = N(RSM, V, NONE),
	[0xab] = M(BTS_EvGv, V, NONE, 0),
	[0xac] = M(SHRD_EvGvIb, V, B, 0),
	[0xad] = M(SHRD_EvGvCL, V, NONE, 0),
	[0xae] = D(GRP15_MEM, GRP15_REG),
	[0xaf] = M(IMUL_GvEv, V, NONE, 0),
	[0xb0] = M(CMPXCHG_EbGb, B, NONE, R8),
	[0xb1] = M(CMPXCHG_EvGv, V, NONE, 0),
	[0xb2] = M(LSS_GvMp, V, NONE, DF_MEM),
	[0xb3] = M(BTR_EvGv, V, NONE, 0),
	[0xb4] = M(LFS_GvMp, V, NONE, DF_MEM),
	[0xb5] = M(LGS_GvMp, V, NONE, DF_MEM),
	[0xb6] = M(MOVZX_GvEb, V, NONE, DF_RM8),
	[0xb7] = M(MOVZX_GvEw, V, NONE, 0),
	/* 0F B8 without F3 is JMPE, which only IA-64 processors have */
	[0xb8] = P(NS("JMPE (0F B8) exists only on IA-64 processors"), RSVD,
		   L(POPCNT_GvEv, V, NONE, 0), RSVD),
	[0xb9] = M(UD1_GvEv, V, NONE, 0),
	[0xba] = G(L(INVALID, V, B, 0), L(INVALID, V, B, 0), L(INVALID, V, B, 0),
		   L(INVALID, V, B, 0), L(BT_EvIb, V, B, 0), L(BTS_EvIb, V, B, 0),
		   L(BTR_EvIb, V, B, 0), L(BTC_EvIb, V, B, 0)),
	[0xbb] = M(BTC_EvGv, V, NONE, 0),
	/* F3 0F BC/BD are TZCNT/LZCNT; F2 is ignored */
	[0xbc] = P(L(BSF_GvEv, V, NONE, 0), L(BSF_GvEv, V, NONE, 0),
		   L(TZCNT_GvEv, V, NONE, 0), L(BSF_GvEv, V, NONE, 0)),
	[0xbd] = P(L(BSR_GvEv, V, NONE, 0), L(BSR_GvEv, V, NONE, 0),
		   L(LZCNT_GvEv, V, NONE, 0), L(BSR_GvEv, V, NONE, 0)),
	[0xbe] = M(MOVSX_GvEb, V, NONE, DF_RM8),
	[0xbf] = M(MOVSX_GvEw, V, NONE, 0),
	[0xc0] = M(XADD_EbGb, B, NONE, R8),
	[0xc1] = M(XADD_EvGv, V, NONE, 0),
	[0xc2] = P(XI(CMPPS_VpsWpsIb), XI(CMPPD_VpdWpdIb),
		   XI(CMPSS_VssWssIb), XI(CMPSD_VsdWsdIb)),
	[0xc3] = P(XV(MOVNTI_MyGy), RSVD, RSVD, RSVD),
	[0xc4] = P(XI(PINSRW_PqEwIb), XI(PINSRW_VdqEwIb), XRSVD_I, XRSVD_I),
	[0xc5] = P(XI(PEXTRW_GdNqIb), XI(PEXTRW_GdUdqIb), XRSVD_I, XRSVD_I),
	[0xc6] = P(XI(SHUFPS_VpsWpsIb), XI(SHUFPD_VpdWpdIb), XRSVD_I, XRSVD_I),
	[0xc7] = D(GRP9_MEM, GRP9_REG),
	[0xc8 ... 0xcf] = N(BSWAP_Zv, V, NONE),
	[0xd0] = P(RSVD, XV(ADDSUBPD_VpdWpd), RSVD, XV(ADDSUBPS_VpsWps)),
	[0xd1] = P(XV(PSRLW_PqQq), XV(PSRLW_VxWx), RSVD, RSVD),
	[0xd2] = P(XV(PSRLD_PqQq), XV(PSRLD_VxWx), RSVD, RSVD),
	[0xd3] = P(XV(PSRLQ_PqQq), XV(PSRLQ_VxWx), RSVD, RSVD),
	[0xd4] = P(XV(PADDQ_PqQq), XV(PADDQ_VxWx), RSVD, RSVD),
	[0xd5] = P(XV(PMULLW_PqQq), XV(PMULLW_VxWx), RSVD, RSVD),
	[0xd6] = P(RSVD, XV(MOVQ_WqVq), XV(MOVQ2DQ_VdqNq), XV(MOVDQ2Q_PqUq)),
	[0xd7] = P(XV(PMOVMSKB_GdNq), XV(PMOVMSKB_GdUx), RSVD, RSVD),
	[0xd8] = P(XV(PSUBUSB_PqQq), XV(PSUBUSB_VxWx), RSVD, RSVD),
	[0xd9] = P(XV(PSUBUSW_PqQq), XV(PSUBUSW_VxWx), RSVD, RSVD),
	[0xda] = P(XV(PMINUB_PqQq), XV(PMINUB_VxWx), RSVD, RSVD),
	[0xdb] = P(XV(PAND_PqQq), XV(PAND_VxWx), RSVD, RSVD),
	[0xdc] = P(XV(PADDUSB_PqQq), XV(PADDUSB_VxWx), RSVD, RSVD),
	[0xdd] = P(XV(PADDUSW_PqQq), XV(PADDUSW_VxWx), RSVD, RSVD),
	[0xde] = P(XV(PMAXUB_PqQq), XV(PMAXUB_VxWx), RSVD, RSVD),
	[0xdf] = P(XV(PANDN_PqQq), XV(PANDN_VxWx), RSVD, RSVD),
	[0xe0] = P(XV(PAVGB_PqQq), XV(PAVGB_VxWx), RSVD, RSVD),
	[0xe1] = P(XV(PSRAW_PqQq), XV(PSRAW_VxWx), RSVD, RSVD),
	[0xe2] = P(XV(PSRAD_PqQq), XV(PSRAD_VxWx), RSVD, RSVD),
	[0xe3] = P(XV(PAVGW_PqQq), XV(PAVGW_VxWx), RSVD, RSVD),
	[0xe4] = P(XV(PMULHUW_PqQq), XV(PMULHUW_VxWx), RSVD, RSVD),
	[0xe5] = P(XV(PMULHW_PqQq), XV(PMULHW_VxWx), RSVD, RSVD),
	[0xe6] = P(RSVD, XV(CVTTPD2DQ_VdqWpd),
		   XV(CVTDQ2PD_VpdWq), XV(CVTPD2DQ_VdqWpd)),
	[0xe7] = P(XV(MOVNTQ_MqPq), XV(MOVNTDQ_MxVx), RSVD, RSVD),
	[0xe8] = P(XV(PSUBSB_PqQq), XV(PSUBSB_VxWx), RSVD, RSVD),
	[0xe9] = P(XV(PSUBSW_PqQq), XV(PSUBSW_VxWx), RSVD, RSVD),
	[0xea] = P(XV(PMINSW_PqQq), XV(PMINSW_VxWx), RSVD, RSVD),
	[0xeb] = P(XV(POR_PqQq), XV(POR_VxWx), RSVD, RSVD),
	[0xec] = P(XV(PADDSB_PqQq), XV(PADDSB_VxWx), RSVD, RSVD),
	[0xed] = P(XV(PADDSW_PqQq), XV(PADDSW_VxWx), RSVD, RSVD),
	[0xee] = P(XV(PMAXSW_PqQq), XV(PMAXSW_VxWx), RSVD, RSVD),
	[0xef] = P(XV(PXOR_PqQq), XV(PXOR_VxWx), RSVD, RSVD),
	[0xf0] = P(RSVD, RSVD, RSVD, XV(LDDQU_VxMx)),
	[0xf1] = P(XV(PSLLW_PqQq), XV(PSLLW_VxWx), RSVD, RSVD),
	[0xf2] = P(XV(PSLLD_PqQq), XV(PSLLD_VxWx), RSVD, RSVD),
	[0xf3] = P(XV(PSLLQ_PqQq), XV(PSLLQ_VxWx), RSVD, RSVD),
	[0xf4] = P(XV(PMULUDQ_PqQq), XV(PMULUDQ_VxWx), RSVD, RSVD),
	[0xf5] = P(XV(PMADDWD_PqQq), XV(PMADDWD_VxWx), RSVD, RSVD),
	[0xf6] = P(XV(PSADBW_PqQq), XV(PSADBW_VxWx), RSVD, RSVD),
	[0xf7] = P(XV(MASKMOVQ_PqNq), XV(MASKMOVDQU_VdqUdq), RSVD, RSVD),
	[0xf8] = P(XV(PSUBB_PqQq), XV(PSUBB_VxWx), RSVD, RSVD),
	[0xf9] = P(XV(PSUBW_PqQq), XV(PSUBW_VxWx), RSVD, RSVD),
	[0xfa] = P(XV(PSUBD_PqQq), XV(PSUBD_VxWx), RSVD, RSVD),
	[0xfb] = P(XV(PSUBQ_PqQq), XV(PSUBQ_VxWx), RSVD, RSVD),
	[0xfc] = P(XV(PADDB_PqQq), XV(PADDB_VxWx), RSVD, RSVD),
	[0xfd] = P(XV(PADDW_PqQq), XV(PADDW_VxWx), RSVD, RSVD),
	[0xfe] = P(XV(PADDD_PqQq), XV(PADDD_VxWx), RSVD, RSVD),
	/* UD0 takes a ModRM on current Intel CPUs (SDM Vol. 2B UD) */
	[0xff] = M(UD0_GvEv, V, NONE, 0),
};

/* Every 0F 38 opcode has a ModRM byte (cpu/decode.c reads it for the
 * unlisted ones too). */
const struct dec_node dec_map_0f38[256] = {
	[0x00] = P(XV(PSHUFB_PqQq), XV(PSHUFB_VxWx), RSVD, RSVD),
	[0x01] = P(XV(PHADDW_PqQq), XV(PHADDW_VxWx), RSVD, RSVD),
	[0x02] = P(XV(PHADDD_PqQq), XV(PHADDD_VxWx), RSVD, RSVD),
	[0x03] = P(XV(PHADDSW_PqQq), XV(PHADDSW_VxWx), RSVD, RSVD),
	[0x04] = P(XV(PMADDUBSW_PqQq), XV(PMADDUBSW_VxWx), RSVD, RSVD),
	[0x05] = P(XV(PHSUBW_PqQq), XV(PHSUBW_VxWx), RSVD, RSVD),
	[0x06] = P(XV(PHSUBD_PqQq), XV(PHSUBD_VxWx), RSVD, RSVD),
	[0x07] = P(XV(PHSUBSW_PqQq), XV(PHSUBSW_VxWx), RSVD, RSVD),
	[0x08] = P(XV(PSIGNB_PqQq), XV(PSIGNB_VxWx), RSVD, RSVD),
	[0x09] = P(XV(PSIGNW_PqQq), XV(PSIGNW_VxWx), RSVD, RSVD),
	[0x0a] = P(XV(PSIGND_PqQq), XV(PSIGND_VxWx), RSVD, RSVD),
	[0x0b] = P(XV(PMULHRSW_PqQq), XV(PMULHRSW_VxWx), RSVD, RSVD),
	[0x10] = P(RSVD, XV(PBLENDVB_VxWx), RSVD, RSVD),
	[0x14] = P(RSVD, XV(BLENDVPS_VxWx), RSVD, RSVD),
	[0x15] = P(RSVD, XV(BLENDVPD_VxWx), RSVD, RSVD),
	[0x17] = P(RSVD, XV(PTEST_VxWx), RSVD, RSVD),
	[0x1c] = P(XV(PABSB_PqQq), XV(PABSB_VxWx), RSVD, RSVD),
	[0x1d] = P(XV(PABSW_PqQq), XV(PABSW_VxWx), RSVD, RSVD),
	[0x1e] = P(XV(PABSD_PqQq), XV(PABSD_VxWx), RSVD, RSVD),
	[0x20] = P(RSVD, XV(PMOVSXBW_VxWq), RSVD, RSVD),
	[0x21] = P(RSVD, XV(PMOVSXBD_VxWd), RSVD, RSVD),
	[0x22] = P(RSVD, XV(PMOVSXBQ_VxWw), RSVD, RSVD),
	[0x23] = P(RSVD, XV(PMOVSXWD_VxWq), RSVD, RSVD),
	[0x24] = P(RSVD, XV(PMOVSXWQ_VxWd), RSVD, RSVD),
	[0x25] = P(RSVD, XV(PMOVSXDQ_VxWq), RSVD, RSVD),
	[0x28] = P(RSVD, XV(PMULDQ_VxWx), RSVD, RSVD),
	[0x29] = P(RSVD, XV(PCMPEQQ_VxWx), RSVD, RSVD),
	[0x2a] = P(RSVD, XV(MOVNTDQA_VxMx), RSVD, RSVD),
	[0x2b] = P(RSVD, XV(PACKUSDW_VxWx), RSVD, RSVD),
	[0x30] = P(RSVD, XV(PMOVZXBW_VxWq), RSVD, RSVD),
	[0x31] = P(RSVD, XV(PMOVZXBD_VxWd), RSVD, RSVD),
	[0x32] = P(RSVD, XV(PMOVZXBQ_VxWw), RSVD, RSVD),
	[0x33] = P(RSVD, XV(PMOVZXWD_VxWq), RSVD, RSVD),
	[0x34] = P(RSVD, XV(PMOVZXWQ_VxWd), RSVD, RSVD),
	[0x35] = P(RSVD, XV(PMOVZXDQ_VxWq), RSVD, RSVD),
	[0x37] = P(RSVD, XV(PCMPGTQ_VxWx), RSVD, RSVD),
	[0x38] = P(RSVD, XV(PMINSB_VxWx), RSVD, RSVD),
	[0x39] = P(RSVD, XV(PMINSD_VxWx), RSVD, RSVD),
	[0x3a] = P(RSVD, XV(PMINUW_VxWx), RSVD, RSVD),
	[0x3b] = P(RSVD, XV(PMINUD_VxWx), RSVD, RSVD),
	[0x3c] = P(RSVD, XV(PMAXSB_VxWx), RSVD, RSVD),
	[0x3d] = P(RSVD, XV(PMAXSD_VxWx), RSVD, RSVD),
	[0x3e] = P(RSVD, XV(PMAXUW_VxWx), RSVD, RSVD),
	[0x3f] = P(RSVD, XV(PMAXUD_VxWx), RSVD, RSVD),
	[0x40] = P(RSVD, XV(PMULLD_VxWx), RSVD, RSVD),
	[0x41] = P(RSVD, XV(PHMINPOSUW_VxWx), RSVD, RSVD),
	[0x80] = P(RSVD, VMX("INVEPT (66 0F 38 80)"), RSVD, RSVD),
	[0x81] = P(RSVD, VMX("INVVPID (66 0F 38 81)"), RSVD, RSVD),
	[0x82] = P(RSVD, L(INVPCID_GyMdq, YM, NONE, DF_MEM), RSVD, RSVD),
	S38(C8, SHA, NONE, NONE, NONE),
	S38(C9, SHA, NONE, NONE, NONE),
	S38(CA, SHA, NONE, NONE, NONE),
	S38(CB, SHA, NONE, NONE, NONE),
	S38(CC, SHA, NONE, NONE, NONE),
	S38(CD, SHA, NONE, NONE, NONE),
	S38(CF, NONE, GFNI, NONE, NONE),
	S38(D8, NONE, NONE, KL, NONE),
	S38(DC, NONE, AES, KL, NONE),
	S38(DD, NONE, AES, KL, NONE),
	S38(DE, NONE, AES, KL, NONE),
	S38(DF, NONE, AES, KL, NONE),
	S38(DB, NONE, AES, NONE, NONE),
	/* MOVBE (66 for 16-bit); F2 is CRC32 (SSE4.2), whose source is Eb
	 * or Ev (66 for 16-bit) and REX.W makes the destination 64-bit */
	[0xf0] = P(L(MOVBE_GvMv, V, NONE, DF_MEM), L(MOVBE_GvMv, V, NONE, DF_MEM),
		   RSVD, L(CRC32_GyEb, B, NONE, DF_RM8)),
	[0xf1] = P(L(MOVBE_MvGv, V, NONE, DF_MEM), L(MOVBE_MvGv, V, NONE, DF_MEM),
		   RSVD, L(CRC32_GyEv, V, NONE, 0)),
	S38(F5, NONE, CET, NONE, NONE),
	S38(F6, CET, ADX, ADX, NONE),
	S38(F8, NONE, MOVDIR, ENQCMD, ENQCMD),
	S38(F9, MOVDIR, NONE, NONE, NONE),
	S38(FA, NONE, NONE, KL, NONE),
	S38(FB, NONE, NONE, KL, NONE),
};

/* Every 0F 3A opcode has a ModRM byte and an imm8 (cpu/decode.c). */
const struct dec_node dec_map_0f3a[256] = {
	[0x08] = P(RSVD, XI(ROUNDPS_VpsWpsIb), RSVD, RSVD),
	[0x09] = P(RSVD, XI(ROUNDPD_VpdWpdIb), RSVD, RSVD),
	[0x0a] = P(RSVD, XI(ROUNDSS_VssWssIb), RSVD, RSVD),
	[0x0b] = P(RSVD, XI(ROUNDSD_VsdWsdIb), RSVD, RSVD),
	[0x0c] = P(RSVD, XI(BLENDPS_VxWxIb), RSVD, RSVD),
	[0x0d] = P(RSVD, XI(BLENDPD_VxWxIb), RSVD, RSVD),
	[0x0e] = P(RSVD, XI(PBLENDW_VxWxIb), RSVD, RSVD),
	[0x0f] = P(XI(PALIGNR_PqQqIb), XI(PALIGNR_VxWxIb), RSVD, RSVD),
	[0x14] = P(RSVD, XI(PEXTRB_EbVdqIb), RSVD, RSVD),
	[0x15] = P(RSVD, XI(PEXTRW_EwVdqIb), RSVD, RSVD),
	[0x16] = P(RSVD, XI(PEXTRD_EyVdqIb), RSVD, RSVD),
	[0x17] = P(RSVD, XI(EXTRACTPS_EdVdqIb), RSVD, RSVD),
	[0x20] = P(RSVD, XI(PINSRB_VdqEbIb), RSVD, RSVD),
	[0x21] = P(RSVD, XI(INSERTPS_VdqWdIb), RSVD, RSVD),
	[0x22] = P(RSVD, XI(PINSRD_VdqEyIb), RSVD, RSVD),
	[0x40] = P(RSVD, XI(DPPS_VpsWpsIb), RSVD, RSVD),
	[0x41] = P(RSVD, XI(DPPD_VpdWpdIb), RSVD, RSVD),
	[0x42] = P(RSVD, XI(MPSADBW_VxWxIb), RSVD, RSVD),
	S3A(44, NONE, CLMUL, NONE, NONE),
	[0x60] = P(RSVD, XI(PCMPESTRM_VdqWdqIb), RSVD, RSVD),
	[0x61] = P(RSVD, XI(PCMPESTRI_VdqWdqIb), RSVD, RSVD),
	[0x62] = P(RSVD, XI(PCMPISTRM_VdqWdqIb), RSVD, RSVD),
	[0x63] = P(RSVD, XI(PCMPISTRI_VdqWdqIb), RSVD, RSVD),
	S3A(CC, SHA, NONE, NONE, NONE),
	S3A(CE, NONE, GFNI, NONE, NONE),
	S3A(CF, NONE, GFNI, NONE, NONE),
	S3A(DF, NONE, AES, NONE, NONE),
	[0xf0] = P(RSVD, RSVD, NSUP("HRESET (F3 0F 3A F0)", "HRESET"), RSVD),
};
