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
#define X_MMX(enc, im) X_EXT("MMX", enc, im)
#define X_SSE(enc, im) X_EXT("SSE", enc, im)
#define X_SSE2(enc, im) X_EXT("SSE2", enc, im)
#define X_SSE3(enc, im) X_EXT("SSE3", enc, im)
#define X_SSSE3(enc, im) X_EXT("SSSE3", enc, im)
#define X_SSE41(enc, im) X_EXT("SSE4.1", enc, im)
#define X_SSE42(enc, im) X_EXT("SSE4.2", enc, im)
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
	SSE(10, SSE, SSE2, SSE, SSE2),
	SSE(11, SSE, SSE2, SSE, SSE2),
	SSE(12, SSE, SSE2, SSE3, SSE3),
	SSE(13, SSE, SSE2, NONE, NONE),
	SSE(14, SSE, SSE2, NONE, NONE),
	SSE(15, SSE, SSE2, NONE, NONE),
	SSE(16, SSE, SSE2, SSE3, NONE),
	SSE(17, SSE, SSE2, NONE, NONE),
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
	SSE(28, SSE, SSE2, NONE, NONE),
	SSE(29, SSE, SSE2, NONE, NONE),
	SSE(2A, SSE, SSE2, SSE, SSE2),
	SSE(2B, SSE, SSE2, SSE4A, SSE4A),
	SSE(2C, SSE, SSE2, SSE, SSE2),
	SSE(2D, SSE, SSE2, SSE, SSE2),
	SSE(2E, SSE, SSE2, NONE, NONE),
	SSE(2F, SSE, SSE2, NONE, NONE),
	[0x30] = N(WRMSR, V, NONE),
	[0x31] = N(RDTSC, V, NONE),
	[0x32] = N(RDMSR, V, NONE),
	[0x33] = N(RDPMC, V, NONE),
	[0x34] = N(SYSENTER, V, NONE),
	[0x35] = N(SYSEXIT, V, NONE),
	[0x37] = NS("GETSEC (0F 37): SMX" NOT_IN_MODEL),
	/* 38 and 3A: escapes to the three-byte maps */
	[0x40 ... 0x4f] = M(CMOVcc_GvEv, V, NONE, 0),
	SSE(50, SSE, SSE2, NONE, NONE),
	SSE(51, SSE, SSE2, SSE, SSE2),
	SSE(52, SSE, NONE, SSE, NONE),
	SSE(53, SSE, NONE, SSE, NONE),
	SSE(54, SSE, SSE2, NONE, NONE),
	SSE(55, SSE, SSE2, NONE, NONE),
	SSE(56, SSE, SSE2, NONE, NONE),
	SSE(57, SSE, SSE2, NONE, NONE),
	SSE(58, SSE, SSE2, SSE, SSE2),
	SSE(59, SSE, SSE2, SSE, SSE2),
	SSE(5A, SSE2, SSE2, SSE2, SSE2),
	SSE(5B, SSE2, SSE2, SSE2, NONE),
	SSE(5C, SSE, SSE2, SSE, SSE2),
	SSE(5D, SSE, SSE2, SSE, SSE2),
	SSE(5E, SSE, SSE2, SSE, SSE2),
	SSE(5F, SSE, SSE2, SSE, SSE2),
	SSE(60, MMX, SSE2, NONE, NONE),
	SSE(61, MMX, SSE2, NONE, NONE),
	SSE(62, MMX, SSE2, NONE, NONE),
	SSE(63, MMX, SSE2, NONE, NONE),
	SSE(64, MMX, SSE2, NONE, NONE),
	SSE(65, MMX, SSE2, NONE, NONE),
	SSE(66, MMX, SSE2, NONE, NONE),
	SSE(67, MMX, SSE2, NONE, NONE),
	SSE(68, MMX, SSE2, NONE, NONE),
	SSE(69, MMX, SSE2, NONE, NONE),
	SSE(6A, MMX, SSE2, NONE, NONE),
	SSE(6B, MMX, SSE2, NONE, NONE),
	SSE(6C, NONE, SSE2, NONE, NONE),
	SSE(6D, NONE, SSE2, NONE, NONE),
	SSE(6E, MMX, SSE2, NONE, NONE),
	SSE(6F, MMX, SSE2, SSE2, NONE),
	SSEI(70, SSE, SSE2, SSE2, SSE2),
	SSEI(71, MMX, SSE2, NONE, NONE),
	SSEI(72, MMX, SSE2, NONE, NONE),
	SSEI(73, MMX, SSE2, NONE, NONE),
	SSE(74, MMX, SSE2, NONE, NONE),
	SSE(75, MMX, SSE2, NONE, NONE),
	SSE(76, MMX, SSE2, NONE, NONE),
	[0x77] = NS("EMMS (0F 77): MMX" NOT_IN_MODEL),
	/* VMREAD/VMWRITE; with 66/F2 the AMD SSE4a EXTRQ/INSERTQ, whose
	 * 0F 78 forms take two imm8 */
	[0x78] = P(VMX("VMREAD (0F 78)"),
		   NS_I("EXTRQ (66 0F 78): AMD SSE4a" NOT_IN_MODEL, BB), RSVD,
		   NS_I("INSERTQ (F2 0F 78): AMD SSE4a" NOT_IN_MODEL, BB)),
	[0x79] = P(VMX("VMWRITE (0F 79)"), NSUP("EXTRQ (66 0F 79)", "AMD SSE4a"),
		   RSVD, NSUP("INSERTQ (F2 0F 79)", "AMD SSE4a")),
	SSE(7C, NONE, SSE3, NONE, SSE3),
	SSE(7D, NONE, SSE3, NONE, SSE3),
	SSE(7E, MMX, SSE2, SSE2, NONE),
	SSE(7F, MMX, SSE2, SSE2, NONE),
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
	SSEI(C2, SSE, SSE2, SSE, SSE2),
	SSE(C3, SSE2, NONE, NONE, NONE),
	SSEI(C4, SSE, SSE2, NONE, NONE),
	SSEI(C5, SSE, SSE2, NONE, NONE),
	SSEI(C6, SSE, SSE2, NONE, NONE),
	[0xc7] = D(GRP9_MEM, GRP9_REG),
	[0xc8 ... 0xcf] = N(BSWAP_Zv, V, NONE),
	SSE(D0, NONE, SSE3, NONE, SSE3),
	SSE(D1, MMX, SSE2, NONE, NONE),
	SSE(D2, MMX, SSE2, NONE, NONE),
	SSE(D3, MMX, SSE2, NONE, NONE),
	SSE(D4, MMX, SSE2, NONE, NONE),
	SSE(D5, MMX, SSE2, NONE, NONE),
	SSE(D6, NONE, SSE2, SSE2, SSE2),
	SSE(D7, SSE, SSE2, NONE, NONE),
	SSE(D8, MMX, SSE2, NONE, NONE),
	SSE(D9, MMX, SSE2, NONE, NONE),
	SSE(DA, SSE, SSE2, NONE, NONE),
	SSE(DB, MMX, SSE2, NONE, NONE),
	SSE(DC, MMX, SSE2, NONE, NONE),
	SSE(DD, MMX, SSE2, NONE, NONE),
	SSE(DE, SSE, SSE2, NONE, NONE),
	SSE(DF, MMX, SSE2, NONE, NONE),
	SSE(E0, SSE, SSE2, NONE, NONE),
	SSE(E1, MMX, SSE2, NONE, NONE),
	SSE(E2, MMX, SSE2, NONE, NONE),
	SSE(E3, SSE, SSE2, NONE, NONE),
	SSE(E4, SSE, SSE2, NONE, NONE),
	SSE(E5, MMX, SSE2, NONE, NONE),
	SSE(E6, NONE, SSE2, SSE2, SSE2),
	SSE(E7, SSE, SSE2, NONE, NONE),
	SSE(E8, MMX, SSE2, NONE, NONE),
	SSE(E9, MMX, SSE2, NONE, NONE),
	SSE(EA, SSE, SSE2, NONE, NONE),
	SSE(EB, MMX, SSE2, NONE, NONE),
	SSE(EC, MMX, SSE2, NONE, NONE),
	SSE(ED, MMX, SSE2, NONE, NONE),
	SSE(EE, SSE, SSE2, NONE, NONE),
	SSE(EF, MMX, SSE2, NONE, NONE),
	SSE(F0, NONE, NONE, NONE, SSE3),
	SSE(F1, MMX, SSE2, NONE, NONE),
	SSE(F2, MMX, SSE2, NONE, NONE),
	SSE(F3, MMX, SSE2, NONE, NONE),
	SSE(F4, SSE2, SSE2, NONE, NONE),
	SSE(F5, MMX, SSE2, NONE, NONE),
	SSE(F6, SSE, SSE2, NONE, NONE),
	SSE(F7, SSE, SSE2, NONE, NONE),
	SSE(F8, MMX, SSE2, NONE, NONE),
	SSE(F9, MMX, SSE2, NONE, NONE),
	SSE(FA, MMX, SSE2, NONE, NONE),
	SSE(FB, SSE2, SSE2, NONE, NONE),
	SSE(FC, MMX, SSE2, NONE, NONE),
	SSE(FD, MMX, SSE2, NONE, NONE),
	SSE(FE, MMX, SSE2, NONE, NONE),
	/* UD0 takes a ModRM on current Intel CPUs (SDM Vol. 2B UD) */
	[0xff] = M(UD0_GvEv, V, NONE, 0),
};

