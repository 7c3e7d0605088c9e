/* Differential test of the x87 instructions against the host CPU. A case
 * is one x87 instruction form with a random x87 state (registers drawn
 * from the hard values: zeros, infinities, QNaNs and SNaNs with payloads,
 * denormals, pseudo-denormals, unnormals and the other unsupported
 * encodings, the extreme normals, integer limits), a random control word
 * (every rounding and precision control, masked and unmasked
 * exceptions), random EFLAGS and a random memory operand. The state goes
 * in with FRSTOR and comes out with FNSAVE on both sides: natively in an
 * RWX page at a fixed address (64-bit mode), and in the simulator on a
 * CPU in 64-bit mode at CPL 3 with the same addresses mapped. Compared:
 * the whole FNSAVE image (FCW, FSW with C0-C3 and TOP, the tag word,
 * FOP, FIP, FDP, the eight registers), RAX, the arithmetic flags, the
 * scratch memory, and the fault (#MF for a pending exception, #UD for a
 * reserved opcode). Condition codes that an instruction's SDM page calls
 * undefined are not compared. Where this host (an AMD Zen 4) departs from
 * the SDM and the simulator follows the SDM, the case counts as a named
 * host quirk, not a mismatch; transcendental results one unit in the
 * last place apart (or with another C1) are such a quirk and each is
 * listed on a "TRANS" line.
 *
 *   x87_diff [--cases N] [--seed S] [--print N] [--verbose]
 *
 * Prints "SUMMARY: x87 diff: N forms covered, M cases run, K mismatches"
 * and exits non-zero on any mismatch. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/model.h"
#include "cpu/regs.h"
#include "cpu/state.h"
#include "tests/diff/lib/harness.h"

/* The region (tests/diff/lib/harness.h): code, context, data. */
#define REGION 0x20000000ull
#define REGION_SIZE 0x4000ull
#define CODE (REGION + 0x0000)
#define CTX (REGION + 0x1000)        /* flags in, rax in, flags out, rax out */
#define HOST_RSP (REGION + 0x1040)
#define SAVE_IN (REGION + 0x1100)    /* FNSAVE images, 108 bytes */
#define SAVE_OUT (REGION + 0x1200)
#define SCR (REGION + 0x2000)        /* memory operands, compared */
#define SCR_SIZE 0x200u
#define OPND (SCR + 0x40)            /* the memory operand's address */
#define SAVE_SIZE 108
#define ARITH (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF)

struct outcome {
	int fault;                   /* vector, or -1 */
	uint8_t save[SAVE_SIZE];
	uint64_t flags, rax;
	uint8_t scr[SCR_SIZE];
};

/* ---- forms ---- */

enum { K_MEM, K_REG, K_ONE };

struct form {
	const char *name;
	uint8_t esc;    /* D8..DF */
	uint8_t reg;    /* ModRM.reg */
	uint8_t kind;   /* K_MEM: memory; K_REG: ST(i) in rm; K_ONE: modrm rm */
	uint8_t rm;
	uint8_t size;   /* memory operand bytes */
	bool trans;     /* a transcendental instruction */
};

#define M(n, e, r, s) { n, 0x##e, r, K_MEM, 0, s, false }
#define R(n, e, r) { n, 0x##e, r, K_REG, 0, 0, false }
#define O(n, e, r, m) { n, 0x##e, r, K_ONE, m, 0, false }
#define T(n, e, r, m) { n, 0x##e, r, K_ONE, m, 0, true }

