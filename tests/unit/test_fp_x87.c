/* The f80 (x87) operations of cpu/fp.h against the host's x87 unit: every
 * rounding mode and precision control, masked and unmasked exceptions
 * (the host records them in FSW without trapping), hard and random
 * operands including pseudo-denormals and unsupported encodings. Results
 * on the stack and in memory, the exception flags, ES, C0-C3 and TOP must
 * match the host bit for bit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cpu/fp.h"

#define FPT_SCALE 4 /* default run: a few seconds */
#include "tests/unit/fp_x87_host.h"

#if defined(__x86_64__)

/* ---- Host forms ---- */

X87_HOST(fadd, X87_LD2, ".byte 0xd8, 0xc1")   /* FADD ST(0), ST(1) */
X87_HOST(fsub, X87_LD2, ".byte 0xd8, 0xe1")   /* FSUB ST(0), ST(1) */
X87_HOST(fsubr, X87_LD2, ".byte 0xd8, 0xe9")  /* FSUBR ST(0), ST(1) */
X87_HOST(fmul, X87_LD2, ".byte 0xd8, 0xc9")   /* FMUL ST(0), ST(1) */
X87_HOST(fdiv, X87_LD2, ".byte 0xd8, 0xf1")   /* FDIV ST(0), ST(1) */
X87_HOST(fdivr, X87_LD2, ".byte 0xd8, 0xf9")  /* FDIVR ST(0), ST(1) */
X87_HOST(fsqrt, X87_LD1, ".byte 0xd9, 0xfa")
X87_HOST(frndint, X87_LD1, ".byte 0xd9, 0xfc")
X87_HOST(fprem, X87_LD2, ".byte 0xd9, 0xf8")
X87_HOST(fprem1, X87_LD2, ".byte 0xd9, 0xf5")
X87_HOST(fscale, X87_LD2, ".byte 0xd9, 0xfd")
X87_HOST(fxtract, X87_LD1, ".byte 0xd9, 0xf4")
X87_HOST(fxam, X87_LD1, ".byte 0xd9, 0xe5")
X87_HOST(fabs, X87_LD1, ".byte 0xd9, 0xe1")
X87_HOST(fchs, X87_LD1, ".byte 0xd9, 0xe0")
X87_HOST(ftst, X87_LD1, ".byte 0xd9, 0xe4")
X87_HOST(fcom, X87_LD2, ".byte 0xd8, 0xd1")   /* FCOM ST(1) */
X87_HOST(fucom, X87_LD2, ".byte 0xdd, 0xe1")  /* FUCOM ST(1) */
X87_HOST(fcomi, X87_LD2, ".byte 0xdb, 0xf1")  /* FCOMI ST(0), ST(1) */
X87_HOST(fucomi, X87_LD2, ".byte 0xdb, 0xe9") /* FUCOMI ST(0), ST(1) */
X87_HOST(fldl2t, X87_LD0, ".byte 0xd9, 0xe9")
X87_HOST(fldl2e, X87_LD0, ".byte 0xd9, 0xea")
X87_HOST(fldpi, X87_LD0, ".byte 0xd9, 0xeb")
X87_HOST(fldlg2, X87_LD0, ".byte 0xd9, 0xec")
X87_HOST(fldln2, X87_LD0, ".byte 0xd9, 0xed")
X87_HOST(fst_m32, X87_LD1, "fsts %[mem]")
X87_HOST(fst_m64, X87_LD1, "fstl %[mem]")
X87_HOST(fist_m16, X87_LD1, "fists %[mem]")
X87_HOST(fist_m32, X87_LD1, "fistl %[mem]")
X87_HOST(fistp_m64, X87_LD1, "fistpll %[mem]")
X87_HOST(fisttp_m16, X87_LD1, "fisttps %[mem]")
X87_HOST(fisttp_m32, X87_LD1, "fisttpl %[mem]")
X87_HOST(fisttp_m64, X87_LD1, "fisttpll %[mem]")
X87_HOST(fbstp, X87_LD1, "fbstp %[bcd]")
X87_HOST(fld_m32, X87_LD0, "flds %[mem]")
X87_HOST(fld_m64, X87_LD0, "fldl %[mem]")
X87_HOST(fbld, X87_LD0, "fbld %[bcd]")
X87_HOST(fadd_m32, X87_LD1, "fadds %[mem]")
X87_HOST(fmul_m64, X87_LD1, "fmull %[mem]")
X87_HOST(fcom_m32, X87_LD1, "fcoms %[mem]")
X87_HOST(fild_m64, X87_LD0, "fildll %[mem]")

