/* The x87 transcendental functions of cpu/fp.h, two ways.
 *
 * 1. Against values computed independently with 400-bit arithmetic
 *    (mpmath, tests/unit/fp_trans_ref.py, run by the build), rounded in
 *    each of the four rounding modes: the library must return exactly
 *    these, with C1 set exactly when it rounded the magnitude up (it aims
 *    at correct rounding).
 * 2. Against the host's x87 unit with random and hard operands, every
 *    rounding mode, masked and unmasked exceptions. Hardware results are
 *    not correctly rounded (Intel and AMD document errors below one
 *    ulp), so a result may differ from the host's by one ulp (and C1 with
 *    it); special operands, flags, C2 and stack effects must match
 *    exactly, and the share of bit-exact results is printed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cpu/fp.h"

#define FPT_SCALE 2 /* default run: a few seconds */
#include "tests/unit/fp_x87_host.h"

/* ---- 1. Correctly rounded reference values ---- */

struct ref {
	const char *fn;
	struct f80 x, y; /* ST(0), ST(1) */
	unsigned rc;     /* FCW.RC */
	struct f80 r;    /* the exact result rounded with rc */
	bool c1;         /* the rounding increased the magnitude */
};

#define V(se, sig) { sig##ull, 0x##se }
static const struct ref refs[] = {
#include "fp_trans_ref.inc"
};

static struct f80 lib_ref(const struct ref *t, struct fp_env *e)
{
	struct f80 r = { 0, 0 }, c;
	if (!strcmp(t->fn, "f2xm1"))
		r = fp_f80_f2xm1(e, t->x);
	else if (!strcmp(t->fn, "fyl2x"))
		r = fp_f80_fyl2x(e, t->x, t->y);
	else if (!strcmp(t->fn, "fyl2xp1"))
		r = fp_f80_fyl2xp1(e, t->x, t->y);
	else if (!strcmp(t->fn, "fsin"))
		fp_f80_sin(e, t->x, &r);
	else if (!strcmp(t->fn, "fcos"))
		fp_f80_cos(e, t->x, &r);
	else if (!strcmp(t->fn, "fptan"))
		fp_f80_tan(e, t->x, &r);
	else if (!strcmp(t->fn, "fpatan"))
		r = fp_f80_atan(e, t->x, t->y);
	else if (!strcmp(t->fn, "fsincos_cos"))
		fp_f80_sincos(e, t->x, &c, &r);
	return r;
}

static void test_correctly_rounded(void **state)
{
	(void)state;
	unsigned bad = 0;
	size_t n = sizeof refs / sizeof refs[0];
	for (size_t i = 0; i < n; i++) {
		struct fp_env e =
			fp_env_from_fcw((uint16_t)(0x037f | refs[i].rc << 10));
		struct f80 r = lib_ref(&refs[i], &e);
		if ((!fp_f80_same(r, refs[i].r) || e.c1 != refs[i].c1) &&
		    ++bad <= 10) {
			printf("  %s rc=%u c1=%d (want %d)", refs[i].fn,
			       refs[i].rc, e.c1, refs[i].c1);
			x87_print_f80("x", refs[i].x);
			x87_print_f80("y", refs[i].y);
			x87_print_f80("want", refs[i].r);
			x87_print_f80("got", r);
			printf("\n");
		}
	}
	printf("SUMMARY: fp trans: %zu correctly rounded reference values "
	       "(4 rounding modes, with C1), %u wrong\n", n, bad);
	assert_int_equal(bad, 0);
}

#if defined(__x86_64__)

/* ---- 2. Against the host ---- */

X87_HOST(f2xm1, X87_LD1, ".byte 0xd9, 0xf0")
X87_HOST(fyl2x, X87_LD2, ".byte 0xd9, 0xf1")
X87_HOST(fyl2xp1, X87_LD2, ".byte 0xd9, 0xf9")
X87_HOST(fsin, X87_LD1, ".byte 0xd9, 0xfe")
X87_HOST(fcos, X87_LD1, ".byte 0xd9, 0xff")
X87_HOST(fsincos, X87_LD1, ".byte 0xd9, 0xfb")
X87_HOST(fptan, X87_LD1, ".byte 0xd9, 0xf2")
X87_HOST(fpatan, X87_LD2, ".byte 0xd9, 0xf3")