static const struct form forms[] = {
	M("fadd m32", D8, 0, 4), M("fmul m32", D8, 1, 4), M("fcom m32", D8, 2, 4),
	M("fcomp m32", D8, 3, 4), M("fsub m32", D8, 4, 4), M("fsubr m32", D8, 5, 4),
	M("fdiv m32", D8, 6, 4), M("fdivr m32", D8, 7, 4),
	M("fld m32", D9, 0, 4), M("fst m32", D9, 2, 4), M("fstp m32", D9, 3, 4),
	M("fldenv", D9, 4, 28), M("fldcw", D9, 5, 2), M("fnstenv", D9, 6, 28),
	M("fnstcw", D9, 7, 2),
	M("fiadd m32", DA, 0, 4), M("fimul m32", DA, 1, 4), M("ficom m32", DA, 2, 4),
	M("ficomp m32", DA, 3, 4), M("fisub m32", DA, 4, 4), M("fisubr m32", DA, 5, 4),
	M("fidiv m32", DA, 6, 4), M("fidivr m32", DA, 7, 4),
	M("fild m32", DB, 0, 4), M("fisttp m32", DB, 1, 4), M("fist m32", DB, 2, 4),
	M("fistp m32", DB, 3, 4), M("fld m80", DB, 5, 10), M("fstp m80", DB, 7, 10),
	M("fadd m64", DC, 0, 8), M("fmul m64", DC, 1, 8), M("fcom m64", DC, 2, 8),
	M("fcomp m64", DC, 3, 8), M("fsub m64", DC, 4, 8), M("fsubr m64", DC, 5, 8),
	M("fdiv m64", DC, 6, 8), M("fdivr m64", DC, 7, 8),
	M("fld m64", DD, 0, 8), M("fisttp m64", DD, 1, 8), M("fst m64", DD, 2, 8),
	M("fstp m64", DD, 3, 8), M("frstor", DD, 4, 108), M("fnsave", DD, 6, 108),
	M("fnstsw m16", DD, 7, 2),
	M("fiadd m16", DE, 0, 2), M("fimul m16", DE, 1, 2), M("ficom m16", DE, 2, 2),
	M("ficomp m16", DE, 3, 2), M("fisub m16", DE, 4, 2), M("fisubr m16", DE, 5, 2),
	M("fidiv m16", DE, 6, 2), M("fidivr m16", DE, 7, 2),
	M("fild m16", DF, 0, 2), M("fisttp m16", DF, 1, 2), M("fist m16", DF, 2, 2),
	M("fistp m16", DF, 3, 2), M("fbld", DF, 4, 10), M("fild m64", DF, 5, 8),
	M("fbstp", DF, 6, 10), M("fistp m64", DF, 7, 8),
	R("fadd st,st(i)", D8, 0), R("fmul st,st(i)", D8, 1), R("fcom st(i)", D8, 2),
	R("fcomp st(i)", D8, 3), R("fsub st,st(i)", D8, 4), R("fsubr st,st(i)", D8, 5),
	R("fdiv st,st(i)", D8, 6), R("fdivr st,st(i)", D8, 7),
	R("fld st(i)", D9, 0), R("fxch", D9, 1), O("fnop", D9, 2, 0),
	R("fstp1", D9, 3), O("fchs", D9, 4, 0), O("fabs", D9, 4, 1),
	O("ftst", D9, 4, 4), O("fxam", D9, 4, 5), O("fld1", D9, 5, 0),
	O("fldl2t", D9, 5, 1), O("fldl2e", D9, 5, 2), O("fldpi", D9, 5, 3),
	O("fldlg2", D9, 5, 4), O("fldln2", D9, 5, 5), O("fldz", D9, 5, 6),
	T("f2xm1", D9, 6, 0), T("fyl2x", D9, 6, 1), T("fptan", D9, 6, 2),
	T("fpatan", D9, 6, 3), O("fxtract", D9, 6, 4), O("fprem1", D9, 6, 5),
	O("fdecstp", D9, 6, 6), O("fincstp", D9, 6, 7), O("fprem", D9, 7, 0),
	T("fyl2xp1", D9, 7, 1), O("fsqrt", D9, 7, 2), T("fsincos", D9, 7, 3),
	O("frndint", D9, 7, 4), O("fscale", D9, 7, 5), T("fsin", D9, 7, 6),
	T("fcos", D9, 7, 7),
	R("fcmovb", DA, 0), R("fcmove", DA, 1), R("fcmovbe", DA, 2), R("fcmovu", DA, 3),
	O("fucompp", DA, 5, 1),
	R("fcmovnb", DB, 0), R("fcmovne", DB, 1), R("fcmovnbe", DB, 2),
	R("fcmovnu", DB, 3), O("fneni", DB, 4, 0), O("fndisi", DB, 4, 1),
	O("fnclex", DB, 4, 2), O("fninit", DB, 4, 3), O("fnsetpm", DB, 4, 4),
	R("fucomi", DB, 5), R("fcomi", DB, 6),
	R("fadd st(i),st", DC, 0), R("fmul st(i),st", DC, 1), R("fcom2", DC, 2),
	R("fcomp3", DC, 3), R("fsubr st(i),st", DC, 4), R("fsub st(i),st", DC, 5),
	R("fdivr st(i),st", DC, 6), R("fdiv st(i),st", DC, 7),
	R("ffree", DD, 0), R("fxch4", DD, 1), R("fst st(i)", DD, 2),
	R("fstp st(i)", DD, 3), R("fucom", DD, 4), R("fucomp", DD, 5),
	R("faddp", DE, 0), R("fmulp", DE, 1), R("fcomp5", DE, 2), O("fcompp", DE, 3, 1),
	R("fsubrp", DE, 4), R("fsubp", DE, 5), R("fdivrp", DE, 6), R("fdivp", DE, 7),
	R("ffreep", DF, 0), R("fxch7", DF, 1), R("fstp8", DF, 2), R("fstp9", DF, 3),
	O("fnstsw ax", DF, 4, 0), R("fucomip", DF, 5), R("fcomip", DF, 6),
	/* Reserved encodings: #UD on both sides. */
	O("(d9 d1)", D9, 2, 1), O("(d9 e2)", D9, 4, 2), O("(d9 e7)", D9, 4, 7),
	O("(d9 ef)", D9, 5, 7), O("(da e0)", DA, 4, 0), O("(da e8)", DA, 5, 0),
	O("(da f8)", DA, 7, 0), O("(db e5)", DB, 4, 5), O("(db f8)", DB, 7, 0),
	O("(dd f0)", DD, 6, 0), O("(dd f8)", DD, 7, 0), O("(de d8)", DE, 3, 0),
	O("(df e1)", DF, 4, 1), O("(df f8)", DF, 7, 0),
	M("(d9 /1)", D9, 1, 4), M("(db /4)", DB, 4, 4), M("(db /6)", DB, 6, 4),
	M("(dd /5)", DD, 5, 4),
};