/* ---- Library models ---- */

static void arith2(struct fp_env *e, const struct x87_run *in,
		   struct x87_expect *o, struct f80 r)
{
	o->depth = 2;
	o->st[0] = x87_pre_trap(e) ? in->a : r;
	o->st[1] = in->b;
	o->cc = x87_c1(e);
	o->cc_undefined = true;
}

#define BIN(name, call)                                                      \
	static void l_##name(struct fp_env *e, const struct x87_run *in,    \
			     struct x87_expect *o)                          \
	{                                                                   \
		arith2(e, in, o, call);                                     \
	}
BIN(fadd, fp_f80_add(e, in->a, in->b))
BIN(fsub, fp_f80_sub(e, in->a, in->b))
BIN(fsubr, fp_f80_sub(e, in->b, in->a))
BIN(fmul, fp_f80_mul(e, in->a, in->b))
BIN(fdiv, fp_f80_div(e, in->a, in->b))
BIN(fdivr, fp_f80_div(e, in->b, in->a))
BIN(fscale, fp_f80_scale(e, in->a, in->b))

#define UN(name, call)                                                       \
	static void l_##name(struct fp_env *e, const struct x87_run *in,    \
			     struct x87_expect *o)                          \
	{                                                                   \
		x87_expect_st0(e, in, o, call);                                     \
	}
UN(fsqrt, fp_f80_sqrt(e, in->a))
UN(frndint, fp_f80_round_int(e, in->a))
UN(fabs, fp_f80_abs(in->a))
UN(fchs, fp_f80_chs(in->a))

static void prem(struct fp_env *e, const struct x87_run *in,
		 struct x87_expect *o, bool ieee)
{
	uint16_t cc;
	struct f80 r = fp_f80_prem(e, in->a, in->b, ieee, &cc);
	o->depth = 2;
	o->st[0] = x87_pre_trap(e) ? in->a : r;
	o->st[1] = in->b;
	o->cc = cc;
}

static void l_fprem(struct fp_env *e, const struct x87_run *in,
		    struct x87_expect *o)
{
	prem(e, in, o, false);
}

static void l_fprem1(struct fp_env *e, const struct x87_run *in,
		     struct x87_expect *o)
{
	prem(e, in, o, true);
}

static void l_fxtract(struct fp_env *e, const struct x87_run *in,
		      struct x87_expect *o)
{
	struct f80 sig, ex = fp_f80_xtract(e, in->a, &sig);
	if (x87_pre_trap(e)) {
		o->depth = 1;
		o->st[0] = in->a;
	} else {
		o->depth = 2;
		o->st[0] = sig;
		o->st[1] = ex;
	}
	o->cc_undefined = true;
}

static void l_fxam(struct fp_env *e, const struct x87_run *in,
		   struct x87_expect *o)
{
	(void)e;
	o->depth = 1;
	o->st[0] = in->a;
	o->cc = fp_f80_xam(in->a, false);
}

/* FCOM/FTST condition codes (SDM Vol. 2 FCOM, table 3-21). */
static uint16_t rel_cc(enum fp_rel r)
{
	static const uint16_t cc[4] = { FP_C0, FP_C3, 0, FP_C3 | FP_C2 | FP_C0 };
	return cc[r];
}

