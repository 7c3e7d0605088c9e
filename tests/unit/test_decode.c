/* The instruction decoder against the SDM (Vol. 2A chapter 2, Vol. 2D
 * appendix A): each row is a byte string in one mode with what the manual
 * says it is. Length, form id, operand and address size, the memory
 * operand, immediates, prefixes, and #UD where the encoding is invalid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"

#define NONE INSN_REG_NONE

/* One expectation; a field is checked only when its group is given. */
struct dcase {
	unsigned mode;    /* code size: 2, 4 or 8 */
	const char *hex;  /* the bytes, as hex pairs */
	int len;          /* length or DECODE_* */
	bool chk_id;
	unsigned id;
	unsigned opsize, addrsize; /* 0: not checked */
	const char *ud;   /* #UD expected, with this text in the reason */
	bool chk_mem, chk_moffs;
	unsigned base, index, scale, seg;
	int64_t disp;
	bool rip;
	bool chk_seg;     /* seg alone (no memory check) */
	bool chk_imm;
	uint64_t imm, imm2;
	bool chk_regs;
	unsigned reg, rm;
	bool chk_pfx;
	unsigned prefixes;
	unsigned avail;   /* bytes given to the decoder; 0: all of hex */
};

#define C(m, h, l, ...) { .mode = (m), .hex = (h), .len = (l), __VA_ARGS__ }
#define ID(x) .chk_id = true, .id = INSN_##x
#define OS(n) .opsize = (n)
#define AS(n) .addrsize = (n)
#define UD(text) .ud = (text)
#define MEM(b, i, s, d, sg) .chk_mem = true, .base = (b), .index = (i),   \
	.scale = (s), .disp = (d), .seg = (sg)
#define RIP(d) .chk_mem = true, .base = NONE, .index = NONE, .disp = (d),  \
	.rip = true, .seg = SEG_DS
#define MOFFS(d, sg) .chk_moffs = true, .disp = (d), .seg = (sg)
#define SEG(s) .chk_seg = true, .seg = (s)
#define IMM(v) .chk_imm = true, .imm = (uint64_t)(v)
#define IMM2(v, w) .chk_imm = true, .imm = (uint64_t)(v), .imm2 = (w)
#define REGS(r, m) .chk_regs = true, .reg = (r), .rm = (m)
#define PFX(p) .chk_pfx = true, .prefixes = (p)
#define AVAIL(n) .avail = (n)

#define AH (INSN_REG_AH + 0)
#define BH (INSN_REG_AH + 3)