#define N_FORMS (sizeof(forms) / sizeof(forms[0]))

#define C0 0x0100u
#define C1 0x0200u
#define C2 0x0400u
#define C3 0x4000u

/* The condition codes each instruction's SDM page calls undefined
 * ("Flags Affected"), which no oracle decides. */
static const struct {
	const char *prefix;
	uint16_t undef;
} undef_cc[] = {
	{ "fcom", 0 }, { "ficom", 0 }, { "fucom", 0 }, { "ftst", 0 },
	{ "fxam", 0 }, { "fprem", 0 }, { "fninit", 0 }, { "fnsave", 0 },
	{ "fldenv", 0 }, { "frstor", 0 }, { "fnstenv", 0 },
	{ "fptan", C0 | C3 }, { "fsin", C0 | C3 }, { "fcos", C0 | C3 },
	{ "fsincos", C0 | C3 },
	{ "fnclex", C0 | C1 | C2 | C3 }, { "fnop", C0 | C1 | C2 | C3 },
	{ "ffree", C0 | C1 | C2 | C3 }, { "fldcw", C0 | C1 | C2 | C3 },
	{ "fnstcw", C0 | C1 | C2 | C3 }, { "fnstsw", C0 | C1 | C2 | C3 },
	{ "fneni", C0 | C1 | C2 | C3 }, { "fndisi", C0 | C1 | C2 | C3 },
	{ "fnsetpm", C0 | C1 | C2 | C3 },
};

static uint16_t form_undef(const struct form *f)
{
	for (unsigned k = 0; k < sizeof(undef_cc) / sizeof(undef_cc[0]); k++)
		if (!strncmp(f->name, undef_cc[k].prefix, strlen(undef_cc[k].prefix)))
			return undef_cc[k].undef;
	return C0 | C2 | C3;
}

/* ---- random values ---- */

/* An 80-bit value from the hard cases or at random. */
static void rnd_f80(uint64_t *sig, uint16_t *se)
{
	uint16_t s = diff_rndn(2) ? 0x8000 : 0;
	uint64_t r = diff_rnd();
	switch (diff_rndn(20)) {
	case 0: *sig = 0; *se = s; return;                              /* zero */
	case 1: *sig = 1ull << 63; *se = s | 0x7fff; return;            /* inf */
	case 2: *sig = (3ull << 62) | (r >> diff_rndn(64) >> 2); *se = s | 0x7fff; return; /* QNaN */
	case 3: *sig = (1ull << 63) | ((r >> 2) | 1); *se = s | 0x7fff; return; /* SNaN */
	case 4: *sig = r >> 1 >> diff_rndn(63); *se = s; if (!*sig) *sig = 1; return; /* denormal */
	case 5: *sig = (1ull << 63) | (r >> 1); *se = s; return;        /* pseudo-denormal */
	case 6: *sig = r >> 1; *se = s | (uint16_t)(1 + diff_rndn(0x7ffe)); return; /* unnormal */
	case 7: *sig = r >> 1; *se = s | 0x7fff; return;                /* pseudo-NaN/inf */
	case 8: *sig = ~0ull; *se = s | 0x7ffe; return;                  /* largest */
	case 9: *sig = 1ull << 63; *se = s | 1; return;                  /* smallest */
	case 10: *sig = 0xc000000000000000ull; *se = 0xffff; return;     /* indefinite */
	case 11: /* small integers and halves */
		*sig = (1ull << 63) | (r >> 4 << 3 >> 56 << 52);
		*se = s | (uint16_t)(0x3fff + diff_rndn(20));
		return;
	case 12: /* around the integer limits */
		*sig = (1ull << 63) | (diff_rndn(2) ? r >> 40 : 0);
		*se = s | (uint16_t)(0x3fff + (diff_rndn(3) == 0 ? 15 : diff_rndn(2) ? 31 : 63) - diff_rndn(2));
		return;
	case 13: /* near 1.0 and in [-1, 1] */
		*sig = (1ull << 63) | (r >> 1);
		*se = s | (uint16_t)(0x3fff - diff_rndn(70));
		return;
	case 14: /* huge and tiny exponents */
		*sig = (1ull << 63) | (r >> 1);
		*se = s | (uint16_t)(diff_rndn(2) ? 0x7ffe - diff_rndn(64) : 1 + diff_rndn(64));
		return;
	case 15: /* the f32/f64 overflow and underflow boundaries */
		*sig = (1ull << 63) | (r >> 1);
		*se = s | (uint16_t)(0x3fff + (diff_rndn(2) ? 1 : -1) *
				     (int)(diff_rndn(2) ? 127 + diff_rndn(4) : 1023 + diff_rndn(4)) -
				     (diff_rndn(2) ? diff_rndn(60) : 0));
		return;
	default:
		*sig = (1ull << 63) | (r >> 1);
		*se = s | (uint16_t)(0x3fff - 40 + diff_rndn(80));
		return;
	}
}