static void cmp2(struct fp_env *e, const struct x87_run *in,
		 struct x87_expect *o, bool signalling, bool eflags)
{
	enum fp_rel r = fp_f80_compare(e, in->a, in->b, signalling);
	o->depth = 2;
	o->st[0] = in->a;
	o->st[1] = in->b;
	if (eflags) {
		o->cmp_ah = true;
		o->ah = fpt_rel_ah(r);
	} else {
		o->cc = rel_cc(r);
	}
}

static void l_fcom(struct fp_env *e, const struct x87_run *in,
		   struct x87_expect *o)
{
	cmp2(e, in, o, true, false);
}

static void l_fucom(struct fp_env *e, const struct x87_run *in,
		    struct x87_expect *o)
{
	cmp2(e, in, o, false, false);
}

static void l_fcomi(struct fp_env *e, const struct x87_run *in,
		    struct x87_expect *o)
{
	cmp2(e, in, o, true, true);
}

static void l_fucomi(struct fp_env *e, const struct x87_run *in,
		     struct x87_expect *o)
{
	cmp2(e, in, o, false, true);
}

static void l_ftst(struct fp_env *e, const struct x87_run *in,
		   struct x87_expect *o)
{
	enum fp_rel r = fp_f80_compare(e, in->a, fp_f80_make(false, 0, 0), true);
	o->depth = 1;
	o->st[0] = in->a;
	o->cc = rel_cc(r);
}

#define CONST(name, k)                                                       \
	static void l_##name(struct fp_env *e, const struct x87_run *in,    \
			     struct x87_expect *o)                          \
	{                                                                   \
		(void)in;                                                   \
		o->depth = 1;                                               \
		o->st[0] = fp_f80_const(e, k);                              \
	}
CONST(fldl2t, FP_CONST_L2T)
CONST(fldl2e, FP_CONST_L2E)
CONST(fldpi, FP_CONST_PI)
CONST(fldlg2, FP_CONST_LG2)
CONST(fldln2, FP_CONST_LN2)

static void store(struct fp_env *e, const struct x87_run *in,
		  struct x87_expect *o, uint64_t v, unsigned bytes, bool pop)
{
	uint64_t m = bytes == 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
	bool trap = x87_store_trap(e);
	o->mem = trap ? in->mem : (in->mem & ~m) | (v & m);
	o->depth = pop && !trap ? 0 : 1;
	o->st[0] = in->a;
	o->cc = x87_c1(e);
	o->cc_undefined = true;
}

#define STORE(name, call, bytes, pop)                                        \
	static void l_##name(struct fp_env *e, const struct x87_run *in,    \
			     struct x87_expect *o)                          \
	{                                                                   \
		store(e, in, o, call, bytes, pop);                          \
	}
STORE(fst_m32, fp_f80_to_f32(e, in->a), 4, false)
STORE(fst_m64, fp_f80_to_f64(e, in->a), 8, false)
STORE(fist_m16, fp_f80_to_int(e, in->a, 16, false), 2, false)
STORE(fist_m32, fp_f80_to_int(e, in->a, 32, false), 4, false)
STORE(fistp_m64, fp_f80_to_int(e, in->a, 64, false), 8, true)
STORE(fisttp_m16, fp_f80_to_int(e, in->a, 16, true), 2, true)
STORE(fisttp_m32, fp_f80_to_int(e, in->a, 32, true), 4, true)
STORE(fisttp_m64, fp_f80_to_int(e, in->a, 64, true), 8, true)

static void l_fbstp(struct fp_env *e, const struct x87_run *in,
		    struct x87_expect *o)
{
	uint8_t bcd[10];
	fp_f80_to_bcd(e, in->a, bcd);
	bool trap = x87_store_trap(e);
	memcpy(o->bcd, trap ? in->bcd : bcd, 10);
	o->depth = trap ? 1 : 0;
	o->st[0] = in->a;
	o->cc = x87_c1(e);
	o->cc_undefined = true;
}

static void load(struct fp_env *e, struct x87_expect *o, struct f80 v)
{
	o->depth = (e->flags & ~e->masks & FP_X_IE) ? 0 : 1;
	o->st[0] = v;
	o->cc_undefined = true;
}