static void l_f2xm1(struct fp_env *e, const struct x87_run *in,
		    struct x87_expect *o)
{
	x87_expect_st0(e, in, o, fp_f80_f2xm1(e, in->a));
}

/* FYL2X, FYL2XP1, FPATAN: the result replaces ST(1), then a pop. */
static void two_to_one(struct fp_env *e, const struct x87_run *in,
		       struct x87_expect *o, struct f80 r)
{
	if (x87_pre_trap(e)) {
		o->depth = 2;
		o->st[0] = in->a;
		o->st[1] = in->b;
	} else {
		o->depth = 1;
		o->st[0] = r;
	}
	o->cc = x87_c1(e);
	o->cc_undefined = true;
}

static void l_fyl2x(struct fp_env *e, const struct x87_run *in,
		    struct x87_expect *o)
{
	two_to_one(e, in, o, fp_f80_fyl2x(e, in->a, in->b));
}

static void l_fyl2xp1(struct fp_env *e, const struct x87_run *in,
		      struct x87_expect *o)
{
	two_to_one(e, in, o, fp_f80_fyl2xp1(e, in->a, in->b));
}

static void l_fpatan(struct fp_env *e, const struct x87_run *in,
		     struct x87_expect *o)
{
	two_to_one(e, in, o, fp_f80_atan(e, in->a, in->b));
}

/* FSIN, FCOS: C2 = 1 and the operand kept when out of range. */
static void trig1(struct fp_env *e, const struct x87_run *in,
		  struct x87_expect *o, bool ok, struct f80 r)
{
	o->depth = 1;
	o->st[0] = !ok || x87_pre_trap(e) ? in->a : r;
	o->cc = (ok ? 0 : FP_C2) | x87_c1(e);
	o->cc_undefined = ok;
}

static void l_fsin(struct fp_env *e, const struct x87_run *in,
		   struct x87_expect *o)
{
	struct f80 r;
	bool ok = fp_f80_sin(e, in->a, &r);
	trig1(e, in, o, ok, r);
}

static void l_fcos(struct fp_env *e, const struct x87_run *in,
		   struct x87_expect *o)
{
	struct f80 r;
	bool ok = fp_f80_cos(e, in->a, &r);
	trig1(e, in, o, ok, r);
}

/* FSINCOS: ST(0) = cos, ST(1) = sin; FPTAN: ST(0) = 1, ST(1) = tan. */
static void push2(struct fp_env *e, const struct x87_run *in,
		  struct x87_expect *o, bool ok, struct f80 lo, struct f80 hi)
{
	if (!ok || x87_pre_trap(e)) {
		o->depth = 1;
		o->st[0] = in->a;
	} else {
		o->depth = 2;
		o->st[0] = hi;
		o->st[1] = lo;
	}
	o->cc = (ok ? 0 : FP_C2) | x87_c1(e);
	o->cc_undefined = ok;
}

static void l_fsincos(struct fp_env *e, const struct x87_run *in,
		      struct x87_expect *o)
{
	struct f80 s, c;
	bool ok = fp_f80_sincos(e, in->a, &s, &c);
	push2(e, in, o, ok, s, c);
}

static void l_fptan(struct fp_env *e, const struct x87_run *in,
		    struct x87_expect *o)
{
	struct f80 t;
	bool ok = fp_f80_tan(e, in->a, &t);
	enum fp_class k = fp_f80_class(t);
	bool nan = k == FP_CLASS_QNAN || k == FP_CLASS_SNAN;
	push2(e, in, o, ok, t, nan ? t : fp_f80_make(false, 16383, 1ull << 63));
}

enum { K_F2XM1, K_LOG, K_LOGP1, K_TRIG, K_ATAN };

#define X(n, k, loads) { #n, x_##n, l_##n, loads, k }
static const struct x87_form forms[] = {
	X(f2xm1, K_F2XM1, 1), X(fyl2x, K_LOG, 2), X(fyl2xp1, K_LOGP1, 2),
	X(fsin, K_TRIG, 1), X(fcos, K_TRIG, 1), X(fsincos, K_TRIG, 1),
	X(fptan, K_TRIG, 1), X(fpatan, K_ATAN, 2),
};
#define NFORMS (sizeof forms / sizeof forms[0])

/* A multiple of pi/2 rounded to 64 bits: the hardest trigonometric
 * arguments. */