static uint32_t rnd_f32(void)
{
	uint32_t s = diff_rndn(2) ? 0x80000000u : 0, r = (uint32_t)diff_rnd();
	switch (diff_rndn(10)) {
	case 0: return s;
	case 1: return s | 0x7f800000u;
	case 2: return s | 0x7fc00000u | (r & 0x3fffff);
	case 3: return s | 0x7f800000u | ((r & 0x3fffff) | 1);
	case 4: return s | (r & 0x7fffff);
	case 5: return s | 0x7f7fffffu;
	case 6: return s | 0x00800000u;
	default: return s | ((uint32_t)(127 - 30 + diff_rndn(60)) << 23) | (r & 0x7fffff);
	}
}

static uint64_t rnd_f64(void)
{
	uint64_t s = diff_rndn(2) ? 1ull << 63 : 0, r = diff_rnd();
	switch (diff_rndn(10)) {
	case 0: return s;
	case 1: return s | 0x7ff0000000000000ull;
	case 2: return s | 0x7ff8000000000000ull | (r & 0x7ffffffffffffull);
	case 3: return s | 0x7ff0000000000000ull | ((r & 0x7ffffffffffffull) | 1);
	case 4: return s | (r & 0xfffffffffffffull);
	case 5: return s | 0x7fefffffffffffffull;
	case 6: return s | 0x0010000000000000ull;
	default: return s | ((uint64_t)(1023 - 60 + diff_rndn(120)) << 52) | (r & 0xfffffffffffffull);
	}
}

static uint64_t rnd_int(unsigned bytes)
{
	static const int64_t edge[] = { 0, 1, -1, 2, 0x7fff, -0x8000, 0x7fffffff,
		-0x80000000ll, 0x7fffffffffffffffll, (int64_t)0x8000000000000000ull };
	if (diff_rndn(3) == 0)
		return (uint64_t)edge[diff_rndn(10)];
	return diff_rnd() >> diff_rndn(8 * bytes);
}

/* Packed BCD, mostly valid digits. */
static void rnd_bcd(uint8_t *b)
{
	for (unsigned k = 0; k < 9; k++)
		b[k] = (uint8_t)(diff_rndn(10) << 4 | diff_rndn(10));
	if (diff_rndn(10) == 0)
		b[diff_rndn(9)] = (uint8_t)diff_rnd();
	b[9] = diff_rndn(2) ? 0x80 : 0;
	if (diff_rndn(20) == 0)
		b[9] |= (uint8_t)diff_rndn(128);
}

/* ---- cases ---- */

struct testcase {
	const struct form *f;
	uint8_t insn[16];
	unsigned len;
	uint8_t save[SAVE_SIZE];     /* FRSTOR image, 32-bit layout */
	uint64_t flags, rax;
	uint8_t scr[SCR_SIZE];
};

static void put16(uint8_t *b, unsigned off, uint16_t v)
{
	memcpy(b + off, &v, 2);
}

static void gen_state(struct testcase *t)
{
	uint8_t *b = t->save;
	memset(b, 0, SAVE_SIZE);
	uint16_t fcw = (uint16_t)(diff_rnd() & 0x1f3f);
	switch (diff_rndn(4)) {
	case 0: fcw |= 0x3f; break;             /* all masked */
	case 1: fcw &= ~0x3f; break;            /* all unmasked */
	default: break;
	}
	unsigned top = diff_rndn(8);
	uint16_t fsw = (uint16_t)((diff_rnd() & 0x4700) | top << 11);
	/* Sticky flags that are masked; now and then a pending one. */
	uint16_t flags = (uint16_t)(diff_rnd() & 0x3f & fcw);
	if (diff_rndn(40) == 0)
		flags |= (uint16_t)(diff_rnd() & 0x3f);
	fsw |= flags;
	uint16_t ftw = 0;
	for (unsigned p = 0; p < 8; p++)
		if (diff_rndn(8) == 0)
			ftw |= (uint16_t)(3u << (2 * p));
	put16(b, 0, fcw);
	put16(b, 4, fsw);
	put16(b, 8, ftw);
	for (unsigned s = 0; s < 8; s++) {
		uint64_t sig;
		uint16_t se;
		rnd_f80(&sig, &se);
		memcpy(b + 28 + 10 * s, &sig, 8);
		put16(b, 28 + 10 * s + 8, se);
	}
}