static void l_fld_m32(struct fp_env *e, const struct x87_run *in,
		      struct x87_expect *o)
{
	load(e, o, fp_f32_to_f80(e, (uint32_t)in->mem));
	o->mem = in->mem;
}

static void l_fld_m64(struct fp_env *e, const struct x87_run *in,
		      struct x87_expect *o)
{
	load(e, o, fp_f64_to_f80(e, in->mem));
	o->mem = in->mem;
}

static void l_fild_m64(struct fp_env *e, const struct x87_run *in,
		       struct x87_expect *o)
{
	load(e, o, fp_int_to_f80((int64_t)in->mem));
	o->mem = in->mem;
}

static void l_fbld(struct fp_env *e, const struct x87_run *in,
		   struct x87_expect *o)
{
	load(e, o, fp_bcd_to_f80(in->bcd));
	memcpy(o->bcd, in->bcd, 10);
}

/* Widening a memory operand: DE counts only if ST(0) is not a NaN or an
 * unsupported encoding (cpu/fp.h). */
static void keep_de(struct fp_env *e, struct f80 st0, uint8_t before)
{
	enum fp_class k = fp_f80_class(st0);
	if (k == FP_CLASS_QNAN || k == FP_CLASS_SNAN
	    || k == FP_CLASS_UNSUPPORTED)
		e->flags = before;
}

static struct f80 operand32(struct fp_env *e, uint32_t m, struct f80 st0)
{
	uint8_t before = e->flags;
	struct f80 v = fp_f32_to_f80_operand(e, m);
	keep_de(e, st0, before);
	return v;
}

static struct f80 operand64(struct fp_env *e, uint64_t m, struct f80 st0)
{
	uint8_t before = e->flags;
	struct f80 v = fp_f64_to_f80_operand(e, m);
	keep_de(e, st0, before);
	return v;
}

static void l_fadd_m32(struct fp_env *e, const struct x87_run *in,
		       struct x87_expect *o)
{
	struct f80 m = operand32(e, (uint32_t)in->mem, in->a);
	struct f80 r = x87_pre_trap(e) ? in->a : fp_f80_add(e, in->a, m);
	x87_expect_st0(e, in, o, r);
	o->mem = in->mem;
}

static void l_fmul_m64(struct fp_env *e, const struct x87_run *in,
		       struct x87_expect *o)
{
	struct f80 m = operand64(e, in->mem, in->a);
	struct f80 r = x87_pre_trap(e) ? in->a : fp_f80_mul(e, in->a, m);
	x87_expect_st0(e, in, o, r);
	o->mem = in->mem;
}

static void l_fcom_m32(struct fp_env *e, const struct x87_run *in,
		       struct x87_expect *o)
{
	struct f80 m = operand32(e, (uint32_t)in->mem, in->a);
	enum fp_rel r = fp_f80_compare(e, in->a, m, true);
	o->depth = 1;
	o->st[0] = in->a;
	o->mem = in->mem;
	o->cc = rel_cc(r);
}

/* ---- Operand kinds ---- */

enum {
	K_NONE,    /* constants */
	K_ONE,     /* ST(0) */
	K_TWO,     /* ST(0), ST(1) */
	K_PROD,    /* ST(0), ST(1) near the product/quotient limits */
	K_INT,     /* ST(0) in the integer range */
	K_PREM,    /* ST(0), ST(1) with close or distant exponents */
	K_SCALE,   /* ST(1) a small integer */
	K_M32,     /* an f32 in memory (and ST(0)) */
	K_M64,
	K_MINT,    /* a 64-bit integer in memory */
	K_BCD,     /* packed BCD in memory */
};