/* Every 0F 38 opcode has a ModRM byte (cpu/decode.c reads it for the
 * unlisted ones too). */
const struct dec_node dec_map_0f38[256] = {
	S38(00, SSSE3, SSSE3, NONE, NONE), S38(01, SSSE3, SSSE3, NONE, NONE),
	S38(02, SSSE3, SSSE3, NONE, NONE), S38(03, SSSE3, SSSE3, NONE, NONE),
	S38(04, SSSE3, SSSE3, NONE, NONE), S38(05, SSSE3, SSSE3, NONE, NONE),
	S38(06, SSSE3, SSSE3, NONE, NONE), S38(07, SSSE3, SSSE3, NONE, NONE),
	S38(08, SSSE3, SSSE3, NONE, NONE), S38(09, SSSE3, SSSE3, NONE, NONE),
	S38(0A, SSSE3, SSSE3, NONE, NONE), S38(0B, SSSE3, SSSE3, NONE, NONE),
	S38(10, NONE, SSE41, NONE, NONE), S38(14, NONE, SSE41, NONE, NONE),
	S38(15, NONE, SSE41, NONE, NONE), S38(17, NONE, SSE41, NONE, NONE),
	S38(1C, SSSE3, SSSE3, NONE, NONE), S38(1D, SSSE3, SSSE3, NONE, NONE),
	S38(1E, SSSE3, SSSE3, NONE, NONE),
	S38(20, NONE, SSE41, NONE, NONE), S38(21, NONE, SSE41, NONE, NONE),
	S38(22, NONE, SSE41, NONE, NONE), S38(23, NONE, SSE41, NONE, NONE),
	S38(24, NONE, SSE41, NONE, NONE), S38(25, NONE, SSE41, NONE, NONE),
	S38(28, NONE, SSE41, NONE, NONE), S38(29, NONE, SSE41, NONE, NONE),
	S38(2A, NONE, SSE41, NONE, NONE), S38(2B, NONE, SSE41, NONE, NONE),
	S38(30, NONE, SSE41, NONE, NONE), S38(31, NONE, SSE41, NONE, NONE),
	S38(32, NONE, SSE41, NONE, NONE), S38(33, NONE, SSE41, NONE, NONE),
	S38(34, NONE, SSE41, NONE, NONE), S38(35, NONE, SSE41, NONE, NONE),
	S38(37, NONE, SSE42, NONE, NONE),
	S38(38, NONE, SSE41, NONE, NONE), S38(39, NONE, SSE41, NONE, NONE),
	S38(3A, NONE, SSE41, NONE, NONE), S38(3B, NONE, SSE41, NONE, NONE),
	S38(3C, NONE, SSE41, NONE, NONE), S38(3D, NONE, SSE41, NONE, NONE),
	S38(3E, NONE, SSE41, NONE, NONE), S38(3F, NONE, SSE41, NONE, NONE),
	S38(40, NONE, SSE41, NONE, NONE), S38(41, NONE, SSE41, NONE, NONE),
	[0x80] = P(RSVD, VMX("INVEPT (66 0F 38 80)"), RSVD, RSVD),
	[0x81] = P(RSVD, VMX("INVVPID (66 0F 38 81)"), RSVD, RSVD),
	[0x82] = P(RSVD, L(INVPCID_GyMdq, YM, NONE, DF_MEM), RSVD, RSVD),
	S38(C8, SHA, NONE, NONE, NONE), S38(C9, SHA, NONE, NONE, NONE),
	S38(CA, SHA, NONE, NONE, NONE), S38(CB, SHA, NONE, NONE, NONE),
	S38(CC, SHA, NONE, NONE, NONE), S38(CD, SHA, NONE, NONE, NONE),
	S38(CF, NONE, GFNI, NONE, NONE),
	S38(D8, NONE, NONE, KL, NONE), S38(DC, NONE, AES, KL, NONE),
	S38(DD, NONE, AES, KL, NONE), S38(DE, NONE, AES, KL, NONE),
	S38(DF, NONE, AES, KL, NONE), S38(DB, NONE, AES, NONE, NONE),
	/* MOVBE (66 for 16-bit); F2 is CRC32 (SSE4.2) */
	[0xf0] = P(L(MOVBE_GvMv, V, NONE, DF_MEM), L(MOVBE_GvMv, V, NONE, DF_MEM),
		   RSVD, NSUP("CRC32 (F2 0F 38 F0)", "SSE4.2")),
	[0xf1] = P(L(MOVBE_MvGv, V, NONE, DF_MEM), L(MOVBE_MvGv, V, NONE, DF_MEM),
		   RSVD, NSUP("CRC32 (F2 0F 38 F1)", "SSE4.2")),
	S38(F5, NONE, CET, NONE, NONE),
	S38(F6, CET, ADX, ADX, NONE),
	S38(F8, NONE, MOVDIR, ENQCMD, ENQCMD),
	S38(F9, MOVDIR, NONE, NONE, NONE),
	S38(FA, NONE, NONE, KL, NONE), S38(FB, NONE, NONE, KL, NONE),
};