static void gen_memory(struct testcase *t)
{
	for (unsigned k = 0; k < SCR_SIZE; k += 8) {
		uint64_t v = diff_rnd();
		memcpy(t->scr + k, &v, 8);
	}
	uint8_t *m = t->scr + (OPND - SCR);
	const struct form *f = t->f;
	switch (f->size) {
	case 4: {
		uint32_t v = (f->esc == 0xd8 || f->esc == 0xd9) ? rnd_f32() :
			     (uint32_t)rnd_int(4);
		memcpy(m, &v, 4);
		break;
	}
	case 8: {
		uint64_t v = (f->esc == 0xdc || f->esc == 0xdd) ? rnd_f64() :
			     rnd_int(8);
		memcpy(m, &v, 8);
		break;
	}
	case 2: {
		uint16_t v = (uint16_t)rnd_int(2);
		if (f->esc == 0xd9 && f->reg == 5 && diff_rndn(2))
			v = (uint16_t)((v & 0xffc0) | 0x3f);
		memcpy(m, &v, 2);
		break;
	}
	case 10:
		if (f->esc == 0xdf)
			rnd_bcd(m);
		else {
			uint64_t sig;
			uint16_t se;
			rnd_f80(&sig, &se);
			memcpy(m, &sig, 8);
			memcpy(m + 8, &se, 2);
		}
		break;
	case 28: case 108: {
		/* An environment (and registers) in the 32-bit layout. */
		struct testcase tmp;
		gen_state(&tmp);
		memcpy(m, tmp.save, f->size);
		for (unsigned k = 0; k < 3; k++)
			put16(m, 4 * k + 2, (uint16_t)(diff_rndn(4) ? 0xffff : diff_rnd()));
		break;
	}
	default:
		break;
	}
}

static void gen_case(struct testcase *t)
{
	const struct form *f = &forms[diff_rndn(N_FORMS)];
	t->f = f;
	gen_state(t);
	gen_memory(t);
	t->flags = 2 | (diff_rnd() & ARITH);
	t->rax = diff_rnd();
	unsigned n = 0;
	/* The 16-bit layouts of the environment instructions. */
	if (f->size == 28 || f->size == 108) {
		if (diff_rndn(2))
			t->insn[n++] = 0x66;
	}
	t->insn[n++] = f->esc;
	if (f->kind == K_MEM) {
		t->insn[n++] = (uint8_t)(f->reg << 3 | 4);   /* [disp32] via SIB */
		t->insn[n++] = 0x25;
		uint32_t a = (uint32_t)OPND;
		memcpy(t->insn + n, &a, 4);
		n += 4;
	} else {
		unsigned rm = f->kind == K_ONE ? f->rm : diff_rndn(8);
		t->insn[n++] = (uint8_t)(0xc0 | f->reg << 3 | rm);
	}
	t->len = n;
}

/* ---- native side ---- */

/* The stub: save the host's callee-saved registers and RSP, FRSTOR the
 * input, load RFLAGS and RAX, run the instruction, FNSAVE the output,
 * store RFLAGS and RAX, return. Returns the instruction's address. */
static uint64_t native_build(const struct testcase *t)
{
	struct diff_emit e = { diff_at(CODE) };
	diff_emit_prologue(&e, HOST_RSP);
	diff_ebytes(&e, "\xdd\x24\x25", 3);              /* frstor [SAVE_IN] */
	diff_e32(&e, SAVE_IN);
	diff_ebytes(&e, "\x48\xc7\xc4", 3);              /* mov rsp, CTX */
	diff_e32(&e, CTX);
	diff_e8(&e, 0x9d);                               /* popfq */
	diff_ebytes(&e, "\x48\x8b\x04\x25", 4);          /* mov rax, [CTX+8] */
	diff_e32(&e, CTX + 8);
	uint64_t insn_at = CODE + (uint64_t)(e.p - diff_at(CODE));
	diff_ebytes(&e, t->insn, t->len);
	diff_ebytes(&e, "\xdd\x34\x25", 3);              /* fnsave [SAVE_OUT] */
	diff_e32(&e, SAVE_OUT);
	diff_ebytes(&e, "\x48\x89\x04\x25", 4);          /* mov [CTX+24], rax */
	diff_e32(&e, CTX + 24);
	diff_ebytes(&e, "\x48\xc7\xc4", 3);              /* mov rsp, CTX+24 */
	diff_e32(&e, CTX + 24);
	diff_e8(&e, 0x9c);                               /* pushfq -> CTX+16 */
	diff_emit_epilogue(&e, HOST_RSP);
	return insn_at;
}