#define X(n, k, loads) { #n, x_##n, l_##n, loads, k }
static const struct x87_form forms[] = {
	X(fadd, K_TWO, 2), X(fsub, K_TWO, 2), X(fsubr, K_TWO, 2),
	X(fmul, K_PROD, 2), X(fdiv, K_PROD, 2), X(fdivr, K_PROD, 2),
	X(fsqrt, K_ONE, 1), X(frndint, K_INT, 1),
	X(fprem, K_PREM, 2), X(fprem1, K_PREM, 2), X(fscale, K_SCALE, 2),
	X(fxtract, K_ONE, 1), X(fxam, K_ONE, 1), X(fabs, K_ONE, 1),
	X(fchs, K_ONE, 1), X(ftst, K_ONE, 1),
	X(fcom, K_TWO, 2), X(fucom, K_TWO, 2), X(fcomi, K_TWO, 2),
	X(fucomi, K_TWO, 2),
	X(fldl2t, K_NONE, 0), X(fldl2e, K_NONE, 0), X(fldpi, K_NONE, 0),
	X(fldlg2, K_NONE, 0), X(fldln2, K_NONE, 0),
	X(fst_m32, K_ONE, 1), X(fst_m64, K_ONE, 1),
	X(fist_m16, K_INT, 1), X(fist_m32, K_INT, 1), X(fistp_m64, K_INT, 1),
	X(fisttp_m16, K_INT, 1), X(fisttp_m32, K_INT, 1),
	X(fisttp_m64, K_INT, 1), X(fbstp, K_INT, 1),
	X(fld_m32, K_M32, 0), X(fld_m64, K_M64, 0), X(fild_m64, K_MINT, 0),
	X(fbld, K_BCD, 0), X(fadd_m32, K_M32, 1), X(fmul_m64, K_M64, 1),
	X(fcom_m32, K_M32, 1),
};
#define NFORMS (sizeof forms / sizeof forms[0])

static void operands(const struct x87_form *f, struct x87_run *r)
{
	r->a = fpt_f80();
	r->b = fpt_f80();
	r->mem = fpt_rand();
	for (int i = 0; i < 10; i++)
		r->bcd[i] = (uint8_t)fpt_rand();
	int ea = r->a.sign_exp & 0x7fff;
	switch (f->kind) {
	case K_TWO:
		if (fpt_below(2))
			r->b = fpt_f80_near(ea);
		break;
	case K_PROD:
		if (f->host == x_fmul && fpt_below(3) == 0) {
			/* Product just below a power of two at the chosen
			 * precision, placed at the under/overflow limits. */
			static const unsigned pcb[4] = { 24, 64, 53, 64 };
			uint64_t x, y, sea, seb;
			fpt_threshold_pair(15, 64, pcb[(r->cw >> 8) & 3], 30000,
					   &x, &y, &sea, &seb);
			r->a = (struct f80){ x, (uint16_t)sea };
			r->b = (struct f80){ y, (uint16_t)seb };
		} else if (fpt_below(3) == 0)
			r->b = fpt_f80_near(ea);
		else if (fpt_below(2))
			r->b = fpt_f80_near(fpt_partner_exp(15, (unsigned)ea,
							    f->host == x_fdiv));
		break;
	case K_INT:
		r->a = fpt_f80_near(16383 + (int)fpt_below(67) - 2);
		break;
	case K_PREM:
		if (fpt_below(2))
			r->b = fpt_f80_near(ea - (int)fpt_below(160) + 20);
		break;
	case K_SCALE:
		if (fpt_below(3) == 0 && (ea != 0 && ea != 0x7fff)) {
			/* A result exponent around the limits, wrapped or
			 * not. */
			static const int lim[4] = { -24576, 0, 32767,
						    32767 + 24576 };
			int t = lim[fpt_below(4)] + (int)fpt_below(140) - 70;
			r->b = fp_int_to_f80(t - ea);
		} else {
			r->b = fpt_f80_near(16383 + (int)fpt_below(20) - 2);
		}
		break;
	case K_ONE:
		if (f->host == x_fst_m32 && fpt_below(2))
			r->a = fpt_f80_near(fpt_below(2) ? 16383 - 126 : 16383 + 127);
		else if (f->host == x_fst_m64 && fpt_below(2))
			r->a = fpt_f80_near(fpt_below(2) ? 16383 - 1022 : 16383 + 1023);
		break;
	case K_M32:
		r->mem = fpt_f32();
		break;
	case K_M64:
		r->mem = fpt_f64();
		break;
	case K_MINT:
		r->mem = fpt_sig(64) ^ (fpt_below(2) ? ~0ull : 0);
		break;
	case K_BCD:
		for (int i = 0; i < 9; i++)
			r->bcd[i] = (uint8_t)(fpt_below(10) << 4 | fpt_below(10));
		r->bcd[9] = fpt_below(2) ? 0x80 : 0;
		break;
	default:
		break;
	}
}