static struct f80 near_pi_multiple(void)
{
	struct fp_env e = fp_env_from_fcw(0x037f);
	int64_t k = (int64_t)(fpt_rand() >> fpt_below(63));
	struct f80 pi = fp_f80_const(&e, FP_CONST_PI);
	pi.sign_exp--; /* pi/2 */
	struct f80 v = fp_f80_mul(&e, fp_int_to_f80(k ? k : 1), pi);
	v.signif += fpt_below(5) - 2;
	return v;
}

static void operands(const struct x87_form *f, struct x87_run *r)
{
	r->a = fpt_f80();
	r->b = fpt_f80();
	if (fpt_below(8) == 0)
		return; /* hard values anywhere */
	switch (f->kind) {
	case K_F2XM1:
		r->a = fpt_f80_near(16383 - 1 - (int)fpt_below(80) + 35);
		break;
	case K_LOG:
		r->a = fpt_f80_near(fpt_below(3) ? 16383 : -1);
		if (fpt_below(2))
			r->a.sign_exp &= 0x7fff;
		r->b = fpt_f80_near(16383);
		break;
	case K_LOGP1:
		r->a = fpt_f80_near(16383 - 2 - (int)fpt_below(80) + 35);
		r->b = fpt_f80_near(16383);
		break;
	case K_TRIG:
		if (fpt_below(4) == 0)
			r->a = near_pi_multiple();
		else
			r->a = fpt_f80_near(16383 + (int)fpt_below(100) - 40);
		break;
	case K_ATAN:
		r->b = fpt_f80_near(r->a.sign_exp & 0x7fff);
		break;
	}
}

/* Distance in ulps between two finite f80 values of the same sign. */
static uint64_t ulps(struct f80 a, struct f80 b)
{
	if ((a.sign_exp ^ b.sign_exp) & 0x8000)
		return ~0ull;
	/* Exponent and the fraction bits form a monotonic integer. */
	typedef unsigned __int128 u128;
	u128 ka = (u128)(a.sign_exp & 0x7fff) << 63 | (a.signif & ~(1ull << 63));
	u128 kb = (u128)(b.sign_exp & 0x7fff) << 63 | (b.signif & ~(1ull << 63));
	u128 d = ka > kb ? ka - kb : kb - ka;
	return d >> 64 ? ~0ull : (uint64_t)d;
}

struct tally {
	unsigned long cases, exact, c1_only, one_ulp, mismatches;
};

static void run_case(const struct x87_form *f, struct x87_run *r,
		     struct tally *t)
{
	struct x87_check c;
	x87_run_both(f, r, &c);
	bool same = true, near = true;
	for (unsigned i = 0; i < c.x.depth && i < 2; i++) {
		struct f80 h = x87_saved_st(r, i);
		if (!fp_f80_same(h, c.x.st[i])) {
			same = false;
			near = near && ulps(h, c.x.st[i]) == 1;
		}
	}
	uint16_t d = (r->sw ^ c.lsw) & c.mask;
	t->cases++;
	if (same && d == 0) {
		t->exact++;
	} else if (same && d == FP_C1) {
		/* Same result, but the host's approximation lay on the
		 * other side of it. */
		t->c1_only++;
	} else if (!same && near && (d & ~FP_C1) == 0) {
		t->one_ulp++;
	} else if (++t->mismatches <= 8) {
		x87_report(f, r, &c);
	}
}

static void test_host(void **state)
{
	(void)state;
	unsigned n = fpt_cases(20000);
	unsigned long bad = 0;
	for (size_t i = 0; i < NFORMS; i++) {
		const struct x87_form *f = &forms[i];
		struct tally t = { 0 };
		fpt_seed(0x7a770000u + i);
		for (unsigned k = 0; k < n; k++) {
			struct x87_run r;
			memset(&r, 0, sizeof r);
			r.cw = x87_random_cw();
			operands(f, &r);
			run_case(f, &r, &t);
		}
		printf("SUMMARY: %-8s %lu cases: %lu bit-exact (%lu.%lu%%), %lu only C1"
		       " differs, %lu one ulp apart, %lu other\n", f->name,
		       t.cases, t.exact, t.exact * 100 / t.cases,
		       t.exact * 1000 / t.cases % 10, t.c1_only, t.one_ulp,
		       t.mismatches);
		bad += t.mismatches;
	}
	assert_int_equal(bad, 0);
}

#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_correctly_rounded),
#if defined(__x86_64__)
		cmocka_unit_test(test_host),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