static void native_run(const struct testcase *t, struct outcome *o,
		       uint64_t *insn_at)
{
	*insn_at = native_build(t);
	memcpy(diff_at(SAVE_IN), t->save, SAVE_SIZE);
	uint64_t *ctx = (uint64_t *)diff_at(CTX);
	ctx[0] = t->flags;
	ctx[1] = t->rax;
	memcpy(diff_at(SCR), t->scr, SCR_SIZE);
	o->fault = diff_native_call(CODE);
	if (o->fault < 0) {
		memcpy(o->save, diff_at(SAVE_OUT), SAVE_SIZE);
		o->flags = ctx[2];
		o->rax = ctx[3];
	} else {
		/* The signal left the host's x87 unit in some state; start
		 * the next case from a clean one. */
		__asm__ volatile("fninit");
		memset(o->save, 0, SAVE_SIZE);
		o->flags = t->flags;
		o->rax = t->rax;
	}
	memcpy(o->scr, diff_at(SCR), SCR_SIZE);
}

/* ---- simulated side ---- */

static struct cpu *cpu;

static void sim_setup(void)
{
	/* The default model with the x87 unit advertised, whatever the
	 * default says today. */
	struct cpu_model m = *model_default();
	for (unsigned k = 0; k < m.n_cpuid; k++)
		if (m.cpuid[k].leaf == 1)
			m.cpuid[k].edx |= 1u;
	cpu = diff_sim_cpu(&m, 0);
	uint16_t cs, ds;
	__asm__("mov %%cs, %0; mov %%ds, %1" : "=r"(cs), "=r"(ds));
	diff_sim_user64(cpu, CR0_PG | CR0_NE | CR0_ET | CR0_MP | CR0_PE,
			CR4_PAE, cs, ds);
}

/* Runs bytes as one instruction at rip; returns the fault or -1. The
 * decoder gives a reserved encoding no handler: #UD. */
static int sim_exec(const uint8_t *bytes, unsigned len, uint64_t rip)
{
	int fault = diff_sim_exec(cpu, bytes, len, rip, NULL);
	return fault == DIFF_NO_HANDLER ? EXC_UD : fault;
}

static void sim_run(const struct testcase *t, struct outcome *o,
		    uint64_t insn_at)
{
	struct cpu *c = cpu;
	memcpy(diff_sim_at(SAVE_IN), t->save, SAVE_SIZE);
	memcpy(diff_sim_at(SCR), t->scr, SCR_SIZE);
	static const uint8_t frstor[] = { 0xdd, 0x24, 0x25,
		(uint8_t)SAVE_IN, (uint8_t)(SAVE_IN >> 8),
		(uint8_t)(SAVE_IN >> 16), (uint8_t)(SAVE_IN >> 24) };
	static const uint8_t fnsave[] = { 0xdd, 0x34, 0x25,
		(uint8_t)SAVE_OUT, (uint8_t)(SAVE_OUT >> 8),
		(uint8_t)(SAVE_OUT >> 16), (uint8_t)(SAVE_OUT >> 24) };
	static const uint8_t fninit[] = { 0xdb, 0xe3 };
	c->halted = false;
	if (sim_exec(fninit, sizeof(fninit), CODE) >= 0 ||
	    sim_exec(frstor, sizeof(frstor), CODE) >= 0) {
		o->fault = 101;
		return;
	}
	c->gpr[REG_RAX] = t->rax;
	c->rflags = 2;
	flags_write(c, t->flags, ~0ull);
	o->fault = sim_exec(t->insn, t->len, insn_at);
	if (o->fault < 0) {
		if (sim_exec(fnsave, sizeof(fnsave), insn_at + t->len) >= 0)
			o->fault = 102;
		memcpy(o->save, diff_sim_at(SAVE_OUT), SAVE_SIZE);
		o->flags = flags_read(c);
		o->rax = c->gpr[REG_RAX];
	} else {
		memset(o->save, 0, SAVE_SIZE);
		o->flags = t->flags;
		o->rax = t->rax;
	}
	memcpy(o->scr, diff_sim_at(SCR), SCR_SIZE);
}

/* ---- comparison ---- */

static bool same(const struct testcase *t, const struct outcome *n,
		 const struct outcome *s)
{
	if (n->fault != s->fault)
		return false;
	if (n->fault >= 0)
		return memcmp(n->scr, s->scr, SCR_SIZE) == 0;
	uint16_t undef = form_undef(t->f);
	uint8_t a[SAVE_SIZE], b[SAVE_SIZE];
	memcpy(a, n->save, SAVE_SIZE);
	memcpy(b, s->save, SAVE_SIZE);
	/* When the test is preempted between the instruction and its
	 * FNSAVE, the host kernel's XSAVE/XRSTOR of the x87 state loses what
	 * the REX.W layout has no room for (FCS, FDS) and, on this AMD host
	 * while no exception is pending, FIP, FOP and FDP too: they come
	 * back as 0. Such cases compare the rest. */
	static const uint8_t zero[14];
	if (!memcmp(a + 12, zero, 14) || (!a[16] && !a[17] && !a[24] && !a[25])) {
		if (!memcmp(a + 12, zero, 14))
			memcpy(a + 12, b + 12, 14);
		memcpy(a + 16, b + 16, 2);
		memcpy(a + 24, b + 24, 2);
	}
	a[4] &= (uint8_t)~undef, a[5] &= (uint8_t)~(undef >> 8);
	b[4] &= (uint8_t)~undef, b[5] &= (uint8_t)~(undef >> 8);
	return memcmp(a, b, SAVE_SIZE) == 0 &&
	       ((n->flags ^ s->flags) & ARITH) == 0 && n->rax == s->rax &&
	       memcmp(n->scr, s->scr, SCR_SIZE) == 0;
}