static void run_case(const struct x87_form *f, struct x87_run *r,
		     struct fpt_tally *t)
{
	struct x87_check c;
	x87_run_both(f, r, &c);
	bool ok = ((r->sw ^ c.lsw) & c.mask) == 0 && r->mem == c.x.mem
		&& memcmp(r->bcd, c.x.bcd, 10) == 0
		&& (!c.x.cmp_ah || (r->ah & 0x45) == (c.x.ah & 0x45));
	for (unsigned i = 0; i < c.x.depth && i < 2; i++)
		ok = ok && fp_f80_same(x87_saved_st(r, i), c.x.st[i]);
	t->cases++;
	t->traps += c.es;
	/* Denormal results with reduced precision control are the case
	 * worth counting. */
	bool den = c.x.depth && (c.x.st[0].sign_exp & 0x7fff) == 0
		&& c.x.st[0].signif && ((c.in.cw >> 8) & 3) != 3;
	fpt_cover_add(&t->cover, c.e.flags, c.es, den);
	if (!ok && ++t->mismatches <= 8)
		x87_report(f, r, &c);
}

static const char *form_name(size_t i)
{
	return forms[i].name;
}

static void random_case(size_t i, struct fpt_tally *t)
{
	struct x87_run r;
	memset(&r, 0, sizeof r);
	r.cw = x87_random_cw();
	operands(&forms[i], &r);
	run_case(&forms[i], &r, t);
}

static const struct fpt_forms x87_forms = {
	NFORMS, form_name, random_case, 0x87870000u,
};

static void run_forms(const char *prefix, unsigned n)
{
	fpt_run_forms(&x87_forms, prefix, n);
}

static void test_arith(void **state)
{
	(void)state;
	run_forms("fadd", fpt_cases(50000));
	run_forms("fsub", fpt_cases(30000));
	run_forms("fmul", fpt_cases(50000));
	run_forms("fdiv", fpt_cases(50000));
	run_forms("fsqrt", fpt_cases(30000));
}

static void test_misc(void **state)
{
	(void)state;
	run_forms("frndint", fpt_cases(30000));
	run_forms("fprem", fpt_cases(30000));
	run_forms("fscale", fpt_cases(30000));
	run_forms("fxtract", fpt_cases(20000));
	run_forms("fxam", fpt_cases(10000));
	run_forms("fabs", fpt_cases(2000));
	run_forms("fchs", fpt_cases(2000));
	run_forms("fld", fpt_cases(2000));
}

static void test_compare(void **state)
{
	(void)state;
	run_forms("ftst", fpt_cases(10000));
	run_forms("fcom", fpt_cases(20000));
	run_forms("fucom", fpt_cases(20000));
}

static void test_convert(void **state)
{
	(void)state;
	run_forms("fst", fpt_cases(30000));
	run_forms("fist", fpt_cases(20000));
	run_forms("fbstp", fpt_cases(20000));
	run_forms("fld_", fpt_cases(20000));
	run_forms("fild", fpt_cases(10000));
	run_forms("fbld", fpt_cases(10000));
}

static void test_summary(void **state)
{
	(void)state;
	fpt_summary("x87", NFORMS);
}

#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
#if defined(__x86_64__)
		cmocka_unit_test(test_arith),
		cmocka_unit_test(test_misc),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_summary),
#else
		cmocka_unit_test(fpt_not_x86),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