/* Every 0F 3A opcode has a ModRM byte and an imm8 (cpu/decode.c). */
const struct dec_node dec_map_0f3a[256] = {
	S3A(08, NONE, SSE41, NONE, NONE), S3A(09, NONE, SSE41, NONE, NONE),
	S3A(0A, NONE, SSE41, NONE, NONE), S3A(0B, NONE, SSE41, NONE, NONE),
	S3A(0C, NONE, SSE41, NONE, NONE), S3A(0D, NONE, SSE41, NONE, NONE),
	S3A(0E, NONE, SSE41, NONE, NONE), S3A(0F, SSSE3, SSSE3, NONE, NONE),
	S3A(14, NONE, SSE41, NONE, NONE), S3A(15, NONE, SSE41, NONE, NONE),
	S3A(16, NONE, SSE41, NONE, NONE), S3A(17, NONE, SSE41, NONE, NONE),
	S3A(20, NONE, SSE41, NONE, NONE), S3A(21, NONE, SSE41, NONE, NONE),
	S3A(22, NONE, SSE41, NONE, NONE),
	S3A(40, NONE, SSE41, NONE, NONE), S3A(41, NONE, SSE41, NONE, NONE),
	S3A(42, NONE, SSE41, NONE, NONE), S3A(44, NONE, CLMUL, NONE, NONE),
	S3A(60, NONE, SSE42, NONE, NONE), S3A(61, NONE, SSE42, NONE, NONE),
	S3A(62, NONE, SSE42, NONE, NONE), S3A(63, NONE, SSE42, NONE, NONE),
	S3A(CC, SHA, NONE, NONE, NONE),
	S3A(CE, NONE, GFNI, NONE, NONE), S3A(CF, NONE, GFNI, NONE, NONE),
	S3A(DF, NONE, AES, NONE, NONE),
	[0xf0] = P(RSVD, RSVD, NSUP("HRESET (F3 0F 3A F0)", "HRESET"), RSVD),
};