/* Known differences between this host (an AMD Zen 4) and the SDM, where
 * the simulator follows the SDM. A mismatch is counted as a host quirk
 * only if taking the fields the quirk covers from the simulator's
 * outcome makes the native one identical. */
enum { Q_COMPARE_UNMASKED, Q_FCOMI_C1, Q_TRANS, Q_COUNT };

static const char *const quirk_names[Q_COUNT] = {
	/* SDM Vol. 2A FCOM/FUCOM/FICOM/FTST/FCOMI: "flags not set if
	 * unmasked invalid-arithmetic-operand (#IA) exception is
	 * generated"; the host sets C3, C2, C0 (or ZF, PF, CF) anyway,
	 * also for an unmasked stack underflow or denormal operand. */
	"compare with an unmasked IE/DE writes C3 C2 C0 or ZF PF CF",
	/* SDM Vol. 2A FCOMI: "C1 Set to 0"; the host leaves C1. */
	"FCOMI/FUCOMI(P) leave C1 unchanged",
	/* SDM Vol. 1 8.3.10: the transcendental instructions are accurate
	 * to within 1 ulp; the simulator rounds the exact value, the host
	 * does not always (each case is listed). */
	"transcendental result 1 ulp apart or C1 different",
};

/* Two 80-bit encodings at most one unit in the last place apart. */
static bool ulp_apart(const uint8_t *a, const uint8_t *b)
{
	uint64_t sa, sb;
	uint16_t ea, eb;
	memcpy(&sa, a, 8);
	memcpy(&sb, b, 8);
	memcpy(&ea, a + 8, 2);
	memcpy(&eb, b + 8, 2);
	if ((ea ^ eb) & 0x8000)
		return false;
	/* As 79-bit magnitudes (exponent, fraction), adjacent values differ
	 * by one. */
	unsigned __int128 ma = (unsigned __int128)(ea & 0x7fff) << 63 | (sa & ~(1ull << 63));
	unsigned __int128 mb = (unsigned __int128)(eb & 0x7fff) << 63 | (sb & ~(1ull << 63));
	return ma - mb == 1 || mb - ma == 1;
}

static bool is_compare(const struct form *f)
{
	return !strncmp(f->name, "fcom", 4) || !strncmp(f->name, "ficom", 5) ||
	       !strncmp(f->name, "fucom", 5) || !strncmp(f->name, "ftst", 4);
}

static bool is_comi(const struct form *f)
{
	return strstr(f->name, "comi") != NULL;
}

static int quirk(const struct testcase *t, const struct outcome *n,
		 const struct outcome *s)
{
	if (n->fault >= 0 || s->fault >= 0)
		return -1;
	uint16_t nfsw, sfsw, ifsw, fcw;
	memcpy(&nfsw, n->save + 4, 2);
	memcpy(&sfsw, s->save + 4, 2);
	memcpy(&ifsw, t->save + 4, 2);
	memcpy(&fcw, n->save, 2);
	struct outcome m = *n;
	if (is_compare(t->f) && (nfsw & ~fcw & 3) && (sfsw & ~fcw & 3)) {
		uint16_t v = (uint16_t)((nfsw & ~(C0 | C1 | C2 | C3)) |
					(sfsw & (C0 | C1 | C2 | C3)));
		memcpy(m.save + 4, &v, 2);
		m.flags = s->flags;
		if (same(t, &m, s))
			return Q_COMPARE_UNMASKED;
	}
	m = *n;
	if (t->f->trans) {
		uint16_t v = (uint16_t)((nfsw & ~C1) | (sfsw & C1));
		memcpy(m.save + 4, &v, 2);
		for (unsigned r = 0; r < 8; r++)
			if (ulp_apart(m.save + 28 + 10 * r, s->save + 28 + 10 * r))
				memcpy(m.save + 28 + 10 * r, s->save + 28 + 10 * r, 10);
		if (same(t, &m, s))
			return Q_TRANS;
	}
	m = *n;
	if (is_comi(t->f) && ((nfsw ^ ifsw) & C1) == 0 && !(sfsw & C1)) {
		uint16_t v = (uint16_t)(nfsw & ~C1);
		memcpy(m.save + 4, &v, 2);
		if (same(t, &m, s))
			return Q_FCOMI_C1;
	}
	return -1;
}