static unsigned parse_hex(const char *s, uint8_t *b)
{
	unsigned n = 0;
	while (*s) {
		unsigned v;
		if (*s == ' ') {
			s++;
			continue;
		}
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		b[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

#define CHECK(what, got, want)                                             \
	do {                                                               \
		if ((uint64_t)(got) != (uint64_t)(want))                   \
			fail_msg("%u-bit \"%s\": %s is 0x%llx, expected 0x%llx", \
				 t->mode * 8, t->hex, what,                \
				 (unsigned long long)(got),                \
				 (unsigned long long)(want));              \
	} while (0)

static void check_case(const struct dcase *t)
{
	uint8_t b[32];
	unsigned n = parse_hex(t->hex, b);
	struct insn i;
	int len = decode_insn(&i, b, t->avail ? t->avail : n, t->mode);
	CHECK("length", len, t->len);
	if (len < 0)
		return;
	if (t->chk_id)
		CHECK("id", i.id, t->id);
	if (t->opsize)
		CHECK("opsize", i.opsize, t->opsize);
	if (t->addrsize)
		CHECK("addrsize", i.addrsize, t->addrsize);
	if (t->ud) {
		if (i.fn != insn_ud || !i.ud_reason || !strstr(i.ud_reason, t->ud))
			fail_msg("%u-bit \"%s\": expected #UD with \"%s\", got %s \"%s\"",
				 t->mode * 8, t->hex, t->ud,
				 i.fn == insn_ud ? "#UD" : "a handler",
				 i.ud_reason ? i.ud_reason : "");
	} else if (i.fn == insn_ud) {
		/* Valid: the only #UD allowed is a handler not written yet. */
		char want[96];
		snprintf(want, sizeof want, "%s is not implemented",
			 insn_mnemonics[i.id]);
		if (i.id == INSN_INVALID || !i.ud_reason ||
		    strcmp(i.ud_reason, want) != 0)
			fail_msg("%u-bit \"%s\": unexpected #UD: %s", t->mode * 8,
				 t->hex, i.ud_reason ? i.ud_reason : "(none)");
	}
	if (t->chk_mem) {
		CHECK("mod != 3", i.mod != 3, 1);
		CHECK("base", i.base, t->base);
		CHECK("index", i.index, t->index);
		if (t->index != NONE)
			CHECK("scale", i.scale, t->scale);
		CHECK("disp", i.disp, t->disp);
		CHECK("rip_rel", i.rip_rel, t->rip);
	}
	if (t->chk_moffs) {
		CHECK("base", i.base, NONE);
		CHECK("index", i.index, NONE);
		CHECK("disp", i.disp, t->disp);
	}
	if (t->chk_mem || t->chk_moffs || t->chk_seg)
		CHECK("seg", i.seg, t->seg);
	if (t->chk_imm) {
		CHECK("imm", i.imm, t->imm);
		CHECK("imm2", i.imm2, t->imm2);
	}
	if (t->chk_regs) {
		CHECK("reg", i.reg, t->reg);
		CHECK("rm", i.rm, t->rm);
	}
	if (t->chk_pfx)
		CHECK("prefixes", i.prefixes, t->prefixes);
}

#define RUN(table)                                                         \
	do {                                                               \
		for (size_t k = 0; k < sizeof(table) / sizeof(table[0]); k++) \
			check_case(&table[k]);                             \
	} while (0)

/* Legacy prefixes: any order, repeats, the last F2/F3 and the last segment
 * override win, 64-bit mode ignores ES/CS/SS/DS (SDM Vol. 2A 2.1.1). */
static const struct dcase prefix_cases[] = {
	C(4, "05 78 56 34 12", 5, ID(ADD_rAXIz), OS(4), AS(4), IMM(0x12345678)),
	C(4, "66 05 34 12", 4, ID(ADD_rAXIz), OS(2), IMM(0x1234)),
	C(2, "05 34 12", 3, ID(ADD_rAXIz), OS(2), AS(2)),
	C(2, "66 05 78 56 34 12", 6, ID(ADD_rAXIz), OS(4)),
	C(2, "66 66 66 05 78 56 34 12", 8, ID(ADD_rAXIz), OS(4)),
	C(8, "05 ff ff ff ff", 5, ID(ADD_rAXIz), OS(4), AS(8), IMM(-1)),
	C(8, "48 05 00 00 00 80", 6, ID(ADD_rAXIz), OS(8),
	  IMM(0xffffffff80000000ull), PFX(PFX_REX | PFX_REXW)),
	/* REX.W wins over 66 (SDM Vol. 2A 2.2.1.2) */
	C(8, "66 48 05 78 56 34 12", 7, ID(ADD_rAXIz), OS(8)),
	/* REX followed by a legacy prefix is ignored (2.2.1) */
	C(8, "48 66 05 34 12", 5, ID(ADD_rAXIz), OS(2), PFX(PFX_OPSIZE)),
	C(8, "48 41 50", 3, ID(PUSH_Zv), OS(8), REGS(2, 8),
	  PFX(PFX_REX)),
	C(8, "41 66 50", 3, ID(PUSH_Zv), OS(2), REGS(2, 0), PFX(PFX_OPSIZE)),
	C(8, "66 41 50", 3, ID(PUSH_Zv), OS(2), REGS(2, 8)),
	/* 67 */
	C(4, "67 8b 07", 3, ID(MOV_GvEv), AS(2), MEM(REG_RBX, NONE, 0, 0, SEG_DS)),
	C(2, "67 8b 07", 3, ID(MOV_GvEv), AS(4), MEM(REG_RDI, NONE, 0, 0, SEG_DS)),
	C(8, "67 8b 07", 3, ID(MOV_GvEv), AS(4), MEM(REG_RDI, NONE, 0, 0, SEG_DS)),
	/* Mandatory prefixes: the last of F2/F3 selects; 66 is then the
	 * operand size */
	C(8, "f3 0f b8 c1", 4, ID(POPCNT_GvEv), OS(4)),
	C(8, "f2 f3 0f b8 c1", 5, ID(POPCNT_GvEv), OS(4), PFX(PFX_REP)),
	C(8, "f3 f2 0f b8 c1", 5, UD("reserved"), PFX(PFX_REPNE)),
	C(8, "66 f3 0f b8 c1", 5, ID(POPCNT_GvEv), OS(2)),
	C(8, "f3 66 0f b8 c1", 5, ID(POPCNT_GvEv), OS(2)),
	C(8, "0f b8 c1", 3, UD("JMPE")),
	C(8, "66 0f b8 c1", 4, UD("reserved")),
	C(8, "0f bc c1", 3, ID(BSF_GvEv)),
	C(8, "f2 0f bc c1", 4, ID(BSF_GvEv)),
	C(8, "f3 0f bc c1", 4, ID(TZCNT_GvEv)),
	C(8, "0f bd c1", 3, ID(BSR_GvEv)),
	C(8, "f3 48 0f bd c1", 5, ID(LZCNT_GvEv), OS(8)),
	/* Segment overrides */
	C(4, "8b 00", 2, ID(MOV_GvEv), SEG(SEG_DS), PFX(0)),
	C(4, "26 8b 00", 3, ID(MOV_GvEv), SEG(SEG_ES), PFX(PFX_SEG)),
	C(4, "2e 3e 8b 00", 4, SEG(SEG_DS)),
	C(4, "3e 2e 8b 00", 4, SEG(SEG_CS)),
	C(4, "64 36 8b 00", 4, SEG(SEG_SS)),
	C(4, "36 65 8b 00", 4, SEG(SEG_GS)),
	C(4, "3e 8b 45 00", 4, SEG(SEG_DS)),
	C(8, "64 8b 00", 3, SEG(SEG_FS), PFX(PFX_SEG)),
	C(8, "65 8b 00", 3, SEG(SEG_GS)),
	C(8, "2e 8b 00", 3, SEG(SEG_DS), PFX(0)),
	C(8, "26 8b 45 00", 4, SEG(SEG_SS), PFX(0)),
	C(8, "3e 8b 04 24", 4, SEG(SEG_SS)),
	C(8, "64 3e 8b 00", 4, SEG(SEG_FS)),
	C(8, "65 64 8b 00", 4, SEG(SEG_FS)),
	C(8, "64 65 8b 00", 4, SEG(SEG_GS)),
	/* String instructions: REP forms, the last F2/F3 counts */
	C(8, "f3 a4", 2, ID(MOVS_YbXb), OS(1), PFX(PFX_REP), SEG(SEG_DS)),
	C(8, "f3 48 a5", 3, ID(MOVS_YvXv), OS(8),
	  PFX(PFX_REP | PFX_REX | PFX_REXW)),
	C(8, "f2 f3 a6", 3, ID(CMPS_XbYb), PFX(PFX_REP)),
	C(8, "f3 f2 a6", 3, ID(CMPS_XbYb), PFX(PFX_REPNE)),
	C(8, "67 ac", 2, ID(LODS_ALXb), AS(4)),
	C(8, "64 ac", 2, ID(LODS_ALXb), SEG(SEG_FS)),
	C(2, "66 ab", 2, ID(STOS_YvrAX), OS(4), AS(2)),
	C(4, "6d", 1, ID(INS_YzDX), OS(4)),
	C(8, "48 6f", 2, ID(OUTS_DXXz), OS(4)),
	/* LOCK: only lockable forms with a memory destination (Vol. 3A
	 * 9.1.2.2; LOCK in Vol. 2A) */
	C(4, "f0 01 00", 3, ID(ADD_EvGv), PFX(PFX_LOCK)),
	C(4, "f0 80 08 01", 4, ID(OR_EbIb)),
	C(4, "f0 87 03", 3, ID(XCHG_EvGv)),
	C(4, "f0 0f c7 0e", 4, ID(CMPXCHG8B_Mq)),
	C(8, "f0 48 0f c7 0e", 5, ID(CMPXCHG16B_Mdq), OS(8)),
	C(4, "f0 0f ab 03", 4, ID(BTS_EvGv)),
	C(4, "f0 01 c0", 3, ID(ADD_EvGv), UD("register destination")),
	C(4, "f0 8b 00", 3, ID(MOV_GvEv), UD("LOCK prefix on mov")),
	C(4, "f0 39 00", 3, ID(CMP_EvGv), UD("LOCK")),
	C(4, "f0 0f a3 00", 4, ID(BT_EvGv), UD("LOCK")),
	C(4, "f0 90", 2, UD("LOCK")),
	C(8, "f0 0f 22 c0", 4, UD("LOCK")),
	/* The 15-byte limit (Vol. 2A 2.3.11): #GP past it */
	C(4, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", 15, ID(NOP)),
	C(4, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", DECODE_TOO_LONG),
	C(4, "26 26 26 26 26 26 26 26 26 26 26 b8 78 56 34 12", DECODE_TOO_LONG),
	C(8, "26 26 26 26 26 26 26 26 26 26 26 26 26 26 26", DECODE_TOO_LONG),
	C(8, "64 48 c7 84 88 00 01 00 00 78 56 34 12", 13, ID(MOV_EvIz),
	  OS(8), IMM(0x12345678)),
	/* Bytes that end inside the instruction */
	C(4, "b8 78 56", DECODE_NEED_MORE, AVAIL(3)),
	C(4, "0f", DECODE_NEED_MORE, AVAIL(1)),
	C(4, "66", DECODE_NEED_MORE, AVAIL(1)),
	C(8, "8b 04", DECODE_NEED_MORE, AVAIL(2)),
	C(8, "c4 e2", DECODE_NEED_MORE, AVAIL(2)),
	C(4, "c4", DECODE_NEED_MORE, AVAIL(1)),
};

/* 16-bit addressing, every rm and mod (SDM Vol. 2A table 2-1). */
static const struct dcase addr16_cases[] = {
	C(2, "8b 00", 2, ID(MOV_GvEv), AS(2), MEM(REG_RBX, REG_RSI, 0, 0, SEG_DS)),
	C(2, "8b 01", 2, MEM(REG_RBX, REG_RDI, 0, 0, SEG_DS)),
	C(2, "8b 02", 2, MEM(REG_RBP, REG_RSI, 0, 0, SEG_SS)),
	C(2, "8b 03", 2, MEM(REG_RBP, REG_RDI, 0, 0, SEG_SS)),
	C(2, "8b 04", 2, MEM(REG_RSI, NONE, 0, 0, SEG_DS)),
	C(2, "8b 05", 2, MEM(REG_RDI, NONE, 0, 0, SEG_DS)),
	C(2, "8b 06 34 12", 4, MEM(NONE, NONE, 0, 0x1234, SEG_DS)),
	C(2, "8b 07", 2, MEM(REG_RBX, NONE, 0, 0, SEG_DS)),
	C(2, "8b 40 7f", 3, MEM(REG_RBX, REG_RSI, 0, 0x7f, SEG_DS)),
	C(2, "8b 41 80", 3, MEM(REG_RBX, REG_RDI, 0, -0x80, SEG_DS)),
	C(2, "8b 42 01", 3, MEM(REG_RBP, REG_RSI, 0, 1, SEG_SS)),
	C(2, "8b 43 01", 3, MEM(REG_RBP, REG_RDI, 0, 1, SEG_SS)),
	C(2, "8b 44 02", 3, MEM(REG_RSI, NONE, 0, 2, SEG_DS)),
	C(2, "8b 45 02", 3, MEM(REG_RDI, NONE, 0, 2, SEG_DS)),
	C(2, "8b 46 fe", 3, MEM(REG_RBP, NONE, 0, -2, SEG_SS)),
	C(2, "8b 47 02", 3, MEM(REG_RBX, NONE, 0, 2, SEG_DS)),
	C(2, "8b 80 34 12", 4, MEM(REG_RBX, REG_RSI, 0, 0x1234, SEG_DS)),
	C(2, "8b 81 34 12", 4, MEM(REG_RBX, REG_RDI, 0, 0x1234, SEG_DS)),
	C(2, "8b 82 34 12", 4, MEM(REG_RBP, REG_RSI, 0, 0x1234, SEG_SS)),
	C(2, "8b 83 34 12", 4, MEM(REG_RBP, REG_RDI, 0, 0x1234, SEG_SS)),
	C(2, "8b 84 34 12", 4, MEM(REG_RSI, NONE, 0, 0x1234, SEG_DS)),
	C(2, "8b 85 34 12", 4, MEM(REG_RDI, NONE, 0, 0x1234, SEG_DS)),
	/* disp16 is sign-extended; the address wraps at 64K either way */
	C(2, "8b 86 00 80", 4, MEM(REG_RBP, NONE, 0, -0x8000, SEG_SS)),
	C(2, "8b 87 34 12", 4, MEM(REG_RBX, NONE, 0, 0x1234, SEG_DS)),
	C(2, "8b c3", 2, ID(MOV_GvEv), OS(2), REGS(REG_RAX, REG_RBX)),
	C(2, "26 8b 46 02", 4, MEM(REG_RBP, NONE, 0, 2, SEG_ES)),
	C(4, "67 8b 46 02", 4, AS(2), MEM(REG_RBP, NONE, 0, 2, SEG_SS)),
	C(2, "67 8b 04 24", 4, AS(4), MEM(REG_RSP, NONE, 0, 0, SEG_SS)),
	C(2, "a1 34 12", 3, ID(MOV_rAXOv), OS(2), AS(2)),
	C(2, "e8 34 12", 3, ID(CALL_Jz), OS(2), IMM(0x1234)),
	C(2, "66 e8 78 56 34 12", 6, ID(CALL_Jz), OS(4), IMM(0x12345678)),
};

/* 32/64-bit ModRM and SIB (SDM Vol. 2A tables 2-2, 2-3; 2.2.1.6). */
static const struct dcase sib_cases[] = {
	C(4, "8b 04 24", 3, MEM(REG_RSP, NONE, 0, 0, SEG_SS)),
	C(4, "8b 04 25 78 56 34 12", 7, MEM(NONE, NONE, 0, 0x12345678, SEG_DS)),
	C(4, "8b 04 65 00 10 00 00", 7, MEM(NONE, NONE, 0, 0x1000, SEG_DS)),
	C(4, "8b 44 25 08", 4, MEM(REG_RBP, NONE, 0, 8, SEG_SS)),
	C(4, "8b 84 25 00 01 00 00", 7, MEM(REG_RBP, NONE, 0, 0x100, SEG_SS)),
	C(4, "8b 04 8d 00 10 00 00", 7, MEM(NONE, REG_RCX, 2, 0x1000, SEG_DS)),
	C(4, "8b 84 9e 00 01 00 00", 7, MEM(REG_RSI, REG_RBX, 2, 0x100, SEG_DS)),
	C(4, "8b 04 c8", 3, MEM(REG_RAX, REG_RCX, 3, 0, SEG_DS)),
	C(4, "8b 4c 24 f0", 4, MEM(REG_RSP, NONE, 0, -16, SEG_SS)),
	C(4, "8b 05 00 10 00 00", 6, MEM(NONE, NONE, 0, 0x1000, SEG_DS)),
	C(4, "8b 45 fc", 3, MEM(REG_RBP, NONE, 0, -4, SEG_SS)),
	C(8, "8b 05 00 10 00 00", 6, AS(8), RIP(0x1000)),
	C(8, "67 8b 05 f0 ff ff ff", 7, AS(4), RIP(-16)),
	C(8, "41 8b 05 10 00 00 00", 7, RIP(0x10)),
	C(8, "8b 04 25 00 10 00 00", 7, MEM(NONE, NONE, 0, 0x1000, SEG_DS)),
	C(8, "8b 84 24 00 00 00 80", 7, MEM(REG_RSP, NONE, 0, -0x80000000ll, SEG_SS)),
	/* REX.B/X: r12 as base needs a SIB, r13 with mod 0 is disp32 or a
	 * SIB base; only rSP/rBP default to SS; REX.X makes index 100 r12 */
	C(8, "49 8b 04 24", 4, MEM(REG_R12, NONE, 0, 0, SEG_DS)),
	C(8, "49 8b 45 00", 4, MEM(REG_R13, NONE, 0, 0, SEG_DS)),
	C(8, "41 8b 04 25 00 10 00 00", 8, MEM(NONE, NONE, 0, 0x1000, SEG_DS)),
	C(8, "41 8b 44 25 08", 5, MEM(REG_R13, NONE, 0, 8, SEG_DS)),
	C(8, "42 8b 04 20", 4, MEM(REG_RAX, REG_R12, 0, 0, SEG_DS)),
	C(8, "4a 8b 04 e5 00 00 00 00", 8, MEM(NONE, REG_R12, 3, 0, SEG_DS)),
	C(8, "4f 8b 4c 7d 10", 5, REGS(REG_R9, 0), MEM(REG_R13, REG_R15, 1, 16, SEG_DS)),
	C(8, "4c 8b 04 24", 4, ID(MOV_GvEv), OS(8), MEM(REG_RSP, NONE, 0, 0, SEG_SS)),
	C(8, "48 8d 04 40", 4, ID(LEA_GvM), OS(8), MEM(REG_RAX, REG_RAX, 1, 0, SEG_DS)),
	C(8, "48 8b c3", 3, ID(MOV_GvEv), REGS(REG_RAX, REG_RBX)),
	C(8, "4d 8b c1", 3, REGS(REG_R8, REG_R9)),
};

/* Byte registers: AH-BH without REX, SPL-DIL with any REX (2.2.1.2). */
static const struct dcase byte_reg_cases[] = {
	C(8, "88 e0", 2, ID(MOV_EbGb), OS(1), REGS(AH, REG_RAX)),
	C(8, "40 88 e0", 3, ID(MOV_EbGb), REGS(REG_RSP, REG_RAX)),
	C(8, "44 88 e0", 3, REGS(REG_R12, REG_RAX)),
	C(8, "88 fb", 2, REGS(BH, REG_RBX)),
	C(4, "8a dc", 2, ID(MOV_GbEb), REGS(REG_RBX, AH)),
	C(8, "0f b6 c4", 3, ID(MOVZX_GvEb), OS(4), REGS(REG_RAX, AH)),
	C(8, "40 0f b6 c4", 4, ID(MOVZX_GvEb), REGS(REG_RAX, REG_RSP)),
	C(8, "48 0f be ff", 4, ID(MOVSX_GvEb), OS(8), REGS(REG_RDI, REG_RDI)),
	C(8, "b4 12", 2, ID(MOV_ZbIb), OS(1), IMM(0x12), .chk_regs = true,
	  .reg = 6, .rm = AH),
	C(8, "40 b4 12", 3, ID(MOV_ZbIb), .chk_regs = true, .reg = 6, .rm = REG_RSP),
	C(8, "41 b4 12", 3, ID(MOV_ZbIb), .chk_regs = true, .reg = 6, .rm = REG_R12),
	C(8, "0f 94 c4", 3, ID(SETcc_Eb), OS(1), REGS(0, AH)),
	C(8, "80 c4 01", 3, ID(ADD_EbIb), OS(1), IMM(1), REGS(0, AH)),
	C(8, "f6 dc", 2, ID(NEG_Eb), REGS(3, AH)),
	C(4, "86 e0", 2, ID(XCHG_EbGb), REGS(AH, REG_RAX)),
};

/* Operand sizes: d64/f64 (SDM Vol. 2A 2.2.1.7, Vol. 2D A.2.5), z, y. */
static const struct dcase opsize_cases[] = {
	C(8, "50", 1, ID(PUSH_Zv), OS(8)),
	C(8, "66 50", 2, ID(PUSH_Zv), OS(2)),
	C(8, "48 50", 2, ID(PUSH_Zv), OS(8)),
	C(4, "50", 1, ID(PUSH_Zv), OS(4)),
	C(4, "66 50", 2, ID(PUSH_Zv), OS(2)),
	C(2, "5b", 1, ID(POP_Zv), OS(2), .chk_regs = true, .reg = 3, .rm = REG_RBX),
	C(8, "ff 30", 2, ID(PUSH_Ev), OS(8)),
	C(8, "8f 00", 2, ID(POP_Ev), OS(8)),
	C(8, "8f c0", 2, ID(POP_Ev), OS(8), REGS(0, REG_RAX)),
	C(8, "0f a0", 2, ID(PUSH_Sw), OS(8), .chk_regs = true, .reg = SEG_FS, .rm = 0),
	C(8, "0f a9", 2, ID(POP_Sw), OS(8), .chk_regs = true, .reg = SEG_GS, .rm = 1),
	C(4, "1e", 1, ID(PUSH_Sw), OS(4), .chk_regs = true, .reg = SEG_DS, .rm = 6),
	C(4, "07", 1, ID(POP_Sw), .chk_regs = true, .reg = SEG_ES, .rm = 7),
	C(8, "9c", 1, ID(PUSHF), OS(8)),
	C(8, "66 9d", 2, ID(POPF), OS(2)),
	C(8, "c9", 1, ID(LEAVE), OS(8)),
	C(8, "c8 10 00 01", 4, ID(ENTER_IwIb), OS(8), IMM2(16, 1)),
	C(8, "6a ff", 2, ID(PUSH_Ib), OS(8), IMM(-1)),
	C(8, "68 00 00 00 80", 5, ID(PUSH_Iz), OS(8), IMM(0xffffffff80000000ull)),
	C(8, "66 68 34 12", 4, ID(PUSH_Iz), OS(2), IMM(0x1234)),
	/* Near branches: 64-bit regardless of 66 (Intel) */
	C(8, "eb fe", 2, ID(JMP_Jb), OS(8), IMM(-2)),
	C(8, "66 e9 00 00 00 00", 6, ID(JMP_Jz), OS(8), IMM(0)),
	C(8, "e8 fb ff ff ff", 5, ID(CALL_Jz), OS(8), IMM(-5)),
	C(8, "0f 84 00 00 00 80", 6, ID(Jcc_Jz), OS(8), IMM(-0x80000000ll)),
	C(8, "74 10", 2, ID(Jcc_Jb), IMM(0x10)),
	C(4, "66 e9 34 12", 4, ID(JMP_Jz), OS(2), IMM(0x1234)),
	C(4, "e9 00 00 00 80", 5, ID(JMP_Jz), OS(4), IMM(-0x80000000ll)),
	C(8, "ff e0", 2, ID(JMP_Ev), OS(8)),
	C(8, "66 ff d0", 3, ID(CALL_Ev), OS(8)),
	C(8, "c3", 1, ID(RET), OS(8)),
	C(8, "66 c3", 2, ID(RET), OS(8)),
	C(8, "c2 08 00", 3, ID(RET_Iw), OS(8), IMM(8)),
	C(8, "e2 fe", 2, ID(LOOP_Jb), OS(8), AS(8), IMM(-2)),
	C(8, "67 e3 00", 3, ID(JrCXZ_Jb), AS(4)),
	C(8, "48 cf", 2, ID(IRET), OS(8)),
	C(8, "cb", 1, ID(RETF), OS(4)),
	C(8, "48 ff 18", 3, ID(CALLF_Mp), OS(8)),
	C(4, "ff 28", 2, ID(JMPF_Mp), OS(4)),
	/* IN/OUT with eAX are 16 or 32 bits */
	C(4, "e5 80", 2, ID(IN_eAXIb), OS(4), IMM(0x80)),
	C(4, "66 e5 80", 3, ID(IN_eAXIb), OS(2)),
	C(8, "48 ed", 2, ID(IN_eAXDX), OS(4)),
	C(4, "ee", 1, ID(OUT_DXAL), OS(1)),
	/* Immediates */
	C(8, "83 c0 ff", 3, ID(ADD_EvIb), OS(4), IMM(-1)),
	C(8, "48 83 e8 80", 4, ID(SUB_EvIb), OS(8), IMM(-0x80)),
	C(8, "6b c0 80", 3, ID(IMUL_GvEvIb), IMM(-0x80)),
	C(8, "69 c0 00 00 00 80", 6, ID(IMUL_GvEvIz), IMM(0xffffffff80000000ull)),
	C(8, "c1 e0 ff", 3, ID(SHL_EvIb), IMM(0xff)),
	C(8, "c0 f0 03", 3, ID(SHL_EbIb), OS(1), IMM(3)),
	C(8, "0f ba e0 ff", 4, ID(BT_EvIb), IMM(0xff)),
	C(8, "b8 78 56 34 12", 5, ID(MOV_ZvIv), OS(4), IMM(0x12345678)),
	C(8, "48 b8 88 77 66 55 44 33 22 11", 10, ID(MOV_ZvIv), OS(8),
	  IMM(0x1122334455667788ull)),
	C(8, "66 b8 34 12", 4, ID(MOV_ZvIv), OS(2), IMM(0x1234)),
	C(8, "49 bf 01 00 00 00 00 00 00 80", 10, ID(MOV_ZvIv),
	  IMM(0x8000000000000001ull), .chk_regs = true, .reg = 7, .rm = REG_R15),
	C(8, "48 c7 c0 ff ff ff ff", 7, ID(MOV_EvIz), OS(8), IMM(-1)),
	C(8, "c6 00 80", 3, ID(MOV_EbIb), OS(1), IMM(0x80)),
	C(8, "a8 80", 2, ID(TEST_ALIb), IMM(0x80)),
	C(8, "f6 c1 01", 3, ID(TEST_EbIb), IMM(1)),
	C(8, "f6 c9 01", 3, ID(TEST_EbIb), IMM(1)),
	C(8, "f7 c1 00 00 00 80", 6, ID(TEST_EvIz), IMM(0xffffffff80000000ull)),
	C(8, "66 f7 c1 34 12", 5, ID(TEST_EvIz), OS(2), IMM(0x1234)),
	C(8, "cd 80", 2, ID(INT_Ib), IMM(0x80)),
	C(8, "0f a4 c2 05", 4, ID(SHLD_EvGvIb), IMM(5)),
	C(4, "d4 0a", 2, ID(AAM_Ib), IMM(10)),
	/* moffs: address-size bytes into disp */
	C(8, "a1 88 77 66 55 44 33 22 11", 9, ID(MOV_rAXOv), OS(4), AS(8),
	  MOFFS(0x1122334455667788ll, SEG_DS)),
	C(8, "67 a0 78 56 34 12", 6, ID(MOV_ALOb), OS(1), AS(4),
	  MOFFS(0x12345678, SEG_DS)),
	C(8, "64 48 a3 00 00 00 00 00 00 00 00", 11, ID(MOV_OvrAX), OS(8), SEG(SEG_FS)),
	C(2, "a2 34 12", 3, ID(MOV_ObAL), AS(2)),
	/* Far pointers */
	C(4, "9a 78 56 34 12 00 10", 7, ID(CALLF_Ap), OS(4), IMM2(0x12345678, 0x1000)),
	C(2, "ea 34 12 00 f0", 5, ID(JMPF_Ap), OS(2), IMM2(0x1234, 0xf000)),
	C(2, "66 ea 78 56 34 12 08 00", 8, ID(JMPF_Ap), OS(4), IMM2(0x12345678, 8)),
	/* y and forced sizes */
	C(8, "0f 20 c0", 3, ID(MOV_RdCd), OS(8), REGS(0, 0)),
	C(8, "66 0f 20 d8", 4, ID(MOV_RdCd), OS(8), REGS(3, 0)),
	C(4, "0f 22 d8", 3, ID(MOV_CdRd), OS(4), REGS(3, 0)),
	C(4, "66 0f 22 e0", 4, ID(MOV_CdRd), OS(4), REGS(4, 0)),
	C(8, "0f 20 18", 3, ID(MOV_RdCd), REGS(3, 0)),
	C(8, "0f 22 5c 24", 3, ID(MOV_CdRd), REGS(3, 4)),
	C(8, "44 0f 20 c0", 4, ID(MOV_RdCd), REGS(8, 0)),
	C(8, "41 0f 22 c7", 4, ID(MOV_CdRd), REGS(0, REG_R15)),
	C(8, "0f 23 f8", 3, ID(MOV_DdRd), OS(8), REGS(7, 0)),
	C(4, "0f 21 c0", 3, ID(MOV_RdDd), OS(4)),
	C(8, "f3 48 0f ae c0", 5, ID(RDFSBASE_Ry), OS(8), REGS(0, 0)),
	C(8, "f3 0f ae d9", 4, ID(WRGSBASE_Ry), OS(4), REGS(3, 1)),
	C(8, "f3 0f c7 f8", 4, ID(RDPID_Ry), OS(8)),
	C(4, "f3 0f c7 f8", 4, ID(RDPID_Ry), OS(4)),
	C(8, "66 0f 38 82 08", 5, ID(INVPCID_GyMdq), OS(8)),
	C(4, "66 0f 38 82 08", 5, ID(INVPCID_GyMdq), OS(4)),
	C(8, "0f c7 f0", 3, ID(RDRAND_Rv), OS(4)),
	C(8, "66 0f c7 f0", 4, ID(RDRAND_Rv), OS(2)),
	C(8, "48 0f c7 f8", 4, ID(RDSEED_Rv), OS(8)),
	C(8, "48 0f 01 10", 4, ID(LGDT_Ms), OS(8)),
	C(4, "66 0f 01 18", 4, ID(LIDT_Ms), OS(2)),
	C(8, "0f 01 e0", 3, ID(SMSW_Ev), OS(4)),
	C(8, "0f 01 f0", 3, ID(LMSW_Ew)),
	C(8, "48 63 c1", 3, ID(MOVSXD_GvEd), OS(8)),
	C(4, "63 c1", 2, ID(ARPL_EwGw)),
	C(8, "48 98", 2, ID(CBW), OS(8)),
	C(4, "99", 1, ID(CWD), OS(4)),
	C(8, "0f c8", 2, ID(BSWAP_Zv), OS(4), .chk_regs = true, .reg = 1, .rm = 0),
	C(8, "49 0f cf", 3, ID(BSWAP_Zv), OS(8), .chk_regs = true, .reg = 1, .rm = 15),
};

/* Opcode extensions by ModRM.reg, by mod and by the full register form;
 * the other one- and two-byte forms. */
static const struct dcase form_cases[] = {
	C(8, "0f 01 f8", 3, ID(SWAPGS)),
	C(4, "0f 01 f8", 3, ID(SWAPGS), UD("only valid in 64-bit mode")),
	C(8, "0f 01 f9", 3, ID(RDTSCP)),
	C(8, "0f 01 ca", 3, ID(CLAC)),
	C(8, "0f 01 cb", 3, ID(STAC)),
	C(8, "66 0f 01 ca", 4, UD("reserved")),
	C(8, "0f 01 ee", 3, ID(RDPKRU)),
	C(8, "0f 01 ef", 3, ID(WRPKRU)),
	C(8, "0f 01 c8", 3, ID(MONITOR)),
	C(8, "0f 01 c9", 3, ID(MWAIT)),
	C(8, "0f 01 38", 3, ID(INVLPG_M)),
	C(8, "0f 01 00", 3, ID(SGDT_Ms)),
	C(8, "0f 01 0c 24", 4, ID(SIDT_Ms)),
	C(8, "0f 01 20", 3, ID(SMSW_Ev)),
	C(8, "0f 01 30", 3, ID(LMSW_Ew)),
	C(8, "0f 01 cc", 3, UD("reserved")),
	C(8, "0f 01 e8", 3, UD("SERIALIZE")),
	C(8, "0f 01 d0", 3, ID(XGETBV)),
	C(8, "0f 01 28", 3, UD("reserved")),
	C(8, "0f 00 c0", 3, ID(SLDT_Ev)),
	C(8, "0f 00 08", 3, ID(STR_Ev)),
	C(8, "0f 00 d0", 3, ID(LLDT_Ew)),
	C(8, "0f 00 18", 3, ID(LTR_Ew)),
	C(8, "0f 00 e0", 3, ID(VERR_Ew)),
	C(8, "0f 00 28", 3, ID(VERW_Ew)),
	C(8, "0f 00 38", 3, UD("reserved")),
	C(8, "0f 02 c1", 3, ID(LAR_GvEw)),
	C(8, "0f 03 01", 3, ID(LSL_GvEw)),
	/* VMX: the right length, #UD for now */
	C(8, "0f 01 c1", 3, UD("VMX instructions are not implemented yet")),
	C(8, "0f 01 c2", 3, UD("VMLAUNCH")),
	C(8, "0f 01 c3", 3, UD("VMRESUME")),
	C(8, "0f 01 c4", 3, UD("VMXOFF")),
	C(8, "0f 01 d4", 3, UD("VMFUNC")),
	C(8, "0f 78 c8", 3, UD("VMREAD")),
	C(8, "0f 79 44 24 08", 5, UD("VMWRITE")),
	C(8, "0f c7 74 24 08", 5, UD("VMPTRLD")),
	C(8, "66 0f c7 30", 4, UD("VMCLEAR")),
	C(8, "f3 0f c7 30", 4, UD("VMXON")),
	C(8, "0f c7 38", 3, UD("VMPTRST")),
	C(8, "66 0f 38 80 08", 5, UD("INVEPT")),
	C(8, "66 0f 38 81 08", 5, UD("INVVPID")),
	/* Group 15 */
	C(8, "0f ae e8", 3, ID(LFENCE)),
	C(8, "0f ae f0", 3, ID(MFENCE)),
	C(8, "0f ae f8", 3, ID(SFENCE)),
	C(8, "0f ae 38", 3, ID(CLFLUSH_Mb)),
	C(8, "66 0f ae 38", 4, ID(CLFLUSHOPT_Mb)),
	C(8, "0f ae 00", 3, ID(FXSAVE_M)),
	C(8, "48 0f ae 00", 4, ID(FXSAVE_M), OS(8)),
	C(8, "66 0f ae 00", 4, UD("reserved")),
	C(8, "0f ae 08", 3, ID(FXRSTOR_M)),
	C(8, "0f ae 54 24 fc", 5, ID(LDMXCSR_Md)),
	C(8, "0f ae 18", 3, ID(STMXCSR_Md)),
	C(8, "0f ae 20", 3, ID(XSAVE_M)),
	C(8, "0f c7 20", 3, ID(XSAVEC_M)),
	C(8, "0f c7 28", 3, ID(XSAVES_M)),
	C(8, "0f c7 18", 3, ID(XRSTORS_M)),
	C(8, "0f 01 d1", 3, ID(XSETBV)),
	C(8, "f3 0f ae c8", 4, ID(RDGSBASE_Ry)),
	C(8, "f3 0f ae d0", 4, ID(WRFSBASE_Ry)),
	C(4, "f3 0f ae c0", 4, ID(RDFSBASE_Ry), UD("only valid in 64-bit mode")),
	/* Group 9 */
	C(8, "0f c7 08", 3, ID(CMPXCHG8B_Mq), OS(4)),
	C(8, "48 0f c7 08", 4, ID(CMPXCHG16B_Mdq), OS(8)),
	C(8, "0f c7 c8", 3, UD("register operand")),
	/* Reserved ModRM forms */
	C(8, "8d c0", 2, ID(LEA_GvM), UD("lea with a register operand")),
	C(4, "0f b2 c0", 3, ID(LSS_GvMp), UD("register operand")),
	C(4, "0f b4 00", 3, ID(LFS_GvMp)),
	C(4, "0f b5 c0", 3, ID(LGS_GvMp), UD("register operand")),
	C(4, "c4 00", 2, ID(LES_GvMp)),
	C(4, "c5 18", 2, ID(LDS_GvMp)),
	C(4, "62 00", 2, ID(BOUND_GvMa)),
	C(8, "ff d8", 2, ID(CALLF_Mp), UD("register operand")),
	C(8, "ff e8", 2, ID(JMPF_Mp), UD("register operand")),
	C(8, "ff f8", 2, UD("reserved")),
	C(8, "fe 10", 2, UD("reserved")),
	C(8, "8f 20", 2, UD("reserved")),
	C(8, "0f 38 f0 c0", 4, ID(MOVBE_GvMv), UD("register operand")),
	/* MOV Sreg: reg 6, 7 reserved; no MOV to CS; REX.R ignored */
	C(8, "8e d8", 2, ID(MOV_SwEw), REGS(SEG_DS, REG_RAX)),
	C(8, "44 8e d8", 3, ID(MOV_SwEw), REGS(SEG_DS, REG_RAX)),
	C(8, "8e 10", 2, ID(MOV_SwEw), .chk_regs = true, .reg = SEG_SS, .rm = 0),
	C(8, "48 8c e0", 3, ID(MOV_EvSw), OS(8), REGS(SEG_FS, REG_RAX)),
	C(8, "8c c8", 2, ID(MOV_EvSw), REGS(SEG_CS, REG_RAX)),
	C(8, "8e c8", 2, ID(MOV_SwEw), UD("MOV to CS")),
	C(8, "8e f0", 2, ID(MOV_SwEw), UD("reserved segment register")),
	C(8, "8c f8", 2, ID(MOV_EvSw), UD("reserved segment register")),
	/* MOV CR/DR: reserved registers */
	C(8, "0f 20 c8", 3, ID(MOV_RdCd), UD("reserved control register")),
	C(8, "0f 22 e8", 3, ID(MOV_CdRd), UD("reserved control register")),
	C(8, "44 0f 22 c8", 4, ID(MOV_CdRd), UD("reserved control register")),
	C(8, "44 0f 21 c0", 4, ID(MOV_RdDd), UD("DR8")),
	C(4, "0f 24 c0", 3, UD("test register")),
	/* Multi-byte NOPs and hints, prefetches */
	C(8, "0f 1f 00", 3, ID(NOP_Ev)),
	C(8, "0f 1f 44 00 00", 5, ID(NOP_Ev)),
	C(8, "66 0f 1f 84 00 00 00 00 00", 9, ID(NOP_Ev)),
	C(8, "66 2e 0f 1f 84 00 00 00 00 00", 10, ID(NOP_Ev)),
	C(8, "0f 19 c0", 3, ID(NOP_Ev)),
	C(8, "0f 1e c8", 3, ID(NOP_Ev)),
	C(8, "f3 0f 1e fa", 4, ID(NOP_Ev)),
	C(8, "f3 0f 1e fb", 4, ID(NOP_Ev)),
	C(8, "0f 1a 00", 3, ID(NOP_Ev)),
	C(8, "0f 18 00", 3, ID(PREFETCH_Mb)),
	C(8, "0f 18 4c 24 40", 5, ID(PREFETCH_Mb)),
	C(8, "0f 18 20", 3, ID(NOP_Ev)),
	C(8, "0f 18 c0", 3, ID(NOP_Ev)),
	C(8, "0f 0d 08", 3, ID(PREFETCH_Mb)),
	C(8, "0f 0d c8", 3, ID(NOP_Ev)),
	C(8, "90", 1, ID(NOP)),
	C(8, "66 90", 2, ID(NOP)),
	C(8, "48 90", 2, ID(NOP)),
	C(8, "f3 90", 2, ID(PAUSE)),
	C(8, "41 90", 2, ID(XCHG_ZvrAX), OS(4), .chk_regs = true, .reg = 2, .rm = 8),
	C(8, "93", 1, ID(XCHG_ZvrAX), .chk_regs = true, .reg = 2, .rm = 3),
	/* MOVBE, CRC32 */
	C(8, "0f 38 f0 00", 4, ID(MOVBE_GvMv), OS(4)),
	C(8, "66 0f 38 f1 00", 5, ID(MOVBE_MvGv), OS(2)),
	C(8, "f2 0f 38 f0 c0", 5, ID(CRC32_GyEb)),
	/* UD0/UD1/UD2 */
	C(8, "0f 0b", 2, ID(UD2)),
	C(8, "0f b9 c0", 3, ID(UD1_GvEv)),
	C(8, "0f b9 44 24 08", 5, ID(UD1_GvEv)),
	C(8, "0f ff c0", 3, ID(UD0_GvEv)),
	/* Group 1-5, 11 */
	C(8, "81 38 78 56 34 12", 6, ID(CMP_EvIz), IMM(0x12345678)),
	C(8, "d1 e0", 2, ID(SHL_Ev1)),
	C(8, "d1 f0", 2, ID(SHL_Ev1)),
	C(8, "d3 f8", 2, ID(SAR_EvCL)),
	C(8, "d0 c8", 2, ID(ROR_Eb1)),
	C(8, "d2 d0", 2, ID(RCL_EbCL)),
	C(8, "f7 f1", 2, ID(DIV_Ev)),
	C(8, "f7 e9", 2, ID(IMUL_Ev)),
	C(8, "f6 e1", 2, ID(MUL_Eb)),
	C(8, "f7 d0", 2, ID(NOT_Ev)),
	C(8, "fe c8", 2, ID(DEC_Eb)),
	C(8, "ff c0", 2, ID(INC_Ev)),
	C(8, "c7 c0 01 00 00 00", 6, ID(MOV_EvIz)),
	C(8, "c7 c8 01 00 00 00", 2, UD("reserved")),
	C(8, "c6 f8 01", 3, UD("XABORT")),
	C(8, "c7 f8 00 00 00 00", 6, UD("XBEGIN")),
	C(8, "66 c7 f8 00 00", 5, UD("XBEGIN")),
	C(4, "40", 1, ID(INC_Zv), .chk_regs = true, .reg = 0, .rm = 0),
	C(4, "4f", 1, ID(DEC_Zv), .chk_regs = true, .reg = 1, .rm = 7),
	C(8, "0f 05", 2, ID(SYSCALL)),
	C(4, "0f 05", 2, ID(SYSCALL), UD("only valid in 64-bit mode")),
	C(4, "0f 07", 2, ID(SYSRET), UD("only valid in 64-bit mode")),
	C(4, "0f 34", 2, ID(SYSENTER)),
	C(8, "48 0f 35", 3, ID(SYSEXIT), OS(8)),
	C(8, "0f 30", 2, ID(WRMSR)),
	C(8, "0f a2", 2, ID(CPUID)),
	C(8, "0f 4f c1", 3, ID(CMOVcc_GvEv)),
	C(8, "0f af c1", 3, ID(IMUL_GvEv)),
	C(8, "0f b1 0a", 3, ID(CMPXCHG_EvGv)),
	C(8, "0f c0 e0", 3, ID(XADD_EbGb), REGS(AH, REG_RAX)),
	C(8, "f4", 1, ID(HLT)),
	C(8, "f1", 1, ID(INT1)),
	C(8, "d7", 1, ID(XLAT)),
	C(8, "0f aa", 2, ID(RSM)),
};

/* Opcodes that are #UD in 64-bit mode (SDM Vol. 2D A.2.5 "i64"), and what
 * they are elsewhere; 62/C4/C5 become EVEX/VEX and 63 MOVSXD. */
static const struct dcase inv64_cases[] = {
	C(8, "06", 1, ID(PUSH_Sw), UD("PUSH ES is not valid in 64-bit mode")),
	C(4, "06", 1, ID(PUSH_Sw)),
	C(8, "07", 1, UD("POP ES")),
	C(4, "07", 1, ID(POP_Sw)),
	C(8, "0e", 1, UD("PUSH CS")),
	C(4, "0e", 1, ID(PUSH_Sw)),
	C(8, "16", 1, UD("PUSH SS")),
	C(4, "16", 1, ID(PUSH_Sw)),
	C(8, "17", 1, UD("POP SS")),
	C(4, "17", 1, ID(POP_Sw)),
	C(8, "1e", 1, UD("PUSH DS")),
	C(4, "1e", 1, ID(PUSH_Sw)),
	C(8, "1f", 1, UD("POP DS")),
	C(4, "1f", 1, ID(POP_Sw)),
	C(8, "27", 1, UD("DAA")),
	C(4, "27", 1, ID(DAA)),
	C(8, "2f", 1, UD("DAS")),
	C(4, "2f", 1, ID(DAS)),
	C(8, "37", 1, UD("AAA")),
	C(4, "37", 1, ID(AAA)),
	C(8, "3f", 1, UD("AAS")),
	C(4, "3f", 1, ID(AAS)),
	C(8, "60", 1, UD("PUSHA")),
	C(4, "60", 1, ID(PUSHA)),
	C(8, "61", 1, UD("POPA")),
	C(2, "61", 1, ID(POPA), OS(2)),
	C(8, "82 c0 01", 3, UD("82 /0 is not valid in 64-bit mode")),
	C(4, "82 c0 01", 3, ID(ADD_EbIb), IMM(1)),
	C(4, "82 3c 24 01", 4, ID(CMP_EbIb)),
	C(8, "9a 78 56 34 12 00 10", 7, UD("CALL far")),
	C(4, "9a 78 56 34 12 00 10", 7, ID(CALLF_Ap)),
	C(8, "ce", 1, UD("INTO")),
	C(4, "ce", 1, ID(INTO)),
	C(8, "d4 0a", 2, UD("AAM")),
	C(4, "d4 0a", 2, ID(AAM_Ib)),
	C(8, "d5 0a", 2, UD("AAD")),
	C(4, "d5 0a", 2, ID(AAD_Ib), IMM(10)),
	C(8, "d6", 1, UD("SALC")),
	C(4, "d6", 1, ID(SALC)),
	C(8, "ea 78 56 34 12 00 10", 7, UD("JMP far")),
	C(4, "ea 78 56 34 12 00 10", 7, ID(JMPF_Ap)),
	C(8, "63 c1", 2, ID(MOVSXD_GvEd)),
	C(4, "63 c1", 2, ID(ARPL_EwGw)),
	/* 62, C4, C5: always EVEX/VEX in 64-bit mode, BOUND/LES/LDS
	 * elsewhere unless the next byte has mod = 3 (2.3.3) */
	C(8, "62 f1 7c 48 58 c0", 6, ID(INVALID), UD("EVEX")),
	C(4, "62 f1 7c 48 58 c0", 6, ID(INVALID), UD("EVEX")),
	C(4, "62 01", 2, ID(BOUND_GvMa)),
	C(8, "c5 f8 77", 3, ID(INVALID), UD("VEX")),
	C(4, "c5 f8 77", 3, ID(INVALID), UD("VEX")),
	C(2, "c5 f8 77", 3, ID(INVALID), UD("VEX")),
	C(4, "c5 00", 2, ID(LDS_GvMp)),
	C(8, "c4 e2 79 00 c1", 5, UD("VEX")),
	C(4, "c4 00", 2, ID(LES_GvMp)),
	C(8, "40 48 50", 3, ID(PUSH_Zv)),
	/* x87 escapes decode to one form that applies the CR0.EM/TS rules
	 * (the x87 unit itself is not modelled yet); WAIT likewise. */
	C(8, "d9 c0", 2, ID(ESC_X87)),
	C(8, "dd 04 24", 3, ID(ESC_X87)),
	C(8, "d8 05 00 00 00 00", 6, ID(ESC_X87)),
	C(4, "df e0", 2, ID(ESC_X87)),
	C(8, "9b", 1, ID(WAIT)),
};

/* Encodings this CPU model does not execute: the full length and a
 * reason. x87, MMX/SSE (mandatory prefixes, 0F 38, 0F 3A with imm8),
 * 3DNow!, VEX, EVEX (disp8*N does not change the length), XOP. */
static const struct dcase unsupported_cases[] = {
	/* MMX and SSE: the mandatory prefix selects the form (the last of
	 * F2/F3, else 66), 0F 3A has an imm8 */
	C(8, "66 0f 6f c1", 4, ID(MOVDQA_VxWx), REGS(0, 1)),
	C(8, "0f 6f c1", 3, ID(MOVQ_PqQq)),
	C(8, "f3 0f 6f 44 24 10", 6, ID(MOVDQU_VxWx)),
	C(8, "f2 0f 6f c1", 4, UD("reserved")),
	C(8, "0f 28 05 00 10 00 00", 7, ID(MOVAPS_VpsWps)),
	C(8, "f2 0f 10 00", 4, ID(MOVSD_VsdWsd)),
	C(8, "66 f2 0f 10 00", 5, ID(MOVSD_VsdWsd)),
	C(8, "f2 66 0f 10 00", 5, ID(MOVSD_VsdWsd)),
	C(8, "66 0f 70 c1 1b", 5, ID(PSHUFD_VxWxIb), IMM(0x1b)),
	C(8, "66 0f 73 d9 08", 5, ID(PSRLDQ_UxIb), REGS(3, 1)),
	C(8, "0f c2 c1 01", 4, ID(CMPPS_VpsWpsIb)),
	C(8, "66 0f c4 c0 07", 5, ID(PINSRW_VdqEwIb)),
	C(8, "0f c6 c1 44", 4, ID(SHUFPS_VpsWpsIb)),
	C(8, "66 0f 38 00 c1", 5, ID(PSHUFB_VxWx)),
	C(8, "66 0f 38 17 04 24", 6, ID(PTEST_VxWx)),
	C(8, "66 0f 3a 0f c1 08", 6, ID(PALIGNR_VxWxIb), IMM(8)),
	C(8, "66 0f 3a 63 04 24 08", 7, ID(PCMPISTRI_VdqWdqIb)),
	C(8, "66 0f 3a ff c1 08", 6, UD("reserved")),
	C(8, "0f 38 ff c1", 4, UD("reserved")),
	C(8, "66 0f 3a 44 c1 00", 6, UD("PCLMULQDQ")),
	C(8, "66 0f 38 dc c1", 5, UD("AES-NI")),
	C(8, "0f 77", 2, ID(EMMS)),
	C(8, "0f 0f c1 b4", 4, UD("3DNow!")),
	C(8, "0f 0f 44 24 08 b4", 6, UD("3DNow!")),
	C(8, "66 0f 78 c0 01 02", 6, UD("EXTRQ")),
	C(8, "f2 0f 79 c1", 4, UD("INSERTQ")),
	C(8, "c5 f9 70 c1 05", 5, UD("VEX")),
	C(8, "c5 fd 6f 44 24 20", 6, UD("VEX")),
	C(8, "c4 e3 79 0f c1 08", 6, UD("VEX")),
	C(8, "c4 e2 7d 18 05 00 10 00 00", 9, UD("VEX")),
	C(8, "66 c5 f8 77", 4, UD("after a LOCK, 66, F2, F3 or REX prefix")),
	C(8, "48 c5 f8 77", 4, UD("after a LOCK, 66, F2, F3 or REX prefix")),
	C(8, "62 f1 7d 48 70 c1 05", 7, UD("EVEX")),
	C(8, "62 f1 7c 48 58 40 01", 7, UD("EVEX")),
	C(8, "62 f1 7c 48 58 80 00 01 00 00", 10, UD("EVEX")),
	C(8, "62 f3 7d 48 0f c1 08", 7, UD("EVEX")),
	C(8, "62 f5 7c 48 58 c0", 6, UD("AVX512-FP16")),
	C(8, "8f e8 78 c0 c1 05", 6, UD("XOP")),
	C(8, "8f e9 78 80 c1", 5, UD("XOP")),
	C(8, "8f ea 78 10 c1 78 56 34 12", 9, UD("XOP")),
	C(4, "8f e8 78 c0 00 05", 6, UD("XOP")),
	C(8, "0f 37", 2, UD("GETSEC")),
	C(8, "0f a7 c0", 3, UD("PadLock")),
};

static void test_prefixes(void **state) { (void)state; RUN(prefix_cases); }
static void test_addressing_16(void **state) { (void)state; RUN(addr16_cases); }
static void test_addressing_sib_rex(void **state) { (void)state; RUN(sib_cases); }
static void test_byte_registers(void **state) { (void)state; RUN(byte_reg_cases); }
static void test_operand_sizes_and_immediates(void **state)
{
	(void)state;
	RUN(opsize_cases);
}
static void test_forms(void **state) { (void)state; RUN(form_cases); }
static void test_invalid_in_64bit(void **state) { (void)state; RUN(inv64_cases); }
static void test_unsupported(void **state) { (void)state; RUN(unsupported_cases); }

/* Every prefix byte, repeated: the decoder must stop at 15 bytes however
 * the prefixes are mixed, in every mode. */
static void test_length_limit_all_prefixes(void **state)
{
	(void)state;
	static const uint8_t pfx[] = { 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e,
				       0x64, 0x65, 0x66, 0x67, 0x48 };
	for (unsigned mode = 2; mode <= 8; mode *= 2) {
		for (unsigned k = 0; k < sizeof pfx; k++) {
			uint8_t b[16];
			memset(b, pfx[k], sizeof b);
			struct insn i;
			if (pfx[k] == 0x48 && mode != 8)
				continue; /* DEC eAX outside 64-bit mode */
			assert_int_equal(decode_insn(&i, b, sizeof b, mode),
					 DECODE_TOO_LONG);
			b[14] = 0x90;
			assert_int_equal(decode_insn(&i, b, sizeof b, mode), 15);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_addressing_16),
		cmocka_unit_test(test_addressing_sib_rex),
		cmocka_unit_test(test_byte_registers),
		cmocka_unit_test(test_operand_sizes_and_immediates),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_invalid_in_64bit),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_length_limit_all_prefixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