static void print_save(const char *who, const uint8_t *b, const uint8_t *o)
{
	uint16_t v[4];
	memcpy(&v[0], b, 2);
	memcpy(&v[1], b + 4, 2);
	memcpy(&v[2], b + 8, 2);
	uint32_t fip, fop, fdp;
	memcpy(&fip, b + 12, 4);
	memcpy(&fop, b + 16, 4);
	memcpy(&fdp, b + 20, 4);
	printf("    %-6s fcw=%04x fsw=%04x ftw=%04x fip=%08x cs/fop=%08x fdp=%08x\n",
	       who, v[0], v[1], v[2], fip, fop, fdp);
	for (unsigned s = 0; s < 8; s++) {
		uint64_t sig;
		uint16_t se;
		memcpy(&sig, b + 28 + 10 * s, 8);
		memcpy(&se, b + 36 + 10 * s, 2);
		bool diff = o && memcmp(b + 28 + 10 * s, o + 28 + 10 * s, 10);
		printf("      st%u=%04x.%016" PRIx64 "%s", s, se, sig,
		       diff ? " *" : "");
		if (s % 2 == 1)
			printf("\n");
	}
}

static void print_case(const struct testcase *t, const struct outcome *n,
		       const struct outcome *s)
{
	printf("MISMATCH %s: bytes", t->f->name);
	diff_print_bytes(t->insn, t->len);
	uint64_t opnd;
	memcpy(&opnd, t->scr + (OPND - SCR), 8);
	printf("; flags=%03" PRIx64 " opnd=%016" PRIx64 "\n", t->flags & ARITH, opnd);
	print_save("input", t->save, NULL);
	printf("    native fault=%d flags=%03" PRIx64 " rax=%" PRIx64 "\n", n->fault,
	       n->flags & ARITH, n->rax);
	if (n->fault < 0)
		print_save("native", n->save, s->save);
	printf("    sim    fault=%d flags=%03" PRIx64 " rax=%" PRIx64 "%s%s\n", s->fault,
	       s->flags & ARITH, s->rax, s->fault >= 0 ? ": " : "",
	       s->fault >= 0 ? cpu->fault.reason : "");
	if (s->fault < 0)
		print_save("sim", s->save, n->save);
	if (memcmp(n->scr, s->scr, SCR_SIZE))
		for (unsigned k = 0; k < SCR_SIZE; k++)
			if (n->scr[k] != s->scr[k]) {
				printf("    memory differs first at scratch+0x%x: native %02x sim %02x\n",
				       k, n->scr[k], s->scr[k]);
				break;
			}
}

int main(int argc, char **argv)
{
	struct diff_args args = { .cases = 300000, .seed = 0x87d1ff5eedull,
				  .print = 20 };
	if (!diff_parse_args(&args, argc, argv))
		return 2;
	diff_seed(args.seed | 1);
	diff_setup("x87_diff", REGION, REGION_SIZE);
	sim_setup();
	static uint64_t per_form[N_FORMS], bad_form[N_FORMS];
	uint64_t mismatches = 0, quirks[Q_COUNT] = { 0 };
	static struct testcase t;
	static struct outcome n, s;
	for (uint64_t k = 0; k < args.cases; k++) {
		gen_case(&t);
		uint64_t insn_at;
		native_run(&t, &n, &insn_at);
		sim_run(&t, &s, insn_at);
		unsigned fi = (unsigned)(t.f - forms);
		per_form[fi]++;
		if (!same(&t, &n, &s)) {
			int q = quirk(&t, &n, &s);
			if (q >= 0) {
				quirks[q]++;
				if (q == Q_TRANS) {
					printf("TRANS %s input st0=", t.f->name);
					for (int b = 9; b >= 0; b--)
						printf("%02x%s", t.save[28 + b], b == 8 ? "." : "");
					printf(" st1=");
					for (int b = 9; b >= 0; b--)
						printf("%02x%s", t.save[38 + b], b == 8 ? "." : "");
					uint16_t fcw;
					memcpy(&fcw, t.save, 2);
					printf(" fcw=%04x: host and simulator differ in the last place or C1\n", fcw);
				}
				continue;
			}
			bad_form[fi]++;
			if (mismatches++ < args.print)
				print_case(&t, &n, &s);
		}
	}
	unsigned covered = 0;
	for (unsigned f = 0; f < N_FORMS; f++) {
		if (per_form[f])
			covered++;
		if (bad_form[f] || args.verbose)
			printf("  %-16s %8" PRIu64 " cases %8" PRIu64 " mismatches\n",
			       forms[f].name, per_form[f], bad_form[f]);
	}
	for (unsigned q = 0; q < Q_COUNT; q++)
		printf("host quirk (the simulator follows the SDM): %s: %" PRIu64
		       " cases\n", quirk_names[q], quirks[q]);
	return diff_summary("x87", covered, args.cases, mismatches);
}
